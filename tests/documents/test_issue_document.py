"""issue_document: render, number, store, audit; nothing left behind when it fails, not even a
number (the numbering register stays gapless)."""

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.core.models import AuditEntry
from tiepdan.documents import registry
from tiepdan.documents.models import DocType, DocumentNumber, IssuedDocument, NumberSequence
from tiepdan.documents.services import issue_document, prepare_document, store_document

from .conftest import ISSUED_ON
from .failing_renderer import failing_renderer

pytestmark = pytest.mark.django_db


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_stores_both_files_under_random_names_with_their_hashes(invitation):
    assert invitation.symbol == "01/GM-UBND" and invitation.year == 2026
    for field, digest, suffix in ((invitation.docx_file, invitation.docx_sha256, ".docx"),
                                  (invitation.pdf_file, invitation.pdf_sha256, ".pdf")):
        assert field.name.startswith(f"documents/{invitation.commune_id}/")
        assert field.name.endswith(suffix) and "GM" not in field.name
        with field.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == digest


def test_it_keeps_the_context_it_was_rendered_from(invitation):
    layout = invitation.context["layout"]
    assert layout["number_line"] == "Số: 01/GM-UBND"
    assert layout["recipients"][-1] == "- Lưu: VT, VP."
    assert invitation.context["data"]["start"].startswith("2026-01-15T")
    # The context is enough to render the same document again.
    again = registry.render(DocType.INVITATION, invitation.context)
    assert again.docx_bytes[:2] == b"PK" and again.pdf_bytes.startswith(b"%PDF")


def test_it_audits_the_creation(invitation, officer):
    entry = AuditEntry.objects.get(type="documents.document.issued",
                                   object_type="documents.issueddocument")
    assert entry.object_id == str(invitation.pk)
    assert entry.actor == officer and entry.commune == invitation.commune
    assert entry.data == {"symbol": invitation.symbol, "subject": invitation.subject}
    assert "01/GM-UBND" in entry.data["symbol"] and "01/GM-UBND" in entry.text


def test_it_numbers_documents_in_sequence(invitation, an_lao, officer, signer, invitation_data):
    second = issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                            signer=signer, issued_on=ISSUED_ON)
    assert second.symbol == "02/GM-UBND"


def test_a_failed_render_takes_no_number_however_often_it_is_tried(
        an_lao, officer, signer, invitation_data):
    with failing_renderer(DocType.INVITATION) as breakdown:
        for _attempt in range(3):
            with pytest.raises(DomainError) as caught:
                issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                               signer=signer, issued_on=ISSUED_ON)
            assert caught.value.code == "render_failed"
            assert "chưa cấp số" in caught.value.message
        assert breakdown.attempts == 3
        assert not DocumentNumber.objects.exists() and not NumberSequence.objects.exists()
        assert not IssuedDocument.objects.exists() and not _stored_files()
        breakdown.repair()
        document = issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                                  signer=signer, issued_on=ISSUED_ON)
    assert document.symbol == "01/GM-UBND"
    assert document.context["layout"]["number_line"] == "Số: 01/GM-UBND"


def test_a_failed_store_takes_no_number_and_leaves_no_file(
        monkeypatch, an_lao, officer, signer, invitation_data):
    def broken(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr("tiepdan.documents.services.audit.record", broken)
    with pytest.raises(DomainError) as caught:
        issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                       signer=signer, issued_on=ISSUED_ON)
    assert caught.value.code == "store_failed"
    assert not IssuedDocument.objects.exists() and not _stored_files()
    assert not DocumentNumber.objects.exists()
    monkeypatch.undo()
    assert issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                          signer=signer, issued_on=ISSUED_ON).number == 1


def test_a_number_taken_meanwhile_is_rendered_again_under_the_next(
        an_lao, officer, signer, invitation_data):
    # Rendered under 01 before the lock; another document took 01 in between.
    prepared = prepare_document(an_lao, DocType.INVITATION, invitation_data, signer=signer,
                                issued_on=ISSUED_ON)
    assert prepared.number == 1
    other = issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                           signer=signer, issued_on=ISSUED_ON)
    with transaction.atomic():
        document = store_document(prepared, actor=officer)
    assert (other.number, document.number) == (1, 2)
    assert document.context["layout"]["number_line"] == "Số: 02/GM-UBND"
    with document.docx_file.open("rb") as stored, zipfile.ZipFile(stored) as docx:
        body = docx.read("word/document.xml").decode()
    assert "02/GM-UBND" in body and "01/GM-UBND" not in body


def test_it_refuses_missing_data_before_taking_a_number(an_lao, officer, signer,
                                                       invitation_data):
    del invitation_data["location"]
    with pytest.raises(InvalidInput, match="location"):
        issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                       signer=signer, issued_on=ISSUED_ON)
    assert not DocumentNumber.objects.exists()


def test_it_issues_the_seeded_notice_of_the_reception_schedule(lac_phuong, officer, signer):
    start = timezone.make_aware(dt.datetime(2026, 2, 10, 8, 0))
    document = issue_document(lac_phuong, DocType.NOTICE, {
        "sessions": [{"start": start, "location": "Trụ sở UBND xã Lạc Phượng",
                      "host": "Chủ tịch UBND xã"}],
        "register_until": dt.date(2026, 2, 5),
    }, actor=officer, signer=signer, issued_on=dt.date(2026, 2, 2))
    layout = document.context["layout"]
    assert document.symbol == "01/TB-UBND" and layout["type_title"] == "Thông báo"
    assert layout["place_date"] == "Lạc Phượng, ngày 02 tháng 02 năm 2026"
    text = " ".join(p["text"] for p in layout["paragraphs"])
    assert "08 giờ 00, thứ Ba, ngày 10/02/2026" in text and "trước ngày 05/02/2026" in text


def test_it_issues_the_seeded_report_to_the_city(an_lao, officer, signer, invitation_data):
    document = issue_document(an_lao, DocType.REPORT, {**invitation_data, "matter_count": 3},
                              actor=officer, signer=signer, issued_on=ISSUED_ON)
    layout = document.context["layout"]
    assert document.symbol == "01/BC-UBND"
    assert layout["addressee"] == "Kính gửi: Ủy ban nhân dân thành phố Hải Phòng"
    assert [p["text"] for p in layout["paragraphs"] if p["heading"]][0] == "1. Thời gian, địa điểm"
    assert any("Dự kiến tiếp 3 vụ việc" in p["text"] for p in layout["paragraphs"])


def test_it_keeps_the_number_used_when_a_document_is_deleted(
        invitation, an_lao, officer, signer, invitation_data, django_capture_on_commit_callbacks):
    names = [invitation.docx_file.name, invitation.pdf_file.name]
    with django_capture_on_commit_callbacks(execute=True):
        invitation.delete()
    assert not any(invitation.docx_file.storage.exists(name) for name in names)
    assert issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                          signer=signer, issued_on=ISSUED_ON).number == 2
