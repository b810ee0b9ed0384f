"""/metrics: only for the configured scraper; requests counted by route name (not path) and
status with their latency; a failed delivery, a failed job, the job queue, live rooms and
recordings waiting show in the figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_task

from tiepdan.media.models import HearingRoom, ProcessingState, RoomSeat, RoomState
from tiepdan.notify import services
from tiepdan.notify.models import DeliveryStatus

from .scrape import value

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-tests"


@pytest.fixture
def scraper(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_ADDRESSES = []

    def scrape(client) -> str:
        response = client.get(
            "/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_HOST="10.1.2.3"
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    return scrape


@db_task()
def _job_that_fails() -> None:
    raise RuntimeError("a job that fails, for the metrics")


def test_metrics_are_refused_to_anyone_else(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_ADDRESSES = ["10.9.9.9"]
    refused = client.get("/metrics")
    assert refused.status_code == 403
    assert refused.json()["message"] == "Không được phép đọc số liệu giám sát từ địa chỉ này."
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    # A forged X-Forwarded-For from a peer that is not a trusted proxy counts for nothing.
    settings.TRUSTED_PROXIES = []
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 403


def test_metrics_are_served_to_a_configured_address(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = ["127.0.0.0/8"]
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert b"tiepdan_http_requests_total" in response.content


def test_nobody_may_scrape_when_nothing_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = []
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_requests_are_counted_by_route_name_and_status(client, scraper, an_lao):
    before = scraper(client)
    for _ in range(3):
        assert client.get("/api/v1/health").status_code == 200
    # Two different paths of one route are one series.
    for code in ("HS-1", "HS-2"):
        client.get(f"/api/v1/registrations/{code}")
    client.get("/khong-co-trang-nay/")
    after = scraper(client)
    ok = {"route": "api:health", "method": "GET", "status": "200"}
    assert (
        value(after, "tiepdan_http_requests_total", **ok)
        - value(before, "tiepdan_http_requests_total", **ok)
        == 3
    )
    latency = {"route": "api:health", "method": "GET"}
    assert (
        value(after, "tiepdan_http_request_duration_seconds_count", **latency)
        - value(before, "tiepdan_http_request_duration_seconds_count", **latency)
        == 3
    )
    assert value(after, "tiepdan_http_request_duration_seconds_sum", **latency) > value(
        before, "tiepdan_http_request_duration_seconds_sum", **latency
    )
    assert value(after, "tiepdan_http_requests_total", route="<unmatched>", status="404") > 0
    assert "/api/v1/registrations/HS-1" not in after
    assert 'route="/' not in after


def test_a_failed_delivery_moves_the_figures(
    client, scraper, settings, an_lao, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY = "tests.notify.conftest.FailingSmsGateway"
    settings.NOTIFY_MAX_ATTEMPTS = 1
    before = scraper(client)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.queue_sms(
            commune=an_lao, to="+84912345678", text="Nhắc lịch", purpose="test"
        )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    after = scraper(client)
    final = {"channel": "sms", "final": "true"}
    assert (
        value(after, "tiepdan_delivery_failures_total", **final)
        - value(before, "tiepdan_delivery_failures_total", **final)
        == 1
    )
    assert (
        value(after, "tiepdan_deliveries_failed", channel="sms")
        - value(before, "tiepdan_deliveries_failed", channel="sms")
        == 1
    )


def test_job_failures_and_the_queue_show(client, scraper):
    before = scraper(client)
    _job_that_fails()
    _job_that_fails.schedule(delay=3600)  # waits in the schedule
    after = scraper(client)
    failed = {"task": "_job_that_fails", "outcome": "error"}
    assert (
        value(after, "tiepdan_jobs_finished_total", **failed)
        - value(before, "tiepdan_jobs_finished_total", **failed)
        == 1
    )
    assert (
        value(after, "tiepdan_jobs_queued", kind="scheduled")
        - value(before, "tiepdan_jobs_queued", kind="scheduled")
        == 1
    )
    HUEY.storage.flush_schedule()


def test_live_rooms_members_and_waiting_recordings_show(client, scraper, an_lao):
    from tests.media.conftest import RoomCast

    cast = RoomCast(an_lao)
    before = scraper(client)
    room = HearingRoom.objects.create(
        hearing=cast.hearing, janus_room_id=4242, sealed_secret="x", started_at=timezone.now()
    )
    for key in ("p1", "p2", "u3"):
        RoomSeat.objects.create(
            room=room, key=key, channel_name=f"c-{key}", process_id="p", connected_at=timezone.now()
        )
    middle = scraper(client)
    node = next(iter(_labels(middle, "tiepdan_live_rooms")))
    assert (
        value(middle, "tiepdan_live_rooms", janus_node=node)
        - value(before, "tiepdan_live_rooms", janus_node=node)
        == 1
    )
    assert (
        value(middle, "tiepdan_live_room_members", janus_node=node)
        - value(before, "tiepdan_live_room_members", janus_node=node)
        == 3
    )
    HearingRoom.objects.filter(pk=room.pk).update(
        state=RoomState.ENDED,
        ended_at=timezone.now() + dt.timedelta(minutes=1),
        processing_state=ProcessingState.QUEUED,
    )
    after = scraper(client)
    assert value(after, "tiepdan_live_rooms", janus_node=node) == value(
        before, "tiepdan_live_rooms", janus_node=node
    )
    assert (
        value(after, "tiepdan_recordings_processing", state="queued")
        - value(before, "tiepdan_recordings_processing", state="queued")
        == 1
    )


def _labels(text: str, name: str) -> set[str]:
    from prometheus_client.parser import text_string_to_metric_families

    return {
        s.labels["janus_node"]
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name == name
    }


def test_janus_load_is_read_from_its_admin_api(
    client, scraper, janus, make_janus_settings, dead_port
):
    import asyncio
    import threading

    from tiepdan.media import room_service
    from tiepdan.media.janus_client import JanusSession

    settings = janus.settings
    room_service.use_janus_settings(settings)
    try:
        before = scraper(client)
        assert value(before, "tiepdan_janus_up", janus_node=settings.api_url) == 1

        # Two sessions held open by another thread's event loop while this thread scrapes
        # (the scrape reads the database, which the test's transaction holds in this thread).
        opened, release = threading.Event(), threading.Event()

        def hold_two_sessions() -> None:
            async def hold() -> None:
                async with (
                    JanusSession(settings.api_url, settings.api_secret),
                    JanusSession(settings.api_url, settings.api_secret),
                ):
                    opened.set()
                    await asyncio.to_thread(release.wait, 30)

            asyncio.run(hold())

        holder = threading.Thread(target=hold_two_sessions)
        holder.start()
        try:
            assert opened.wait(30), "the two Janus sessions did not open"
            during = scraper(client)
        finally:
            release.set()
            holder.join(30)
        node = {"janus_node": settings.api_url}
        assert (
            value(during, "tiepdan_janus_sessions", **node)
            - value(before, "tiepdan_janus_sessions", **node)
            == 2
        )
        room_service.use_janus_settings(make_janus_settings(admin_port=dead_port))
        dead = room_service.janus_settings().api_url
        assert value(scraper(client), "tiepdan_janus_up", janus_node=dead) == 0
    finally:
        room_service.use_janus_settings(None)
