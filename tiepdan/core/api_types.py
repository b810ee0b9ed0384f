"""Types of the JSON API that put their rules in the OpenAPI schema itself, so that a client
generated from the schema knows the allowed values: ``Annotated[str, one_of(...)]`` (an enum of
model choices), ``Annotated[int, within(...)]`` (a bounded integer) and ``Id`` (a positive
integer id in a path).

The services still check everything (the schema is the first line, not the only one); these
types only make the schema say what the server accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from django.db.models import Choices
from ninja import Path
from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import core_schema


def _values(choices: type[Choices] | Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(choices, type) and issubclass(choices, Choices):
        return tuple(str(value) for value in choices.values)
    values = []
    for item in choices:
        values.append(item[0] if isinstance(item, tuple | list) else item)
    return tuple(values)


@dataclass(frozen=True)
class OneOf:
    """Annotation metadata: the value is one of ``values`` (a ``Literal`` of them for pydantic,
    an ``enum`` in the schema).  Written ``Annotated[str, one_of(...)]`` so that the type
    checker sees the plain type and pydantic the allowed values."""

    values: tuple[Any, ...]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler
                                     ) -> core_schema.CoreSchema:
        return core_schema.literal_schema(list(self.values))


def one_of(choices: type[Choices] | Iterable[Any], *, blank: bool = False) -> OneOf:
    """The values of ``choices`` (a ``TextChoices`` class, a ``choices`` list of pairs or plain
    values), for ``Annotated[str, one_of(choices)]``.  ``blank`` also allows ``""`` (a field the
    client may leave empty)."""
    values = _values(choices)
    if blank and "" not in values:
        values = ("", *values)
    if not values:
        raise ValueError("one_of needs at least one value")
    return OneOf(values)


def within(low: int | None = None, high: int | None = None) -> Any:
    """For ``Annotated[int, within(low, high)]``: an integer between ``low`` and ``high``
    (inclusive; ``None``: no bound on that side)."""
    return Field(ge=low, le=high)


#: Largest id of a ``BigAutoField`` (and of any integer a query can compare without overflow).
MAX_ID = 2**63 - 1
#: A positive integer id of another object, in a body or a query (``matter_id``, ``body``).
Ref = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A positive integer id in an operation's path (``/matters/{matter_id}``), at most the
#: largest id of a ``BigAutoField``.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def file_download(media_type: str, description: str) -> dict[str, Any]:
    """``openapi_extra`` of an operation answering with a file (streamed, not JSON): its
    200 response documented with the media type and a binary body."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }
