"""The error body of the JSON API and the rule saying which error statuses each operation can
return, so that the OpenAPI schema documents every status a client can meet.

Every error the API returns has one shape, ``ErrorOut`` (built by the exception handlers of
``tiepdan.api``).  ``error_statuses`` is the one rule that derives, from an operation's own
declaration, the error statuses it can answer with; ``document_errors`` adds them (with
``ErrorOut``) to the operation's response map.  ``tiepdan.api.Api`` applies it to every
operation, so no handler writes its error statuses by hand.
"""

from __future__ import annotations

from ninja import Schema
from ninja.operation import Operation
from pydantic import Field

#: Methods that change state: a conflict (409) with the matter's state or an idempotency key.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Parameter sources carried in the request body (a body over the limit is a 413).
BODY_SOURCES = frozenset({"body", "form", "file"})


class FieldErrorOut(Schema):
    code: str = Field(description="Machine-readable reason, e.g. required, invalid")
    message: str = Field(description="Vietnamese message for the user")


class ErrorOut(Schema):
    """The body of every error response of the API."""

    code: str = Field(
        description="Machine-readable error code, e.g. not_found, "
        "validation_error, rate_limited, database_unavailable"
    )
    message: str = Field(description="Vietnamese message for the user")
    errors: dict[str, list[FieldErrorOut]] | None = Field(
        None, description="Per field (dotted path; __all__ for the whole request), its errors"
    )


def error_statuses(operation: Operation) -> set[int]:
    """The error statuses ``operation`` can return.

    - 400 a request the server refuses before the handler (malformed multipart, too many
      fields) or a domain rule of the base kind;
    - 401 and 403 when the operation requires a signed-in staff member (no session / CSRF
      failure or a missing permission);
    - 404 when its path names something (a commune, a matter, a hearing ...);
    - 409 when it changes state (state conflicts, a reused idempotency key);
    - 413 when it takes a request body;
    - 422 always (input that does not validate);
    - 429 when it is throttled;
    - 503 always (the database is unavailable).
    """
    statuses = {400, 422, 503}
    if operation.auth_callbacks:
        statuses |= {401, 403}
    if "{" in operation.path:
        statuses.add(404)
    if UNSAFE_METHODS & set(operation.methods):
        statuses.add(409)
    if any(model.__ninja_param_source__ in BODY_SOURCES for model in operation.models):
        statuses.add(413)
    if operation.throttle_objects:
        statuses.add(429)
    return statuses


def document_errors(operation: Operation) -> None:
    """Add the statuses of ``error_statuses`` to the response map of ``operation`` (the
    statuses it declares itself are kept).  Idempotent."""
    models = operation.response_models
    for status in sorted(error_statuses(operation)):
        if status not in models:
            models[status] = operation._create_response_model(ErrorOut)
