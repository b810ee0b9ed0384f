"""A hearing on node B of two Janus nodes, in real headless Chromium inside scripts/netns-run:
node B is killed mid-hearing, the pages rejoin by themselves on node A, see each other again,
and the recordings hold each point's segment from node B and its segment from node A, the gap
between them in the signed manifest.

Run as root: ``scripts/netns-run .venv/bin/pytest -m media_e2e tests/media``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from django.test import Client

from tiepdan.hearings.join_tokens import join_path
from tiepdan.media import custody, tasks
from tiepdan.media.janus_process import JanusProcess
from tiepdan.media.models import EventKind, HearingRoom, JanusNode, RecordingFile, RoomEvent

from .conftest import RoomCast
from .test_room_e2e import CHROMIUM, CHROMIUM_ARGS, INBOUND, pytestmark, wait_for  # noqa: F401


@pytest.fixture
def node_b(make_janus_settings, netns_janus, tmp_path, transactional_db) -> Iterator[JanusProcess]:
    process = JanusProcess(
        make_janus_settings(
            ice_enforce_list="v0",
            rtp_port_range="40300-40399",
            rec_dir=netns_janus.settings.rec_dir,
        )
    )
    process.start()
    secrets = tmp_path / "node-b.json"
    secrets.write_text(
        json.dumps(
            {
                "api_secret": process.settings.api_secret,
                "admin_secret": process.settings.admin_secret,
                "room_admin_key": process.settings.room_admin_key,
            }
        )
    )
    # More headroom than the embedded node's 20 rooms: the hearing goes to node B.
    JanusNode.objects.create(
        name="node-b",
        api_url=process.settings.api_url,
        admin_url=process.settings.admin_url,
        secrets_ref=f"file:{secrets}",
        capacity_rooms=50,
        healthy=True,
    )
    yield process
    process.stop()


def test_a_hearing_moves_to_the_other_node_when_its_node_dies(
    node_b: JanusProcess, app_server: str, cast: RoomCast, login_staff, capsys
) -> None:
    from playwright.sync_api import sync_playwright

    base = app_server
    cookies = {}
    for who in ("chair", "operator"):
        client = Client()
        login_staff(client, getattr(cast, who))
        cookies[who] = client.cookies["sessionid"].value
    publishers = ("chair", "official")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = {}
            for who in ("chair", "operator", "official"):
                context = browser.new_context(locale="vi-VN")
                context.set_default_timeout(15_000)
                if who in cookies:
                    context.add_cookies([{"name": "sessionid", "value": cookies[who], "url": base}])
                pages[who] = context.new_page()
            staff_url = f"{base}/can-bo/phong-tiep/{cast.hearing.pk}/"
            urls = {
                "chair": staff_url,
                "operator": staff_url,
                "official": base + join_path(cast.official),
            }
            for who, page in pages.items():
                page.goto(urls[who])
                page.click("#accept-rules")
                page.click("#device-ok:not([disabled])")
            pages["official"].wait_for_selector("#step-lobby:not([hidden])")
            pages["operator"].click(f'[data-admit="p{cast.official.pk}"]')

            def both_see_each_other() -> bool:
                return all(
                    any(v["width"] > 0 for v in pages[w].evaluate(INBOUND).values())
                    for w in publishers
                )

            wait_for(both_see_each_other, 30, "chair and department to see each other")
            placed = HearingRoom.objects.select_related("node").get(hearing=cast.hearing).node
            assert placed.name == "node-b"
            old_feeds = {w: pages[w].evaluate("window.tiepdanRoom.myFeed") for w in publishers}
            time.sleep(3)  # some seconds recorded on node B

            died_at = time.monotonic()
            node_b.process.kill()
            node_b.process.wait()

            def back_on_a() -> bool:
                return (
                    all(
                        pages[w].evaluate("window.tiepdanRoom.myFeed") not in (None, old_feeds[w])
                        for w in publishers
                    )
                    and both_see_each_other()
                )

            wait_for(back_on_a, 40, "both points back and seeing each other on node A")
            recovery = time.monotonic() - died_at
            time.sleep(3)  # some seconds recorded on node A
            pages["chair"].once("dialog", lambda dialog: dialog.accept())
            pages["chair"].click("#end-hearing")
            for page in pages.values():
                wait_for(
                    lambda page=page: page.evaluate("window.tiepdanRoom.ended !== null"),
                    10,
                    "the pages to be told the hearing has ended",
                )
        finally:
            browser.close()

    room = HearingRoom.objects.select_related("node").get(hearing=cast.hearing)
    assert room.node.name == "embedded"
    moved = RoomEvent.objects.get(room=room, kind=EventKind.JANUS_RESTART)
    assert (moved.detail["previous_node"], moved.detail["node"]) == ("node-b", "embedded")
    time.sleep(1)
    tasks.process_recordings.call_local(cast.hearing.pk)
    room.refresh_from_db()
    for point in (cast.central, cast.department):
        segments = list(
            RecordingFile.objects.filter(room=room, bridge_point=point, is_combined=False).order_by(
                "offset_seconds"
            )
        )
        assert len(segments) == 2, (point, segments)  # one per node
        before, after = segments
        gap = after.offset_seconds - (before.offset_seconds + before.duration_seconds)
        assert before.duration_seconds >= 2 and after.duration_seconds >= 2, segments
        assert 0 < gap < recovery + 2, (gap, recovery)
    listed = {(f["feed"], f["offset_seconds"]) for f in room.manifest["files"] if not f["combined"]}
    assert len(listed) == 4
    # The gap of each point, named after the move (media.gaps).
    assert sorted((g["bridge_point"], g["cause"]) for g in room.manifest["gaps"]) == sorted(
        (point.pk, "janus_restart") for point in (cast.central, cast.department))
    assert custody.verify(cast.hearing.pk) == []
    with capsys.disabled():
        print(f"\n[janus nodes e2e] node B killed → both points back on node A in {recovery:.2f} s")
