"""Managed lists of a commune (bodies, fields): how two spellings of one entry are recognised.

Typed lists split one body into two: "- Xây dựng" and "– Xây dựng" (a hyphen bullet, an en
dash bullet), "Địa chính - Xây dựng" and "Địa chính – Xây dựng", a doubled space.  Entries are
now picked from the lists, and each list keeps a key per entry that is the same for every such
spelling, unique per commune.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_DASHES = re.compile(r"[\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_BULLETS = re.compile(r"^[\s\-\u2010-\u2015\u2212•*·+]+")


def clean_name(name: str) -> str:
    """The entry as written, without a leading bullet and with single spaces (NFC)."""
    text = unicodedata.normalize("NFC", name or "")
    return " ".join(_BULLETS.sub("", text).split())


def list_key(name: str) -> str:
    """The same key for every spelling of one entry: no bullet, one kind of dash spaced the
    same way, single spaces, case-folded."""
    text = _DASHES.sub(" - ", clean_name(name))
    return " ".join(text.split()).casefold()


def check_unique_name(entry: Any, message: StrOrPromise) -> None:
    """Model ``clean()`` of a list entry (``commune``, ``name``): refuse, as a form error, a
    second entry of the commune whose name is another spelling of an existing one."""
    from django.core.exceptions import ValidationError

    if not getattr(entry, "commune_id", None):
        return
    same = type(entry).objects.filter(commune_id=entry.commune_id,
                                      name_key=list_key(entry.name)).exclude(pk=entry.pk)
    if same.exists():
        raise ValidationError({"name": message % {"name": same.first().name}})
