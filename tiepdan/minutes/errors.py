from __future__ import annotations

from tiepdan.core.errors import DomainError, InvalidInput


def field_errors(errors: dict[str, str], code: str = "required") -> InvalidInput:
    """One InvalidInput carrying every field's message (the first one as the summary)."""
    return InvalidInput(
        next(iter(errors.values())),
        field_errors={field: [{"code": code, "message": message}]
                      for field, message in errors.items()})


class MinutesStateError(DomainError):
    """The minutes (or the hearing, or a conclusion) are not in a state that allows this."""

    status = 409
    code = "minutes_state"
