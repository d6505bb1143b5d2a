"""Domain errors of needs and offers (stable codes; messages already translated)."""

from network.errors import NotAllowed, ServiceError

__all__ = ["AlreadyReported", "EmailNotVerified", "InvalidPost", "NotAllowed", "PostNotOpen", "ServiceError"]


class EmailNotVerified(ServiceError):
    code = "email_not_verified"


class InvalidPost(ServiceError):
    code = "invalid_post"


class PostNotOpen(ServiceError):
    code = "post_not_open"


class AlreadyReported(ServiceError):
    code = "already_reported"
