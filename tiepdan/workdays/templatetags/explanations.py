"""``{{ deadline.explanation|explanation }}``: how a deadline was counted, in the reader's
language (see workdays.explain)."""

from __future__ import annotations

from django import template

from tiepdan.workdays.explain import explain

register = template.Library()


@register.filter(name="explanation")
def explanation(text: str | None) -> str:
    return explain(text or "")
