"""Choices that a form field shares with every copy of itself.

Django deep-copies every field of a form for each form it builds, and a choice field's choices
with it (a list of tuples of lazy labels: most of the cost of building a form with a few choice
fields, measured on the registration form).  Choices that never change need no copy:
:class:`FixedChoices` is the same object in every copy, and a field's ``valid_value`` can ask it
with one set lookup instead of walking the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator, normalize_choices


class FixedChoices(BaseChoiceIterator):
    """Flat, unchanging choices: ``(value, label)`` pairs (labels may be lazy, translated when
    shown)."""

    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        self.items: tuple[tuple[Any, Any], ...] = tuple(normalize_choices(list(choices)))
        self.values = frozenset(str(value) for value, _ in self.items)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __deepcopy__(self, memo: dict[int, Any]) -> FixedChoices:
        return self

    def __copy__(self) -> FixedChoices:
        return self


class FixedChoiceMixin:
    """For a ``ChoiceField`` whose choices are :class:`FixedChoices`: a value is checked with a
    set lookup (the choices of a ward list are a hundred entries)."""

    choices: Any

    def valid_value(self, value: Any) -> bool:
        if isinstance(self.choices, FixedChoices):
            return str(value) in self.choices.values
        return bool(super().valid_value(value))  # type: ignore[misc]


class FixedChoiceField(FixedChoiceMixin, forms.ChoiceField):
    pass


class FixedTypedChoiceField(FixedChoiceMixin, forms.TypedChoiceField):
    pass
