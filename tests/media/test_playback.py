"""Recordings are played and downloaded only by the roles allowed in the hearing's commune,
with Range requests for seeking, and every access is audited."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import staff_user
from tiepdan.core.models import AuditEntry, PersonalDataAccess, Role
from tiepdan.media import custody
from tiepdan.media.models import HearingRoom, ProcessingState, RecordingFile, RoomState

BODY = bytes(range(256)) * 40  # 10 240 bytes


@pytest.fixture
def recorded(cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    room = HearingRoom.objects.create(hearing=cast.hearing, janus_room_id=5, sealed_secret="x",
                                      started_at=timezone.now(),
                                      state=RoomState.ENDED, ended_at=timezone.now(),
                                      processing_state=ProcessingState.DONE)
    record = RecordingFile(room=room, bridge_point=cast.department, feed_id=1, segment=0,
                           label=cast.department.name, sha256="", size_bytes=len(BODY),
                           duration_seconds=60, has_audio=True)
    record.file.save("a.webm", ContentFile(BODY), save=False)
    record.sha256 = custody._sha256(record.file.name)
    record.save()
    custody.sign(room)
    return cast, record


def signed_in(login_staff, user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.CHAIRMAN, True), (Role.OFFICE_OFFICER, True), (Role.TECHNICAL_OPERATOR, True),
    (Role.VICE_CHAIRMAN, True), (Role.DEPARTMENT_REP, False), (Role.COMMUNE_POLICE, False),
    (Role.VILLAGE_HEAD, False), (Role.SYSTEM_ADMIN, False),
])
def test_only_allowed_roles_play_recordings(recorded, login_staff, role, allowed):
    cast, record = recorded
    commune = cast.hearing.commune
    user = staff_user(role, commune=commune) if role != Role.SYSTEM_ADMIN else staff_user(role)
    client = signed_in(login_staff, user)
    page = client.get(reverse("media:recordings", args=[cast.hearing.pk]))
    media = client.get(reverse("media:recording_file", args=[record.pk]))
    assert (page.status_code, media.status_code) == ((200, 200) if allowed else (403, 403))
    reads = set(PersonalDataAccess.objects.filter(actor=user).values_list("type", flat=True))
    assert reads == ({"media.recordings.viewed", "media.recording.played"} if allowed else set())
    assert not AuditEntry.objects.filter(actor=user).exists()  # reads are not chained


def test_another_communes_chairman_is_refused(recorded, login_staff):
    cast, record = recorded
    client = signed_in(login_staff, staff_user(Role.CHAIRMAN))
    assert client.get(reverse("media:recording_file", args=[record.pk])).status_code == 403


def test_ranges_seek_and_the_page_shows_the_custody_check(recorded, login_staff):
    cast, record = recorded
    client = signed_in(login_staff, cast.chair)
    url = reverse("media:recording_file", args=[record.pk])
    first = client.get(url, HTTP_RANGE="bytes=0-")  # a player's first request
    assert first.status_code == 206 and b"".join(first.streaming_content) == BODY
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == BODY[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(BODY)}"
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == BODY[-10:]
    assert client.get(url, HTTP_RANGE="bytes=99999-").status_code == 416
    assert client.get(url, HTTP_RANGE="chunks=1-2").status_code == 416
    whole = client.get(url + "?tai=1")
    assert b"".join(whole.streaming_content) == BODY
    assert "attachment" in whole["Content-Disposition"]
    # The first request of a playback and every download are audited, not each range.
    kinds = list(PersonalDataAccess.objects.filter(actor=cast.chair, object_id=str(record.pk))
                 .values_list("type", flat=True))
    assert sorted(kinds) == ["media.recording.downloaded", "media.recording.played"]
    page = client.get(reverse("media:recordings", args=[cast.hearing.pk])).content.decode()
    assert "Toàn vẹn" in page
    with record.file.storage.open(record.file.name, "wb") as handle:
        handle.write(b"altered")
    page = client.get(reverse("media:recordings", args=[cast.hearing.pk])).content.decode()
    assert "KHÔNG đạt" in page and "altered" in page
