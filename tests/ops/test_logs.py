"""Log lines: JSON with LOG_FORMAT=json, the request id in every line (from X-Request-ID only
when a trusted proxy sent it), carried into the jobs a request enqueues, and no personal data."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from huey.contrib.djhuey import HUEY, task

from tiepdan.ops.context import current_request_id, request_id_context
from tiepdan.ops.logs import JsonFormatter, logging_config, redact

log = logging.getLogger("tiepdan.tests.ops")


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        pytest.param("gửi SMS tới +84912345678 thất bại", "912345678", id="phone-international"),
        pytest.param("gửi SMS tới 0912 000 101 thất bại", "000 101", id="phone-spaced"),
        pytest.param("gửi SMS tới 0912.345.678", "345.678", id="phone-dotted"),
        pytest.param("landline 0225 3841 234", "3841 234", id="phone-landline"),
        pytest.param("mail to cong.dan@example.org bounced", "cong.dan", id="email"),
        pytest.param("CCCD 031090001234", "031090001234", id="cccd-12-digits"),
        pytest.param("CMND 123456789", "123456789", id="cmnd-9-digits"),
        pytest.param("hộ chiếu C1234567", "C1234567", id="passport"),
        pytest.param("người gửi Trần Thị Bình đã nộp", "Bình", id="name-three-words"),
        pytest.param("Nguyễn Văn A registered", "Văn A", id="name-with-initial"),
        pytest.param("đại diện: Lê Văn Sở, Phó Giám đốc", "Sở", id="name-before-title"),
    ],
)
def test_personal_data_is_redacted(text: str, leaked: str):
    assert leaked not in redact(text)
    assert "[redacted-" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("room 4242424242424242 created in 0.25 s", id="janus-room-id"),
        pytest.param("hearing 42 on 2026-12-02 at 08:30", id="ids-and-dates"),
        pytest.param("Văn phòng UBND Xã An Lão, Thành phố Hải Phòng", id="office-and-places"),
        pytest.param("phiên ở Hà Nội và Hồ Chí Minh", id="cities-named-like-people"),
        pytest.param("Mai mốt sẽ gửi lại", id="family-name-as-a-word"),
        pytest.param("pid 31525 port 8161", id="process-figures"),
    ],
)
def test_other_text_is_left_alone(text: str):
    assert redact(text) == text


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The product's LOGGING with LOG_FORMAT=json, writing to a buffer."""
    logging.config.dictConfig(logging_config("json", "INFO"))
    stream = io.StringIO()
    for handler in logging.getLogger().handlers + logging.getLogger("huey").handlers:
        handler.setStream(stream)
    yield stream
    logging.config.dictConfig(django_settings.LOGGING)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_json_lines_carry_the_request_id_and_no_personal_data(json_lines):
    with request_id_context("req-123"):
        log.warning(
            "delivery %s to %s failed",
            7,
            "+84912345678",
            extra={"recipient": "cong.dan@example.org"},
        )
        try:
            raise ValueError("bad phone 0912345678 for Nguyễn Văn An")
        except ValueError:
            log.exception("could not send")
    first, second = _lines(json_lines)
    assert first["level"] == "WARNING" and first["logger"] == "tiepdan.tests.ops"
    assert first["request_id"] == "req-123" and "time" in first
    assert first["message"] == "delivery 7 to [redacted-phone] failed"
    assert first["recipient"] == "[redacted-email]"
    assert "ValueError" in second["exc_info"]
    assert "0912345678" not in second["exc_info"] and "An" not in second["exc_info"].split()
    assert "0912345678" not in json_lines.getvalue()


def test_a_traceback_formatted_as_lines_is_redacted_line_by_line():
    # python-json-logger's exc_info_as_array gives the traceback as a list of lines.
    formatter = JsonFormatter(exc_info_as_array=True)
    try:
        raise ValueError("bad phone 0912345678 for cong.dan@example.org")
    except ValueError:
        lines = formatter.formatException(sys.exc_info())
    assert isinstance(lines, list) and len(lines) > 1
    assert "ValueError: bad phone [redacted-phone] for [redacted-email]" in lines
    assert not any("0912345678" in line or "cong.dan" in line for line in lines)


def test_an_outside_request_id_is_replaced(client, settings):
    settings.TRUSTED_PROXIES = []
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="forged-by-a-browser")
    assert response["X-Request-ID"] != "forged-by-a-browser"
    assert len(response["X-Request-ID"]) == 32


def test_a_trusted_proxy_request_id_is_kept(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.get(
        "/api/v1/health", HTTP_X_REQUEST_ID="nginx-5f2a9c", REMOTE_ADDR="127.0.0.1"
    )
    assert response["X-Request-ID"] == "nginx-5f2a9c"
    # A header that would break a log line is never believed, even from the proxy.
    response = client.get(
        "/api/v1/health", HTTP_X_REQUEST_ID="a b\nforged", REMOTE_ADDR="127.0.0.1"
    )
    assert response["X-Request-ID"] != "a b\nforged"


@task()
def _remember_request_id() -> str:
    logging.getLogger("tiepdan.tests.ops").info("job running")
    return current_request_id()


@pytest.fixture
def queued_jobs() -> Iterator[None]:
    """Jobs go to a queue (in memory) instead of running at once, as with a real worker."""
    HUEY._immediate = False  # keeps the in-memory storage of immediate mode
    yield
    HUEY.storage.flush_queue()
    HUEY._immediate = True


def _run_next_job():
    """What the worker does: take the message off the queue and run it (outside any request)."""
    assert current_request_id() == ""
    task = HUEY.dequeue()
    assert task is not None
    HUEY.execute(task)
    return task


def test_the_request_id_follows_a_request_into_its_jobs(
    transactional_db, client, an_lao, form_data, queued_jobs, json_lines
):
    # A real commit inside the request (transactional_db): the job is enqueued there.
    response = client.post(
        reverse("intake:register", args=[an_lao.ward_code]),
        {**form_data, "email": "nguoi.gui@example.org"},
    )
    assert response.status_code == 302
    request_id = response["X-Request-ID"]
    task = _run_next_job()
    assert task.name == "deliver"
    job_lines = [line for line in _lines(json_lines) if line["logger"].startswith("huey")]
    assert job_lines, json_lines.getvalue()
    assert {line["request_id"] for line in job_lines} == {request_id}
    assert "nguoi.gui@example.org" not in json_lines.getvalue()


def test_a_job_keeps_its_request_id_through_the_queue(queued_jobs, json_lines):
    with request_id_context("req-job-1"):
        result = _remember_request_id()
    _run_next_job()
    assert result.get() == "req-job-1"
    [line] = [entry for entry in _lines(json_lines) if entry["message"] == "job running"]
    assert line["request_id"] == "req-job-1"


def test_a_message_queued_before_the_request_id_existed_still_runs(queued_jobs):
    """A bare Huey message (queued by the previous version during an upgrade) loads."""
    job = _remember_request_id.s()
    bare = HUEY.serializer.serialize(HUEY._registry.create_message(job))
    loaded = HUEY.deserialize_task(bare)
    assert loaded.id == job.id and loaded.request_id == ""


def test_text_lines_carry_the_request_id_and_redact_tracebacks():
    logging.config.dictConfig(logging_config("text", "INFO"))
    stream = io.StringIO()
    logging.getLogger().handlers[0].setStream(stream)
    try:
        with request_id_context("req-text"):
            try:
                raise ValueError("mail to cong.dan@example.org refused")
            except ValueError:
                log.exception("sending failed for %s", "Trần Thị Bình")
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    text = stream.getvalue()
    assert "[req-text] sending failed for [redacted-name]" in text
    assert "ValueError: mail to [redacted-email] refused" in text
    assert "cong.dan" not in text and "Bình" not in text


def test_djangos_request_log_names_the_request_without_its_query(client, json_lines):
    response = client.get("/khong-co-trang-nay/?phone=0912345678")
    assert response.status_code == 404
    [line] = [entry for entry in _lines(json_lines) if entry["logger"] == "django.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert "0912345678" not in json.dumps(line)
