"""Domain errors of the events services (stable codes; messages already translated)."""

from network.errors import NotAllowed, ServiceError

__all__ = [
    "AlreadyRegistered",
    "EmailNotVerified",
    "EventFull",
    "HoldExpired",
    "InvalidLink",
    "InvalidOccurrence",
    "InvalidRegistration",
    "NotAllowed",
    "NotRegistered",
    "RegistrationClosed",
    "ServiceError",
]


class EmailNotVerified(ServiceError):
    code = "email_not_verified"


class AlreadyRegistered(ServiceError):
    code = "already_registered"


class NotRegistered(ServiceError):
    code = "not_registered"


class RegistrationClosed(ServiceError):
    code = "registration_closed"


class EventFull(ServiceError):
    code = "event_full"


class InvalidOccurrence(ServiceError):
    code = "invalid_occurrence"


class InvalidRegistration(ServiceError):
    code = "invalid_registration"


class HoldExpired(ServiceError):
    code = "hold_expired"


class InvalidLink(ServiceError):
    code = "invalid_link"
