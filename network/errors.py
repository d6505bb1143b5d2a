"""The base of every domain error raised by a service."""


class ServiceError(Exception):
    """A domain rule refused the action.

    ``code`` is stable (for error frames, tests and logs); ``message`` is for
    people and already translated by the service that raises it.
    """

    code = "error"

    def __init__(self, message="", *, code=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotAllowed(ServiceError):
    code = "not_allowed"
