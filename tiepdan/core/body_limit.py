"""An ASGI middleware that bounds request bodies before Django reads them.

Django's ASGI handler reads the whole body (to a temporary file) before any view runs, so a 300 MB
upload would be received in full before the view refuses it.  Here a body is refused with a 413
as soon as its ``Content-Length`` or its bytes counted so far pass the limit of its route; the
rest is never read.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_MULTIPART_OVERHEAD = 256 * 1024  # boundaries, part headers and the other fields
_API_UPLOAD = re.compile(r"^/api/v1/communes/\d+/uploads/?$")


def body_limit(path: str) -> int:
    """The most bytes a request body to ``path`` may have."""
    one_file = settings.ATTACHMENT_MAX_BYTES + _MULTIPART_OVERHEAD
    if _API_UPLOAD.match(path):
        return one_file
    # Pages with file fields (the registration form, follow-up updates) take several files.
    return settings.ATTACHMENT_MAX_BYTES * settings.ATTACHMENT_MAX_COUNT + _MULTIPART_OVERHEAD


def _too_large_response(path: str, limit: int) -> tuple[bytes, bytes]:
    megabytes = f"{limit / (1024 * 1024):.0f} MB"
    if path.startswith("/api/"):
        body = json.dumps({"code": "body_too_large",
                           "message": f"Nội dung gửi lên quá lớn (tối đa {megabytes})."},
                          ensure_ascii=False).encode("utf-8")
        return body, b"application/json"
    body = ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Tệp quá lớn</title>"
            f"<h1>Tệp gửi lên quá lớn</h1><p>Tổng dung lượng tối đa là {megabytes}. Vui lòng "
            "quay lại, bớt hoặc thu nhỏ tệp rồi gửi lại.</p></html>").encode()
    return body, b"text/html; charset=utf-8"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = body_limit(path)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(send, path, limit)
            return
        received = 0
        refused = False

        async def bounded_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    await self._refuse(send, path, limit)
                    # Django sees a client that went away and answers nothing itself.
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, bounded_receive, send)

    @staticmethod
    async def _refuse(send: Send, path: str, limit: int) -> None:
        log.info("request body over %s bytes refused path=%s", limit, path)
        body, content_type = _too_large_response(path, limit)
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
