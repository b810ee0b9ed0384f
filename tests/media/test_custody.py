"""The signed manifest of a hearing's recordings catches altered, missing and re-signed files
(no Janus needed: the files here are stand-ins)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from tiepdan.media import custody, room_service
from tiepdan.media.models import HearingRoom, RecordingFile


@pytest.fixture
def signed_room(cast, settings, tmp_path) -> HearingRoom:
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "keys" / "ed25519.pem")
    room, _, _ = room_service.room_record(cast.hearing.pk)
    for feed, point in ((11, cast.central), (22, cast.department)):
        record = RecordingFile(room=room, bridge_point=point, feed_id=feed, label=point.name,
                               sha256="", size_bytes=5, duration_seconds=60.0, has_audio=True)
        record.file.save(f"feed-{feed}.webm", ContentFile(f"video{feed}".encode()), save=False)
        record.sha256 = custody._sha256(record.file.name)
        record.save()
    return custody.sign(room)


def test_it_verifies_untouched_recordings(signed_room):
    assert custody.verify(signed_room.hearing_id) == []
    assert len(signed_room.manifest["files"]) == 2


def test_it_keeps_the_key_private(signed_room, tmp_path):
    assert (tmp_path / "keys" / "ed25519.pem").stat().st_mode & 0o777 == 0o600


def test_it_catches_an_altered_file(signed_room):
    name = signed_room.manifest["files"][0]["name"]
    with default_storage.open(name, "wb") as handle:
        handle.write(b"edited")
    assert custody.verify(signed_room.hearing_id) == [f"altered: {name}"]


def test_it_catches_a_missing_file(signed_room):
    name = signed_room.manifest["files"][1]["name"]
    default_storage.delete(name)
    assert custody.verify(signed_room.hearing_id) == [f"missing: {name}"]


def test_it_catches_a_manifest_edited_to_match_an_altered_file(signed_room):
    manifest = signed_room.manifest
    manifest["files"][0]["sha256"] = "0" * 64
    HearingRoom.objects.filter(pk=signed_room.pk).update(manifest=manifest)
    problems = custody.verify(signed_room.hearing_id)
    assert any("signature" in p for p in problems)


def test_it_catches_a_manifest_signed_with_another_key(signed_room, settings, tmp_path):
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "other.pem")
    custody.sign(signed_room)  # an intruder's key signs it...
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "keys" / "ed25519.pem")
    assert any("signature" in p for p in custody.verify(signed_room.hearing_id))


def test_the_command_fails_on_tampering(signed_room):
    call_command("recordings", "verify", str(signed_room.hearing_id))
    default_storage.delete(signed_room.manifest["files"][0]["name"])
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("recordings", "verify", str(signed_room.hearing_id))
