"""Domain errors of the discussion space, each with a stable ``code``
(error frames, form messages, tests)."""

from network.discussion.permissions import RoomNotFound
from network.errors import NotAllowed, ServiceError


class MessageNotFound(ServiceError):
    code = "message_not_found"


class EmptyMessage(ServiceError):
    code = "empty"


class MessageTooLong(ServiceError):
    code = "too_long"


class RateLimited(ServiceError):
    code = "rate_limited"


class MessageGone(ServiceError):
    """The message was deleted or hidden: it can no longer be edited."""

    code = "gone"


__all__ = [
    "EmptyMessage",
    "MessageGone",
    "MessageNotFound",
    "MessageTooLong",
    "NotAllowed",
    "RateLimited",
    "RoomNotFound",
    "ServiceError",
]
