"""However a hearing ends, its room ends and its recordings are processed: the minute job ends
the room of a hearing whose scheduled end has passed by the margin (time-machine), once; the
processing job records its progress and its failure for the recordings page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from tests.builders import hold
from tests.factories import CommuneFactory
from tiepdan.hearings.models import HearingStatus
from tiepdan.media import ending, tasks
from tiepdan.media.models import (
    EndCause,
    EventKind,
    HearingRoom,
    ProcessingState,
    RoomEvent,
    RoomState,
)
from tiepdan.workdays.deadlines import VN_TZ

from .conftest import RoomCast

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ)


@pytest.fixture
def room(db, settings, tmp_path):
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "recordings.pem")
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        cast = RoomCast(CommuneFactory(ward_code=11629, name="Xã An Lão"))
        return HearingRoom.objects.create(hearing=cast.hearing, janus_room_id=4243,
                                          sealed_secret="x", started_at=START,
                                          recording_started=True)


def scheduled_jobs() -> list[tuple]:
    return [t.args for t in HUEY.scheduled() if t.name.endswith("process_recordings")]


@pytest.fixture(autouse=True)
def _empty_schedule():
    HUEY.flush()
    yield
    HUEY.flush()


def test_the_minute_job_ends_a_room_left_open_after_the_scheduled_end(
        room, django_capture_on_commit_callbacks):
    ends_at = room.hearing.ends_at
    with time_machine.travel(ends_at + dt.timedelta(minutes=30), tick=False):
        assert tasks.close_finished_rooms.call_local() == []  # still within the margin
    room.refresh_from_db()
    assert room.state == RoomState.OPEN
    with time_machine.travel(ends_at + dt.timedelta(minutes=61), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_finished_rooms.call_local() == [room.hearing_id]
        assert tasks.close_finished_rooms.call_local() == []  # once
    room.refresh_from_db()
    assert (room.state, room.end_cause) == (RoomState.ENDED, EndCause.OVERRUN)
    assert room.processing_state == ProcessingState.QUEUED
    assert RoomEvent.objects.filter(room=room, kind=EventKind.END).count() == 1
    assert scheduled_jobs() == [(room.hearing_id,)]
    # The hearing itself is for the office to record as held (with the room's times).
    room.hearing.refresh_from_db()
    assert room.hearing.status == HearingStatus.CONFIRMED


def test_a_held_hearing_whose_room_is_still_open_gets_it_ended(
        room, monkeypatch, django_capture_on_commit_callbacks):
    # Holding a hearing ends its room (the end hook); this is the job's defence for a room the
    # hook failed to end, so here the hook's ending does nothing while the chair ends it.
    with monkeypatch.context() as patched, \
            time_machine.travel(room.hearing.starts_at, tick=False) as clock:
        patched.setattr(ending, "close_room", lambda hearing_id, **_: False)
        hold(room.hearing, actor=room.hearing.chair, clock=clock)
    room.refresh_from_db()
    assert room.hearing.status == HearingStatus.HELD and room.state == RoomState.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_finished_rooms.call_local() == [room.hearing_id]
    room.refresh_from_db()
    assert room.end_cause == "held" and scheduled_jobs() == [(room.hearing_id,)]


def test_processing_records_done_on_the_room(room, settings, tmp_path):
    settings.JANUS_REC_DIR = str(tmp_path / "no-recordings")
    ending.close_room(room.hearing_id, cause=EndCause.CHAIR)
    tasks.process_recordings.call_local(room.hearing_id)
    room.refresh_from_db()
    assert room.processing_state == ProcessingState.DONE and room.manifest is not None


def test_a_failed_processing_shows_its_reason_on_the_recordings_page(
        room, settings, tmp_path, client, login_staff):
    from tests.factories import staff_user
    from tiepdan.core.models import Role

    bad_key = tmp_path / "not-a-key.pem"
    bad_key.write_text("garbage")
    settings.RECORDINGS_SIGNING_KEY_FILE = str(bad_key)
    ending.close_room(room.hearing_id, cause=EndCause.CHAIR)
    with pytest.raises(ValueError):
        tasks.process_recordings.call_local(room.hearing_id)
    room.refresh_from_db()
    assert room.processing_state == ProcessingState.FAILED
    assert "ValueError" in room.processing_error
    login_staff(client, staff_user(Role.OFFICE_OFFICER, room.hearing.commune))
    page = client.get(reverse("media:recordings", args=[room.hearing_id])).content.decode()
    assert 'data-state="failed"' in page and "KHÔNG thành công" in page
    assert "ValueError" in page
