"""The daily check finds held hearings whose recordings are missing, unsigned, altered or
lack a point that published, and e-mails the office and the operators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tiepdan.hearings.models import HearingStatus
from tiepdan.media import completeness, custody
from tiepdan.media.models import EventKind, HearingRoom, RecordingFile, RoomEvent
from tiepdan.notify.models import Delivery


@pytest.fixture
def held(cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    hearing = cast.hearing
    hearing.status, hearing.held_at = HearingStatus.HELD, timezone.now() - dt.timedelta(hours=3)
    hearing.save()
    cast.operator.email = "ky.thuat@example.org"
    cast.operator.save()
    return cast


def make_room(cast) -> HearingRoom:
    return HearingRoom.objects.create(hearing=cast.hearing, janus_room_id=99, sealed_secret="x",
                                      started_at=timezone.now() - dt.timedelta(hours=4))


def test_a_held_hearing_without_processed_recordings_is_reported(held):
    make_room(held)
    found = completeness.check_and_alert()
    assert found == {held.hearing.pk: ["Bản ghi chưa được xử lý và ký xác thực."]}
    assert Delivery.objects.filter(purpose="media.recording_check",
                                   recipient="ky.thuat@example.org").exists()


def test_a_point_that_published_without_a_recording_and_an_altered_file_are_reported(held):
    room = make_room(held)
    for point in (held.central, held.department):
        RoomEvent.objects.create(room=room, at=timezone.now(), offset_seconds=1,
                                 kind=EventKind.PUBLISH, bridge_point=point, detail={"feed": 1})
    record = RecordingFile(room=room, bridge_point=held.central, feed_id=1, segment=0,
                           label="Trụ sở", sha256="", size_bytes=3, duration_seconds=60,
                           has_audio=True)
    record.file.save("a.webm", ContentFile(b"abc"), save=False)
    record.sha256 = custody._sha256(record.file.name)
    record.save()
    custody.sign(room)
    assert completeness.check() == {held.hearing.pk: [
        f"Điểm cầu {held.department.name} đã phát hình nhưng không có bản ghi."]}
    with record.file.storage.open(record.file.name, "wb") as handle:
        handle.write(b"xyz")
    [problems] = completeness.check().values()
    assert any("altered" in p for p in problems)


def test_complete_recordings_and_recent_hearings_are_not_reported(held):
    HearingRoom.objects.all().delete()
    held.hearing.held_at = timezone.now() - dt.timedelta(minutes=10)  # still processing
    held.hearing.save()
    assert completeness.check() == {}
