"""Staff names as Vietnamese people write them: "Họ đệm Tên" (Vũ Văn Chủ).

Django's user keeps two columns; here ``last_name`` holds the family and middle names (họ đệm)
and ``first_name`` the given name (tên), so the full name is ``last_name`` then ``first_name``
— never ``get_full_name()``, which puts the given name first ("Chủ Vũ Văn").  Every page, mail,
SMS, room and document takes a staff member's name from :func:`full_name`.
"""

from __future__ import annotations

from typing import Any


def full_name(user: Any) -> str:
    """The name as written ("Vũ Văn Chủ"); the username when no name is recorded."""
    if user is None:
        return ""
    name = " ".join(f"{user.last_name or ''} {user.first_name or ''}".split())
    return name or user.get_username()


def split_full_name(name: str) -> tuple[str, str]:
    """("Vũ Văn", "Chủ") from "Vũ Văn Chủ": the columns that :func:`full_name` joins back."""
    family_and_middle, _sep, given = " ".join(name.split()).rpartition(" ")
    return family_and_middle, given


def set_full_name(user: Any, name: str) -> None:
    """Store ``name`` as written (not saved)."""
    user.last_name, user.first_name = split_full_name(name)
