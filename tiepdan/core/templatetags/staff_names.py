"""``{{ user|full_name }}``: a staff member's name as written, "Họ đệm Tên" (see core.names)."""

from __future__ import annotations

from typing import Any

from django import template

from tiepdan.core import names

register = template.Library()


@register.filter(name="full_name")
def full_name(user: Any) -> str:
    return names.full_name(user)
