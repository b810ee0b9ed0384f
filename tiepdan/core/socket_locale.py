"""The language of a WebSocket member: the same choice as for their pages (the language cookie
set by the switcher, else the browser's Accept-Language, else Vietnamese), activated for every
message a consumer handles, so errors, notices and results reach each member in their language.

Django's own rule (``get_language_from_request``) decides, from the handshake's headers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http.cookie import parse_cookie
from django.utils import translation


class _Handshake:
    """The parts of a request Django's language choice reads, taken from an ASGI scope."""

    path_info = "/"

    def __init__(self, scope: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in scope.get("headers") or []}
        # Django's lenient parser, as for request.COOKIES: junk around a cookie is skipped.
        self.COOKIES = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
        accept = headers.get(b"accept-language", b"").decode("latin-1")
        self.META = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}


def scope_language(scope: dict[str, Any]) -> str:
    """The language code for the member who opened the socket described by ``scope``."""
    # _Handshake has the parts of a request Django reads (COOKIES, META), not a whole request.
    language = translation.get_language_from_request(_Handshake(scope))  # type: ignore[arg-type]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class MemberLanguage:
    """Consumer mixin: every handler (browser messages and group events alike) runs with the
    member's language active; the choice is made once, from the handshake."""

    scope: Any  # the consumer's ASGI scope (channels' own type; a mapping of the handshake)
    _language: str | None = None

    @property
    def language(self) -> str:
        if self._language is None:
            self._language = scope_language(self.scope)
        return self._language

    async def dispatch(self, message: dict[str, Any]) -> None:
        with translation.override(self.language):
            # A mixin of channels' consumers, whose dispatch it wraps.
            await super().dispatch(message)  # type: ignore[misc]
