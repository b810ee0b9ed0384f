"""issue_document: number, render, store, audit; nothing left behind when it fails."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.core.models import AuditAction, AuditEntry
from tiepdan.documents import registry
from tiepdan.documents.models import DocType, DocumentNumber, IssuedDocument
from tiepdan.documents.numbering import next_number
from tiepdan.documents.services import issue_document

from .conftest import ISSUED_ON

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
    entry = AuditEntry.objects.get(action=AuditAction.CREATE,
                                   object_type="documents.issueddocument")
    assert entry.object_id == str(invitation.pk)
    assert entry.actor == officer and entry.commune == invitation.commune
    assert "01/GM-UBND" in entry.summary


def test_it_numbers_documents_in_sequence(invitation, an_lao, officer, signer, invitation_data):
    second = issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                            signer=signer, issued_on=ISSUED_ON)
    assert second.symbol == "02/GM-UBND"


def test_it_never_reuses_a_number_after_a_failed_render(
        monkeypatch, an_lao, officer, signer, invitation_data):
    def broken(doc_type, context):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("tiepdan.documents.services.render", broken)
    with pytest.raises(DomainError, match="01/GM-UBND") as caught:
        issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                       signer=signer, issued_on=ISSUED_ON)
    assert caught.value.code == "render_failed"
    assert not IssuedDocument.objects.exists() and not _stored_files()
    assert DocumentNumber.objects.filter(commune=an_lao, number=1).exists()
    monkeypatch.undo()
    document = issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                              signer=signer, issued_on=ISSUED_ON)
    assert document.number == 2


def test_it_removes_the_files_when_saving_the_row_fails(
        monkeypatch, an_lao, officer, signer, invitation_data):
    def broken(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr("tiepdan.documents.services.audit.record", broken)
    with pytest.raises(DomainError):
        issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                       signer=signer, issued_on=ISSUED_ON)
    assert not IssuedDocument.objects.exists() and not _stored_files()
    assert next_number(an_lao, DocType.INVITATION, 2026) == 2


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
        invitation, an_lao, django_capture_on_commit_callbacks):
    names = [invitation.docx_file.name, invitation.pdf_file.name]
    with django_capture_on_commit_callbacks(execute=True):
        invitation.delete()
    assert not any(invitation.docx_file.storage.exists(name) for name in names)
    assert next_number(an_lao, DocType.INVITATION, 2026) == 2
