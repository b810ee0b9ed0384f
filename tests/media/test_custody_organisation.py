"""Issue 15 §3: the recordings' manifest is signed by the commune's organisation certificate
(detached CMS), checkable against the configured trust roots, and the Biên bản quotes it."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.documents.signing_kit import make_pki
from tiepdan.demo import pki
from tiepdan.documents.models import OrganisationSeal, SealBackend
from tiepdan.media import custody, room_service
from tiepdan.media.models import HearingRoom, RecordingFile
from tiepdan.minutes.paperwork import recordings_data


@pytest.fixture(autouse=True)
def _in_vietnamese():
    with translation.override("vi"):  # the problems are said in the reader's language
        yield


@pytest.fixture
def organisation_signed_room(cast, settings, tmp_path) -> HearingRoom:
    made = make_pki(tmp_path / "pki")
    settings.SIGNATURE_TRUST_ROOTS = [str(made.root_file)]
    holder = pki.issue(made.authority, "UBND xã An Lão", "Ủy ban nhân dân xã An Lão")
    (tmp_path / "seal.pass").write_text("bi-mat", encoding="utf-8")
    (tmp_path / "seal.p12").write_bytes(holder.pkcs12(b"bi-mat"))
    OrganisationSeal.objects.create(commune=cast.hearing.commune, backend=SealBackend.PKCS12,
                                    pkcs12_path=str(tmp_path / "seal.p12"),
                                    secret_file=str(tmp_path / "seal.pass"))
    room, _, _ = room_service.room_record(cast.hearing.pk)
    for feed, point in ((11, cast.central), (22, cast.department)):
        record = RecordingFile(room=room, bridge_point=point, feed_id=feed, label=point.name,
                               sha256="", size_bytes=5, duration_seconds=60.0, has_audio=True)
        record.file.save(f"feed-{feed}.webm", ContentFile(f"video{feed}".encode()), save=False)
        record.sha256 = custody._sha256(record.file.name)
        record.save()
    return custody.sign(room)


def test_the_manifest_is_signed_by_the_organisation_certificate(organisation_signed_room,
                                                                capsys):
    room = organisation_signed_room
    assert room.manifest_signature.startswith(custody.CMS_PREFIX)
    assert custody.verify(room.hearing_id) == []
    assert custody.signer_of(room) == "UBND xã An Lão"
    call_command("recordings", "verify", str(room.hearing_id))
    assert "organisation certificate of UBND xã An Lão, chain trusted" in capsys.readouterr().out


def test_an_edited_manifest_breaks_the_organisation_signature(organisation_signed_room):
    room = organisation_signed_room
    manifest = room.manifest
    manifest["files"][0]["sha256"] = "0" * 64
    HearingRoom.objects.filter(pk=room.pk).update(manifest=manifest)
    problems = custody.verify(room.hearing_id)
    assert problems[0] == "the manifest's signature is not valid: bản kê đã bị sửa sau khi ký"
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("recordings", "verify", str(room.hearing_id))


def test_a_certificate_outside_the_trust_roots_is_reported(organisation_signed_room, settings,
                                                           tmp_path):
    other = make_pki(tmp_path / "other")
    settings.SIGNATURE_TRUST_ROOTS = [str(other.root_file)]
    assert custody.verify(organisation_signed_room.hearing_id) == [
        "the manifest's signature is not valid: chứng thư số ký bản kê không được tin cậy"]


def test_the_minutes_quote_the_manifest_and_every_file(organisation_signed_room):
    room = organisation_signed_room
    data = recordings_data(room.hearing)
    assert data["manifest_sha256"] == custody.manifest_sha256(room)
    assert data["signed_by"] == "UBND xã An Lão"
    assert [f["sha256"] for f in data["files"]] == [f["sha256"] for f in room.manifest["files"]]


def test_the_manifest_is_signed_and_checked_from_a_thread_running_an_event_loop(
        organisation_signed_room):
    """pyHanko's CMS calls are coroutines; code that signs or checks from a thread with a
    running event loop (an async caller, a Playwright-driven script) gets the same result."""
    import asyncio

    from tiepdan.documents import seal

    room = organisation_signed_room
    data = custody.canonical(room.manifest)
    organisation = OrganisationSeal.objects.get(commune=room.hearing.commune)

    async def inside_a_loop() -> tuple:
        signature = seal.sign_data(data, organisation)
        return seal.check_data_signature(data, signature)

    certificate, problem = asyncio.run(inside_a_loop())
    assert problem == ""
    assert certificate is not None and certificate.common_name == "UBND xã An Lão"
