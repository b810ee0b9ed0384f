"""HTTP through Django's synchronous handler, one pooled worker thread per request.

Every view of the product is synchronous (the database work, the forms, the documents).  Django's
ASGI handler runs such a view with its middleware in async mode: each ``MiddlewareMixin``
middleware hops to a thread and back for its request and its response hooks, and every request
gets a new thread.  Measured on the registration benchmark (docs/decisions/0008): 3.7 ms of server
CPU for the trivial health endpoint, most of it in those hops.  Here the whole request — its
middleware, its view and the closing of its response, which hands the database connection back to
the pool — runs in one call on a reused thread, as under a WSGI server, and only the bytes cross
back to the event loop.  WebSockets stay on Channels (tiepdan.asgi).

The body has been bounded by :mod:`tiepdan.core.body_limit` before it reaches this handler.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sys
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Response bytes gathered before one message goes to the event loop: a FileResponse reads its file
#: in 4 KB blocks, and a message per block would cost a thread hop per 4 KB of a recording.
SEND_CHUNK_BYTES = 256 * 1024


class ClientGone(Exception):
    """The client closed the connection while its response was being sent."""


class SyncHTTPHandler:
    """An ASGI application for ``http`` scopes that runs Django's WSGI handler in a thread pool."""

    def __init__(self, threads: int | None = None) -> None:
        self.wsgi = WSGIHandler()
        self.executor = ThreadPoolExecutor(
            max_workers=threads or settings.HTTP_THREADS, thread_name_prefix="http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"{type(self).__name__} serves HTTP only, not {scope['type']!r}")
        with SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as body:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # the client left before its request was whole: nothing to answer
                body.write(message.get("body", b""))
                if not message.get("more_body"):
                    break
            body.seek(0)
            loop = asyncio.get_running_loop()
            # A fresh context per request: nothing a request sets (its id, its language) can be
            # seen by the next request that the same pooled thread serves.
            context = contextvars.Context()
            await loop.run_in_executor(
                self.executor, context.run, self._run, scope, body, send, loop)

    def _run(self, scope: Scope, body: Any, send: Send, loop: asyncio.AbstractEventLoop) -> None:
        def send_now(message: Message) -> None:
            future = asyncio.run_coroutine_threadsafe(_send_or_gone(send, message), loop)
            future.result()

        state: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]],
                           exc_info: Any = None, /) -> Callable[[bytes], object]:
            state["start"] = {
                "type": "http.response.start",
                "status": int(status.split(" ", 1)[0]),
                "headers": [(name.lower().encode("latin1"), value.encode("latin1"))
                            for name, value in headers],
            }
            return _no_write

        response: Iterable[bytes] = self.wsgi(environ(scope, body), start_response)
        try:
            pending: list[bytes] = []
            size = 0
            started = False
            for part in response:
                if not part:
                    continue
                pending.append(part)
                size += len(part)
                if size >= SEND_CHUNK_BYTES:
                    if not started:
                        send_now(state["start"])
                        started = True
                    send_now({"type": "http.response.body", "body": b"".join(pending),
                              "more_body": True})
                    pending, size = [], 0
            if not started:
                send_now(state["start"])
            send_now({"type": "http.response.body", "body": b"".join(pending)})
        except ClientGone:
            log.debug("client gone while %s %s was answered", scope["method"], scope["path"])
        finally:
            # PEP 3333: the server closes the response; Django's request_finished then runs here,
            # on the request's own thread, and gives its database connection back.
            close = getattr(response, "close", None)
            if close is not None:
                close()


def _no_write(data: bytes) -> object:
    raise NotImplementedError("Django returns its body; it never calls WSGI's write()")


async def _send_or_gone(send: Send, message: Message) -> None:
    try:
        await send(message)
    except OSError as exc:  # uvicorn raises on a closed transport
        raise ClientGone from exc


def environ(scope: Scope, body: Any) -> dict[str, Any]:
    """The WSGI environ of an ASGI ``http`` scope (PEP 3333), as Django's WSGI handler reads it."""
    script_name = scope.get("root_path", "")
    path = scope["path"]
    if script_name and path.startswith(script_name):
        path = path[len(script_name):]
    server = scope.get("server") or ("localhost", 80)
    result: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": script_name.encode("utf-8").decode("latin1"),
        "PATH_INFO": path.encode("utf-8").decode("latin1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin1"),
        # The body is whole already (a chunked one too): Django reads exactly this many bytes.
        "CONTENT_LENGTH": str(_size(body)),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1] if server[1] is not None else 80),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    client = scope.get("client")
    if client:
        result["REMOTE_ADDR"] = client[0]
        result["REMOTE_PORT"] = str(client[1])
    headers: dict[str, list[str]] = defaultdict(list)
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin1").upper().replace("-", "_")
        if name == "CONTENT_LENGTH":
            continue  # the size of the body as read, above
        if name != "CONTENT_TYPE":
            name = f"HTTP_{name}"
        headers[name].append(raw_value.decode("latin1"))
    for name, values in headers.items():
        # RFC 9110 5.3: repeated fields join with commas; cookies with "; " (RFC 6265 5.4).
        result[name] = ("; " if name == "HTTP_COOKIE" else ",").join(values)
    return result


def _size(body: Any) -> int:
    position = body.tell()
    size = body.seek(0, 2)
    body.seek(position)
    return int(size)
