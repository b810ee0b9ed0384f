"""Domain errors: raised by services with a translatable Vietnamese message, turned into form
errors, JSON errors or WebSocket errors at the edge.

``NotFound`` and ``Forbidden`` are the one pair every permission-checked fetch and every
service raises for "no such thing (for you)" and "not allowed".  They are also Django's
``Http404`` and ``PermissionDenied``: a page that lets them through gets the Vietnamese 404 /
403 page of ``core.views.errors`` (Django's ``handler404`` / ``handler403``), and the API's one
``DomainError`` handler answers them in its JSON shape, with their message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


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


class NotFound(DomainError, Http404):
    """Nothing of that kind there, or nothing the user may know exists (a matter of another
    commune is indistinguishable from none)."""

    status = 404
    code = "not_found"

    default_message = gettext_lazy("Không tìm thấy.")

    def __init__(self, message: str | Promise | None = None, **kwargs) -> None:
        super().__init__(self.default_message if message is None else message, **kwargs)


class InvalidInput(DomainError):
    status = 422
    code = "validation_error"


class Forbidden(DomainError, PermissionDenied):
    """The user holds no permission for this action in this commune."""

    status = 403
    code = "forbidden"

    default_message = gettext_lazy("Bạn không có quyền thực hiện thao tác này.")

    def __init__(self, message: str | Promise | None = None, **kwargs) -> None:
        super().__init__(self.default_message if message is None else message, **kwargs)


class TooManyRequests(DomainError):
    """A client over a limit; ``retry_after`` seconds until it may try again (if known)."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str | Promise, *, retry_after: int | None = None,
                 **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
