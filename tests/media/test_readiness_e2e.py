"""A bridge point runs the whole readiness test page in real headless Chromium (fake camera
and microphone) against a real Janus, the app served by uvicorn, all inside scripts/netns-run:
``scripts/netns-run .venv/bin/pytest -p no:cacheprovider -m media_e2e
tests/media/test_readiness_e2e.py`` (as root)."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from django.urls import reverse

from tiepdan.hearings.join_tokens import join_token
from tiepdan.media import readiness_room
from tiepdan.media.janus_client import JanusSession, VideoRoom
from tiepdan.media.models import ReadinessResult
from tiepdan.media.readiness_rules import THRESHOLDS

from .conftest import JanusProcess, RoomCast
from .test_room_e2e import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.media_e2e,
    pytest.mark.skipif("v0" not in {name for _, name in socket.if_nameindex()},
                       reason="needs the private network namespace with interface v0: run "
                              "`scripts/netns-run .venv/bin/pytest -m media_e2e "
                              "tests/media/test_readiness_e2e.py` as root"),
]


def room_exists(janus: JanusProcess, room_id: int) -> bool:
    async def check() -> bool:
        settings = janus.settings
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            return await VideoRoom(await session.attach(), settings.room_admin_key).exists(
                room_id)

    return asyncio.run(check())


def test_a_point_passes_the_readiness_test_through_janus(
        app_server: str, netns_janus: JanusProcess, cast: RoomCast, capsys) -> None:
    from playwright.sync_api import sync_playwright

    readiness_room.forget_all()
    url = app_server + reverse("media:readiness", args=[join_token(cast.official)])
    began = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="vi-VN").new_page()
            page.set_default_timeout(20_000)
            page.goto(url)
            page.click("#start")
            page.click("#speaker-yes")  # once the tone has played and the question shows
            asked_at = time.monotonic()
            page.wait_for_selector("#check-path .outcome.ok", timeout=30_000)
            # The picture really came back through Janus.
            loop_width = page.evaluate("document.getElementById('loopback').videoWidth")
            page.wait_for_selector("#result:not([hidden])")
            shown = page.evaluate("window.tiepdanReadiness.result")
            title = page.text_content("#result-title")
        finally:
            browser.close()
    elapsed = time.monotonic() - began
    path_seconds = time.monotonic() - asked_at

    stored = ReadinessResult.objects.get()
    metrics = stored.metrics
    assert stored.passed, stored.problems
    assert stored.bridge_point == cast.department and stored.participant == cast.official
    assert shown["passed"] is True and shown["metrics"] == metrics and title.startswith("Đạt")
    assert loop_width == 640
    assert metrics["camera_ok"] and metrics["camera_height"] == 480
    assert metrics["microphone_level"] >= THRESHOLDS.min_microphone_level
    assert metrics["speakers_confirmed"] is True
    assert 0 < metrics["rtt_ms"] < THRESHOLDS.max_rtt_ms
    assert metrics["bitrate_kbps"] >= THRESHOLDS.min_bitrate_kbps
    assert metrics["loss_pct"] < THRESHOLDS.max_loss_pct
    assert metrics["jitter_ms"] < THRESHOLDS.max_jitter_ms
    assert "Chrom" in stored.user_agent
    # The test room was the app's own, and it is gone once the point handed in its result.
    assert not room_exists(netns_janus, readiness_room.janus_room_id(cast.hearing.pk))
    with capsys.disabled():
        print(f"\n[readiness e2e] page run {elapsed:.1f} s (path test incl. setup "
              f"{path_seconds:.1f} s); metrics {metrics}")
