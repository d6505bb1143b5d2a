"""Domain errors of the compagnonnage; each carries a stable ``code``."""

from network.errors import NotAllowed, ServiceError

__all__ = [
    "EmailNotVerified",
    "InvalidInput",
    "MentorFull",
    "MentorUnavailable",
    "NotAllowed",
    "ServiceError",
    "WrongState",
]


class EmailNotVerified(ServiceError):
    code = "email_not_verified"


class WrongState(ServiceError):
    """The object is no longer in a state that allows the action (e.g. already answered)."""

    code = "wrong_state"


class MentorFull(ServiceError):
    code = "mentor_full"


class MentorUnavailable(ServiceError):
    code = "mentor_unavailable"


class InvalidInput(ServiceError):
    code = "invalid_input"
