"""Domain errors: raised by services with a translatable Vietnamese message, turned into form
errors, JSON errors or WebSocket errors at the edge."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    status = 400
    code = "domain_error"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        field_errors: dict[str, list[dict[str, str]]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field_errors = field_errors or {}


class NotFound(DomainError):
    status = 404
    code = "not_found"


class InvalidInput(DomainError):
    status = 422
    code = "validation_error"


class Forbidden(DomainError):
    """The user holds no permission for this action in this commune."""

    status = 403
    code = "forbidden"


class TooManyRequests(DomainError):
    """A client over a limit; ``retry_after`` seconds until it may try again (if known)."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str | Promise, *, retry_after: int | None = None,
                 **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
