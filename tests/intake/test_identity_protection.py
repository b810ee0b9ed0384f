"""Denunciations are sealed (Luật Tố cáo Đ47, Đ56): nothing stored in plain, masks everywhere,
the citizen's own flows still work, reclassified matters are sealed too, keys rotate."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import AuditEntry, Role
from tiepdan.intake.digests import citizen_digests
from tiepdan.intake.identity import keys as identity_keys
from tiepdan.intake.identity.redaction import TEXT_MASK
from tiepdan.intake.identity.reveal import own_identity
from tiepdan.intake.identity.sealing import (
    MASK,
    MASK_NAME,
    MASK_REPRESENTATIVE,
    backfill_digests,
    open_sealed,
    protect_identity,
)
from tiepdan.intake.models import Attachment, Matter, MatterKind, ProtectedIdentity
from tiepdan.intake.status import find_for_citizen
from tiepdan.intake.triage import state_machine as triage
from tiepdan.notify.models import Delivery

from .identity_helpers import (
    EMAIL,
    ID_NUMBER,
    NAME,
    PDF,
    PHONE,
    PHONE_E164,
    REP_NAME,
    REP_PHONE,
    denunciation_data,
    leaked,
    raw_rows,
    register,
)

pytestmark = pytest.mark.django_db


def _group(**extra):
    return {"is_group": True, "group_size": 6, "rep_1_name": REP_NAME, "rep_1_phone": REP_PHONE,
            **extra}


def test_the_database_holds_no_plain_identity_of_a_denunciation(an_lao):
    matter = register(an_lao, email=EMAIL, **_group())

    matter_row = " ".join(raw_rows("intake_matter", "id", matter.pk))
    rep_rows = " ".join(raw_rows("intake_representative", "matter_id", matter.pk))
    sealed_row = " ".join(raw_rows("intake_protectedidentity", "matter_id", matter.pk))
    attachment_rows = " ".join(raw_rows("intake_attachment", "matter_id", matter.pk))
    assert leaked(matter_row) == []
    assert leaked(rep_rows) == []
    assert leaked(sealed_row) == []
    assert leaked(attachment_rows) == []  # the citizen's file name named them
    assert MASK_NAME in matter_row and MASK_REPRESENTATIVE in rep_rows


def test_the_masks_are_readable_and_the_identity_decrypts(an_lao):
    matter = register(an_lao, email=EMAIL, **_group())

    assert (matter.full_name, matter.id_number, matter.phone, matter.address, matter.email) == (
        MASK_NAME, MASK, MASK, MASK, "")
    assert matter.date_of_birth is None and matter.address_ward_code is None
    identity = open_sealed(matter)
    assert (identity.full_name, identity.id_number, identity.phone, identity.email) == (
        NAME, ID_NUMBER, PHONE_E164, EMAIL)
    assert identity.address == "Thôn Hàm Hy" and identity.address_ward_code == an_lao.ward_code
    assert [(r.full_name, r.phone) for r in identity.representatives] == [
        (REP_NAME, "+84987000202")]
    assert identity.attachment_names == {str(matter.attachments.get().pk): f"don-{NAME}.pdf"}


def test_the_content_keeps_the_petition_but_not_the_denouncer(an_lao):
    matter = register(an_lao)

    assert NAME.upper() not in matter.content and "0912 000 101" not in matter.content
    assert "0311 85000101" not in matter.content
    assert matter.content.count(TEXT_MASK) == 3
    assert "Ông Lý Văn Tố" in matter.content  # the denounced person stays: verifiers need it
    assert NAME.upper() in open_sealed(matter).original_texts["content"]


def test_the_stored_attachment_is_ciphertext(an_lao):
    matter = register(an_lao)
    attachment = matter.attachments.get()

    stored = Path(attachment.file.path).read_bytes()
    assert attachment.encrypted and attachment.key_id == identity_keys.primary_key_id()
    assert not stored.startswith(b"%PDF") and PDF[:64] not in stored
    assert identity_keys.decrypt(stored) == PDF


def test_other_kinds_are_not_sealed_but_get_digests(an_lao):
    matter = register(an_lao, kind="kien_nghi", summary="Kiến nghị", content="Sửa đường.")

    assert not matter.identity_sealed and matter.full_name == NAME
    assert not ProtectedIdentity.objects.exists()
    assert not matter.attachments.get().encrypted
    assert (matter.id_digest, matter.phone_digest) == citizen_digests(ID_NUMBER, PHONE)


def test_a_denunciation_has_the_digests_of_its_real_numbers(an_lao):
    matter = register(an_lao)
    other = register(an_lao, kind="phan_anh", summary="Phản ánh", content="Ồn ào.")

    assert matter.id_digest == other.id_digest != ""
    assert matter.phone_digest == other.phone_digest != ""


def test_the_citizen_finds_a_sealed_matter_by_code_and_phone(an_lao):
    matter = register(an_lao)

    assert find_for_citizen(matter.tracking_code, "0912 000 101").pk == matter.pk
    api = f"/api/v1/registrations/{matter.tracking_code}"
    client = Client()
    assert client.get(api, {"phone": PHONE}).status_code == 200
    assert client.get(api, {"phone": "0912000102"}).status_code == 404
    assert client.post(reverse("intake:lookup"),
                       {"code": matter.tracking_code, "phone": "0987000202"}).status_code == 404


def test_the_citizen_receipt_shows_their_own_identity(client, an_lao):
    data = {**denunciation_data(an_lao), "consent": "on"}
    response = client.post(reverse("intake:register", args=[an_lao.ward_code]), data)
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert NAME in receipt.content.decode() and ID_NUMBER in receipt.content.decode()
    assert receipt["Cache-Control"] == "private, no-store"
    assert Matter.objects.get().full_name == MASK_NAME


def test_a_staff_session_receipt_shows_the_masks(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.VILLAGE_HEAD, commune=an_lao))
    data = {**denunciation_data(an_lao), "consent": "on"}
    response = client.post(reverse("intake:assisted", args=[an_lao.ward_code]), data)
    receipt = client.get(response["Location"]).content.decode()
    assert leaked(receipt) == [] and MASK_NAME in receipt


def test_the_receipt_email_goes_to_the_citizen_without_naming_them(an_lao):
    matter = register(an_lao, email=EMAIL)

    delivery = Delivery.objects.get(object_id=str(matter.pk), channel="email")
    assert delivery.recipient == EMAIL
    assert leaked(delivery.body_text + delivery.body_html + delivery.subject) == []
    assert matter.tracking_code in delivery.body_text


def test_reclassifying_a_complaint_as_a_denunciation_seals_it(an_lao):
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    matter = register(an_lao, kind="khieu_nai", complained_decision="Quyết định số 1/QĐ")
    assert not matter.identity_sealed and not matter.attachments.get().encrypted

    triage.classify(matter, kind=MatterKind.TO_CAO, field_of_law="Đất đai", actor=officer,
                    reason="Nội dung là tố cáo hành vi vi phạm")

    matter.refresh_from_db()
    attachment = matter.attachments.get()
    assert matter.identity_sealed and matter.full_name == MASK_NAME
    assert leaked(" ".join(raw_rows("intake_matter", "id", matter.pk))) == []
    assert attachment.encrypted and identity_keys.decrypt(
        Path(attachment.file.path).read_bytes()) == PDF
    assert open_sealed(matter).full_name == NAME


def test_the_plain_copy_of_a_reclassified_attachment_is_removed(
    an_lao, django_capture_on_commit_callbacks
):
    matter = register(an_lao, kind="khieu_nai", complained_decision="Quyết định số 1/QĐ")
    plain_path = Path(matter.attachments.get().file.path)
    matter.kind = MatterKind.TO_CAO
    with django_capture_on_commit_callbacks(execute=True):
        assert protect_identity(matter) is True

    assert not plain_path.exists()
    assert Path(Attachment.objects.get().file.path).exists()


def test_sealing_is_idempotent_and_never_undone(an_lao):
    matter = register(an_lao)
    token = ProtectedIdentity.objects.get().ciphertext

    assert protect_identity(matter) is False
    assert ProtectedIdentity.objects.get().ciphertext == token
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    triage.classify(matter, kind=MatterKind.KIEN_NGHI, field_of_law="Đất đai", actor=officer,
                    reason="Thực chất là kiến nghị")
    matter.refresh_from_db()
    assert matter.kind == MatterKind.KIEN_NGHI and matter.identity_sealed
    assert matter.full_name == MASK_NAME


def test_key_rotation_keeps_everything_readable(an_lao, settings):
    old_key = identity_keys.current_keys()[0]
    matter = register(an_lao)
    new_key = identity_keys.new_key()
    settings.IDENTITY_KEYS = [new_key, old_key]

    call_command("identity", "rotate-keys")

    settings.IDENTITY_KEYS = [new_key]  # the old key is gone
    assert ProtectedIdentity.objects.get().key_id == identity_keys.key_id(new_key)
    assert own_identity(Matter.objects.get()).full_name == NAME
    attachment = matter.attachments.get()
    assert attachment.key_id == identity_keys.key_id(new_key)
    assert identity_keys.decrypt(Path(attachment.file.path).read_bytes()) == PDF
    entry = AuditEntry.objects.filter(type="intake.identity_key.rotated").latest("id")
    assert entry.data == {"key_id": identity_keys.key_id(new_key), "matters": 1, "files": 1}
    assert "1 hồ sơ, 1 tệp" in entry.text


def test_the_embedded_key_file_is_generated_private_and_can_take_a_new_key(settings):
    path = settings.IDENTITY_KEY_FILE
    assert not path.exists()
    first = identity_keys.primary_key_id()

    assert path.stat().st_mode & 0o777 == 0o600
    call_command("identity", "new-key")
    assert identity_keys.primary_key_id() != first
    assert len(identity_keys.current_keys()) == 2
    assert path.stat().st_mode & 0o777 == 0o600


def test_digests_match_the_same_numbers_written_differently():
    assert citizen_digests("0311 8500 0101", "0912 000 101") == citizen_digests(
        ID_NUMBER, PHONE_E164)
    assert citizen_digests(ID_NUMBER, PHONE)[0] != citizen_digests("031185000102", PHONE)[0]
    assert len(citizen_digests(ID_NUMBER, PHONE)[1]) == 64
    assert citizen_digests("", "") == ("", "")


def test_the_backfill_fills_plain_and_sealed_matters(an_lao):
    plain = register(an_lao, kind="kien_nghi", summary="Kiến nghị", content="Sửa đường.")
    sealed = register(an_lao)
    Matter.objects.update(id_digest="", phone_digest="")

    assert backfill_digests() == 2

    expected = citizen_digests(ID_NUMBER, PHONE)
    for matter in (plain, sealed):
        matter.refresh_from_db()
        assert (matter.id_digest, matter.phone_digest) == expected


def test_the_migration_seals_denunciations_registered_before_it(an_lao):
    matter = register(an_lao, kind="kien_nghi", summary="Tố cáo", content=f"Tôi là {NAME}.")
    Matter.objects.filter(pk=matter.pk).update(kind=MatterKind.TO_CAO, id_digest="")
    migration = importlib.import_module("tiepdan.intake.migrations.0004_identity_protection")

    migration.protect_existing(apps, None)

    matter.refresh_from_db()
    assert matter.identity_sealed and matter.full_name == MASK_NAME
    assert matter.id_digest == citizen_digests(ID_NUMBER, PHONE)[0]
    assert matter.attachments.get().encrypted
    assert open_sealed(matter).full_name == NAME


def test_a_bad_key_in_the_environment_fails_at_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from tiepdan.settings import _identity_keys

    monkeypatch.setenv("TIEPDAN_IDENTITY_KEYS", f"{identity_keys.new_key()}, not-a-key")
    with pytest.raises(ImproperlyConfigured, match="key #2"):
        _identity_keys()
    monkeypatch.setenv("TIEPDAN_IDENTITY_KEYS", "")
    assert _identity_keys() == []
