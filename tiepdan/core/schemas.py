"""Clean text at the edge, for the JSON API: ``InputSchema``, the base of every django-ninja input
schema of the product (body, query and form parameters).

Every string it receives, in a field or in a list or mapping of strings, is turned to NFC and
refused (error ``control_characters``, a Vietnamese message) if it carries a character
``core.text.is_refused`` refuses; tab and line breaks are allowed only in the fields the
schema names in ``multiline`` (reasons, contents, notes).  Refused rather than stripped, for
the reasons given in ``core.text_forms``: the same rule as the forms.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from ninja import Schema as NinjaSchema
from pydantic import AfterValidator, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .text import has_refused, map_strings, nfc
from .text_forms import CONTROL_CHARACTERS_MESSAGE

ERROR_TYPE = "control_characters"


def clean_value(value: Any, *, multiline: bool = False) -> Any:
    """``value`` with every string in NFC; ``PydanticCustomError`` if one carries a refused
    character.  Lists, tuples and mappings are walked; other values are returned as they are
    (a nested schema cleaned its own fields)."""

    def clean(text: str) -> str:
        if has_refused(text, multiline=multiline):
            raise PydanticCustomError(ERROR_TYPE, str(CONTROL_CHARACTERS_MESSAGE))
        return nfc(text)

    return map_strings(value, clean)


class InputSchema(NinjaSchema):
    """Base of every input schema: strings in NFC, control characters refused."""

    #: Fields whose text may span lines (tab and line breaks allowed).
    multiline: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        unknown = cls.multiline - set(cls.model_fields)
        if unknown:
            raise TypeError(f"{cls.__name__}.multiline names unknown fields: {sorted(unknown)}")

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> Any:
        return clean_value(value, multiline=info.field_name in cls.multiline)


def _clean_line(value: str) -> str:
    return clean_value(value)


def _clean_text(value: str) -> str:
    return clean_value(value, multiline=True)


#: A single-line string parameter of an operation (path, query or form) outside a schema.
Line = Annotated[str, AfterValidator(_clean_line)]
#: A multi-line string parameter of an operation outside a schema.
Text = Annotated[str, AfterValidator(_clean_text)]
