"""Sections other apps add to a document's staff page (``documents:detail``), so that documents
knows nothing of them: e.g. the citizens' confirmations of a Biên bản (minutes)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from .models import IssuedDocument

#: ``section(request, document)``: the rendered HTML of the section, or None when it has none.
Section = Callable[[HttpRequest, IssuedDocument], "SafeString | None"]
_SECTIONS: list[Section] = []


def register_section(section: Section) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def sections_of(request: HttpRequest, document: IssuedDocument) -> list[SafeString]:
    return [html for section in _SECTIONS if (html := section(request, document))]
