"""Recordings with S3-compatible object storage (a real SeaweedFS): processed on local scratch
space and uploaded, played with Range requests straight from the bucket, and the custody check
hashes the bucket's objects, so an object altered in the bucket is caught."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.media.test_postprocess import clip
from tests.seaweedfs import s3_bucket, seaweedfs  # noqa: F401  (fixtures)
from tiepdan.core.models import PersonalDataAccess
from tiepdan.media import custody
from tiepdan.media.models import HearingRoom, ProcessingState, RecordingFile, RoomState

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg missing")


@pytest.fixture
def recorded(cast, s3_bucket, settings, tmp_path):  # noqa: F811
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    started = timezone.now()
    room = HearingRoom.objects.create(hearing=cast.hearing, janus_room_id=7, sealed_secret="x",
                                      started_at=started, state=RoomState.ENDED,
                                      ended_at=started + timezone.timedelta(seconds=4),
                                      processing_state=ProcessingState.DONE)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for feed, point, seconds in ((1, cast.central, 3), (2, cast.department, 2)):
        custody._store(RecordingFile(room=room, bridge_point=point, feed_id=feed, segment=0,
                                     label=point.name, duration_seconds=seconds,
                                     has_audio=True, offset_seconds=feed - 1),
                       clip(scratch / f"{feed}.webm", seconds), f"feed-{feed}.webm")
    # The combined file is built from copies of the bucket's objects on scratch space.
    custody._combine(room, scratch)
    return cast, custody.sign(room)


def _object(seaweedfs, bucket: str, name: str) -> bytes:  # noqa: F811
    return seaweedfs.client().get_object(Bucket=bucket, Key=name)["Body"].read()


def test_processed_recordings_are_uploaded_to_the_bucket(recorded, seaweedfs, s3_bucket):  # noqa: F811
    _cast, room = recorded
    files = list(room.recordings.all())
    assert len(files) == 3 and any(f.is_combined for f in files)
    for record in files:
        body = _object(seaweedfs, s3_bucket, record.file.name)
        assert hashlib.sha256(body).hexdigest() == record.sha256
        assert len(body) == record.size_bytes and body[:4] == b"\x1aE\xdf\xa3"  # WebM
    # Nothing of the recordings stays on local disk (the hearing's documents, issued at its
    # confirmation before the bucket was set up, do).
    local = Path(settings.MEDIA_ROOT) / "recordings"
    assert not local.exists() or not [p for p in local.rglob("*") if p.is_file()]


def test_a_range_request_is_served_from_the_bucket(recorded, login_staff, seaweedfs, s3_bucket):  # noqa: F811
    cast, room = recorded
    record = room.recordings.get(is_combined=True)
    body = _object(seaweedfs, s3_bucket, record.file.name)
    client = Client()
    login_staff(client, cast.chair)
    url = reverse("media:recording_file", args=[record.pk])
    part = client.get(url, HTTP_RANGE="bytes=100-1123")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-1123/{len(body)}"
    assert b"".join(part.streaming_content) == body[100:1124]
    tail = client.get(url, HTTP_RANGE="bytes=-50")
    assert b"".join(tail.streaming_content) == body[-50:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(body)}-").status_code == 416
    whole = client.get(url + "?tai=1")
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == body
    assert PersonalDataAccess.objects.filter(actor=cast.chair, type="media.recording.downloaded",
                                             object_id=str(record.pk)).exists()


def test_another_communes_operator_cannot_play_it(recorded, login_staff):
    cast, room = recorded
    client = Client()
    login_staff(client, cast.outsider)
    response = client.get(reverse("media:recording_file", args=[room.recordings.first().pk]))
    assert response.status_code == 403


def test_custody_hashes_the_bucket_objects(recorded, seaweedfs, s3_bucket):  # noqa: F811
    _cast, room = recorded
    assert custody.verify(room.hearing_id) == []
    name = room.recordings.get(feed_id=2).file.name
    seaweedfs.client().put_object(Bucket=s3_bucket, Key=name, Body=b"edited in the bucket")
    assert custody.verify(room.hearing_id) == [f"altered: {name}"]


def test_custody_notices_an_object_deleted_from_the_bucket(recorded, seaweedfs, s3_bucket):  # noqa: F811
    _cast, room = recorded
    name = room.recordings.get(is_combined=True).file.name
    seaweedfs.client().delete_object(Bucket=s3_bucket, Key=name)
    assert custody.verify(room.hearing_id) == [f"missing: {name}"]
