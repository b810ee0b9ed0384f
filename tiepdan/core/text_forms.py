"""Clean text at the edge, for every form: the base classes ``Form`` and ``ModelForm`` that
all the product's forms (pages and admin) derive from.

Each text field (``CharField`` and its kinds: e-mail, slug, URL …) gets its input in NFC and
refuses characters that have no place in text (``core.text.is_refused``: control characters,
lone surrogates, noncharacters, bidirectional overrides); tab and line breaks only where the
field is multi-line (a ``Textarea``).  Password fields are left exactly as typed (a stored
password is compared byte for byte).

Refused, not stripped: what a person typed is evidence (a petitioner's name, a reason in the
audit trail); silently removing characters would store something nobody typed and hide a
forged request.  An ESC or a bidi override cannot come from a keyboard in a text box, only
from a paste of something else or a crafted request, so the message asks to type it again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .text import has_refused, nfc

CONTROL_CHARACTERS_MESSAGE = _("Trường này chứa ký tự điều khiển không hợp lệ.")


@deconstructible
class RefuseControlCharacters:
    """Validator: no character refused by ``core.text.is_refused`` (line breaks allowed in
    ``multiline`` text)."""

    code = "control_characters"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and has_refused(value, multiline=self.multiline):
            raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RefuseControlCharacters) and other.multiline == self.multiline


def is_text_field(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


def is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


class CleanTextMixin:
    """NFC input and refused control characters for every text field (see module doc).

    Applied when the form is cleaned, so fields added in a subclass's ``__init__`` are
    covered too."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def full_clean(self) -> None:
        if self.is_bound:
            text_fields = {name: f for name, f in self.fields.items() if is_text_field(f)}
            for field in text_fields.values():
                if not any(isinstance(v, RefuseControlCharacters) for v in field.validators):
                    field.validators.append(RefuseControlCharacters(multiline=is_multiline(field)))
            # A mixin of django.forms.Form: add_prefix and full_clean are the form's.
            keys = {self.add_prefix(name) for name in text_fields}  # type: ignore[attr-defined]
            self.data = _normalised(self.data, keys)
        super().full_clean()  # type: ignore[misc]


def _normalised(data: Any, keys: set[str]) -> Any:
    """A copy of ``data`` (QueryDict or dict) with the values under ``keys`` in NFC."""
    if not any(key in data for key in keys):
        return data
    copy = data.copy()
    for key in keys & set(copy.keys()):
        if hasattr(copy, "setlist"):
            copy.setlist(key, [nfc(v) if isinstance(v, str) else v for v in copy.getlist(key)])
        elif isinstance(copy[key], str):
            copy[key] = nfc(copy[key])
    return copy


class Form(CleanTextMixin, forms.Form):
    """Base of every plain form of the product."""


class ModelForm(CleanTextMixin, forms.ModelForm):
    """Base of every model form of the product (the admin's included)."""


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The choice field ``name`` of ``form``, whose choices a form sets when it is built
    (``form.fields`` holds them as plain fields)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The model choice field ``name`` of ``form`` (single or multiple), whose queryset a form
    sets when it is built."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field
