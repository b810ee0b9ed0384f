"""HTTP through Django's synchronous handler on a thread pool (core.sync_http): the body arrives
whole, however it was sent; a response goes out whole in few messages; each request runs in its
own context on its own thread's database connection, and is closed there even when the client
leaves half-way."""

import asyncio
import contextvars
import io
import json
import threading

import pytest

from tiepdan.asgi import application
from tiepdan.core.sync_http import SEND_CHUNK_BYTES, SyncHTTPHandler, environ
from tiepdan.intake.models import Matter

REGISTRATION = {
    "full_name": "Nguyễn Văn A", "id_type": "cccd", "id_number": "031090001234",
    "date_of_birth": "1990-05-01", "phone": "0912345678", "address": "Thôn Hàm Hy",
    "kind": "kien_nghi", "summary": "Kiến nghị lắp đèn đường",
    "content": "Đoạn đường thôn chưa có đèn chiếu sáng.", "consent": True,
}


def _scope(path, method="GET", headers=()):
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
            "root_path": "", "headers": [(b"host", b"127.0.0.1"), *headers],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}


def _serve(app, scope, chunks=(b"",), fail_on_message=None):
    """Run one request through ``app``; the messages sent (the client leaves, with the OSError
    uvicorn raises, at message number ``fail_on_message``)."""
    pending = list(chunks)
    sent = []

    async def receive():
        body = pending.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(pending)}

    async def send(message):
        if fail_on_message is not None and len(sent) + 1 == fail_on_message:
            raise OSError("connection reset by peer")
        sent.append(message)

    asyncio.run(asyncio.wait_for(app(scope, receive, send), 30))
    return sent


def _answer(sent):
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert sent[-1] == {"type": "http.response.body", "body": sent[-1]["body"]}  # the last one
    return start["status"], dict(start["headers"]), body


def test_the_health_endpoint_answers_through_the_application(db):
    status, headers, body = _answer(_serve(application, _scope("/api/v1/health")))
    assert status == 200
    assert headers[b"content-type"] == b"application/json; charset=utf-8"
    assert json.loads(body)["status"] == "ok"


def test_a_registration_sent_in_pieces_without_a_length_is_stored(transactional_db, an_lao):
    raw = json.dumps(REGISTRATION, ensure_ascii=False).encode()
    pieces = [raw[:10], raw[10:200], raw[200:]]  # chunked transfer: no Content-Length
    scope = _scope("/api/v1/communes/11629/registrations", method="POST",
                   headers=[(b"content-type", b"application/json")])
    status, _, body = _answer(_serve(application, scope, pieces))
    assert status == 201, body
    matter = Matter.objects.get(tracking_code=json.loads(body)["tracking_code"])
    assert matter.summary == REGISTRATION["summary"]


class _App:
    """A WSGI application of the test's own: what the handler does around any application."""

    def __init__(self, parts):
        self.parts = parts
        self.called_on = self.closed_on = None

    def __call__(self, environ_, start_response):
        self.called_on = threading.get_ident()
        self.environ = environ_
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        app = self

        class Response:
            def __iter__(self):
                return iter(app.parts)

            def close(self):
                app.closed_on = threading.get_ident()

        return Response()


def _handler(app, threads=2):
    handler = SyncHTTPHandler(threads=threads)
    handler.wsgi = app
    return handler


def test_a_large_response_goes_out_whole_in_few_messages():
    app = _App([bytes([i % 251]) * 4096 for i in range(1000)])  # a FileResponse's 4 KB blocks
    sent = _serve(_handler(app), _scope("/recording"))
    status, _, body = _answer(sent)
    assert status == 200
    assert body == b"".join(app.parts)
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert len(bodies) <= len(body) // SEND_CHUNK_BYTES + 2  # not one message per 4 KB block
    assert all(m["more_body"] for m in bodies[:-1])
    assert app.closed_on == app.called_on  # closed on the request's own thread (its connection)


def test_a_client_that_leaves_mid_response_still_has_it_closed():
    app = _App([b"x" * SEND_CHUNK_BYTES] * 8)
    sent = _serve(_handler(app), _scope("/recording"), fail_on_message=3)
    assert len(sent) == 2  # the start and one part, then the client was gone
    assert app.closed_on == app.called_on


def test_each_request_starts_in_a_fresh_context():
    seen = contextvars.ContextVar("seen", default="nothing")
    values = []

    def app(environ_, start_response):
        values.append(seen.get())
        seen.set(environ_["PATH_INFO"])
        start_response("204 No Content", [])
        return []

    handler = _handler(app, threads=1)  # one thread: the second request reuses the first's
    for path in ("/first", "/second"):
        assert _answer(_serve(handler, _scope(path)))[0] == 204
    assert values == ["nothing", "nothing"]


def test_the_environ_is_what_a_wsgi_server_gives():
    scope = _scope("/tra-cứu", method="POST", headers=[
        (b"content-type", b"text/plain"), (b"content-length", b"999"),
        (b"cookie", b"a=1"), (b"cookie", b"b=2"), (b"accept", b"text/html"),
        (b"accept", b"*/*"), (b"x-forwarded-for", b"203.0.113.7")])
    scope["query_string"] = b"q=1"
    result = environ(scope, io.BytesIO(b"12345"))
    assert result["REQUEST_METHOD"] == "POST"
    assert result["PATH_INFO"] == "/tra-cứu".encode().decode("latin1")  # PEP 3333
    assert result["QUERY_STRING"] == "q=1"
    assert result["CONTENT_LENGTH"] == "5"  # what was read, not what was claimed
    assert result["CONTENT_TYPE"] == "text/plain"
    assert result["HTTP_COOKIE"] == "a=1; b=2"
    assert result["HTTP_ACCEPT"] == "text/html,*/*"
    assert result["HTTP_X_FORWARDED_FOR"] == "203.0.113.7"
    assert result["REMOTE_ADDR"] == "127.0.0.1"
    assert (result["SERVER_NAME"], result["SERVER_PORT"]) == ("127.0.0.1", "80")
    assert result["wsgi.input"].read() == b"12345"


def test_a_websocket_scope_is_not_taken():
    with pytest.raises(ValueError, match="HTTP only"):
        asyncio.run(_handler(_App([]))({"type": "websocket"}, None, None))
