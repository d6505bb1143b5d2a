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
    """Too many posts or edits; ``retry_after`` says in how many seconds the window reopens."""

    code = "rate_limited"

    def __init__(self, message="", *, retry_after=1):
        super().__init__(message)
        self.retry_after = retry_after


class Muted(ServiceError):
    """A moderator muted the author in this room for a while."""

    code = "muted"


class MessageGone(ServiceError):
    """The message was deleted or hidden: it can no longer be edited."""

    code = "gone"


class UnknownReaction(ServiceError):
    """An emoji outside ``Reaction.EMOJIS``."""

    code = "bad_reaction"


__all__ = [
    "EmptyMessage",
    "MessageGone",
    "MessageNotFound",
    "MessageTooLong",
    "Muted",
    "NotAllowed",
    "RateLimited",
    "RoomNotFound",
    "ServiceError",
    "UnknownReaction",
]
