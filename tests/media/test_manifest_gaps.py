"""The signed manifest reports each gap in a point's recording (start, end, cause), and none
when every point was recorded without a pause (no Janus needed: the files are stand-ins)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from tiepdan.media import custody, room_service
from tiepdan.media.models import EventKind, HearingRoom, RecordingFile, RoomEvent


@pytest.fixture
def room(cast, settings, tmp_path) -> HearingRoom:
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "keys" / "ed25519.pem")
    room, _, _ = room_service.room_record(cast.hearing.pk)
    return room


def recorded(room: HearingRoom, point, feed: int, offset: float, duration: float) -> None:
    record = RecordingFile(room=room, bridge_point=point, feed_id=feed, label=point.name,
                           size_bytes=5, duration_seconds=duration, offset_seconds=offset,
                           has_audio=True)
    record.file.save(f"feed-{feed}.webm", ContentFile(f"video{feed}".encode()), save=False)
    record.sha256 = custody._sha256(record.file.name)
    record.save()


def event(room: HearingRoom, kind: str, offset: float, point=None, **detail) -> None:
    RoomEvent.objects.create(room=room, kind=kind, offset_seconds=offset, bridge_point=point,
                             at=room.started_at + dt.timedelta(seconds=offset), detail=detail)


def test_it_reports_no_gap_when_the_recording_never_stopped(room, cast):
    recorded(room, cast.central, 11, 0.0, 60.0)
    recorded(room, cast.citizen_point, 22, 4.0, 56.0)
    event(room, EventKind.LEAVE, 30.0, cast.department)  # a point that was not recorded
    manifest = custody.sign(room).manifest
    assert manifest["version"] == 3
    assert manifest["gaps"] == []


def test_it_reports_the_gap_of_a_web_process_lost(room, cast):
    recorded(room, cast.central, 11, 0.0, 20.0)
    recorded(room, cast.central, 12, 24.5, 35.5)
    event(room, EventKind.LEAVE, 22.0, cast.central, reason="process_lost")
    event(room, EventKind.JOIN, 23.0, cast.central)
    manifest = custody.sign(room).manifest
    start = room.started_at + dt.timedelta(seconds=20)
    assert manifest["gaps"] == [{
        "bridge_point": cast.central.pk, "label": cast.central.name, "cause": "web_process_lost",
        "start_seconds": 20.0, "end_seconds": 24.5, "start_at": start.isoformat(),
        "end_at": (start + dt.timedelta(seconds=4.5)).isoformat()}]
    assert custody.verify(cast.hearing.pk) == []


def test_a_gap_taken_out_of_the_manifest_breaks_its_signature(room, cast):
    recorded(room, cast.central, 11, 0.0, 20.0)
    recorded(room, cast.central, 12, 30.0, 30.0)
    event(room, EventKind.JANUS_RESTART, 25.0)
    manifest = custody.sign(room).manifest
    assert [g["cause"] for g in manifest["gaps"]] == ["janus_restart"]
    HearingRoom.objects.filter(pk=room.pk).update(manifest={**manifest, "gaps": []})
    assert any("signature" in p for p in custody.verify(cast.hearing.pk))
