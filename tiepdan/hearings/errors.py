from __future__ import annotations

from tiepdan.core.errors import DomainError, InvalidInput


def field_error(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, field_errors={field: [{"code": code, "message": message}]})


class HearingStateError(DomainError):
    status = 409
    code = "hearing_state"
