"""``{% language_switcher %}``: the header's language choice.

Each language is named in itself ("Tiếng Việt", "English": a reader who does not understand the
current page still finds their own), the current one as text and each other one as a button of
its own small form posting to Django's ``set_language`` with the current page as ``next``:
nothing changes until the reader presses a button.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


def language_choices(current: str) -> list[dict[str, Any]]:
    """The configured languages, each with its name in itself and whether it is ``current``."""
    choices = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        # Django writes "Tiếng Việt" decomposed (e + combining marks); pages are NFC.
        name = unicodedata.normalize("NFC", info["name_local"])
        choices.append({"code": code, "name": name, "current": code == current})
    return choices


@register.inclusion_tag("core/_language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    return {
        "languages": language_choices(translation.get_language()),
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }
