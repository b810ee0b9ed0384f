"""Request bodies are bounded before Django reads them: an upload over the limit is a 413 JSON
after at most the limit's bytes, whatever Content-Length claims (or without one)."""

import asyncio
import json

import pytest

from tiepdan.asgi import application

CHUNK = 1024 * 1024


def _call(path, chunks, content_length=None, content_type=b"multipart/form-data; boundary=x"):
    headers = [(b"host", b"127.0.0.1"), (b"content-type", content_type)]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 80)}
    read = {"chunks": 0}
    sent = []

    async def receive():
        if read["chunks"] < chunks:
            read["chunks"] += 1
            return {"type": "http.request", "body": b"x" * CHUNK,
                    "more_body": read["chunks"] < chunks}
        await asyncio.sleep(3600)  # the client waits; never reached when refused

    async def send(message):
        sent.append(message)

    asyncio.run(asyncio.wait_for(application(scope, receive, send), 30))
    return sent, read["chunks"]


def _status_and_body(sent):
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


@pytest.mark.django_db
def test_an_upload_without_length_is_cut_off_at_the_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * CHUNK
    sent, chunks_read = _call("/api/v1/communes/11629/uploads", chunks=300)
    status, body = _status_and_body(sent)
    assert status == 413
    assert json.loads(body)["code"] == "body_too_large"
    assert chunks_read <= 3  # 2 MiB + the multipart allowance, not 300 MiB


@pytest.mark.django_db
def test_a_declared_length_over_the_limit_is_refused_unread(settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * CHUNK
    sent, chunks_read = _call("/api/v1/communes/11629/uploads", chunks=300,
                              content_length=300 * CHUNK)
    assert _status_and_body(sent)[0] == 413
    assert chunks_read == 0


@pytest.mark.django_db
def test_the_registration_form_takes_several_files_but_not_more(settings):
    settings.ATTACHMENT_MAX_BYTES = CHUNK
    settings.ATTACHMENT_MAX_COUNT = 3
    sent, chunks_read = _call("/xa/11629/dang-ky/", chunks=50)
    status, body = _status_and_body(sent)
    assert status == 413
    assert "quá lớn" in body.decode()
    assert chunks_read <= 4
