"""Moving or cancelling a confirmed hearing: a reason, the old Giấy mời / TB / BC kept but
superseded, new ones with new numbers, the milestones they fulfilled reopened (and fulfilled
again by the new documents), everyone told after commit, and the whole history on the page."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from tests.document_text import docx_text
from tests.documents.failing_renderer import failing_renderer
from tiepdan.core.errors import InvalidInput
from tiepdan.documents.models import DocType, DocumentNumber, IssuedDocument
from tiepdan.hearings import changes, milestones, paperwork, planning
from tiepdan.hearings.models import (
    ChangeKind,
    HearingChange,
    HearingDocument,
    HearingDocumentPurpose,
    HearingStatus,
    MilestoneStatus,
)
from tiepdan.notify.models import Delivery
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db
P = HearingDocumentPurpose
LATER = dt.datetime(2026, 12, 22, 8, 0, tzinfo=VN_TZ)


def rows() -> tuple[int, ...]:
    return (IssuedDocument.objects.count(), HearingDocument.objects.count(),
            HearingChange.objects.count(), Delivery.objects.count(),
            IssuedDocument.objects.filter(superseded_at__isnull=False).count())


@pytest.fixture
def confirmed(ready_hearing, officer, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
    milestones.complete(ready_hearing.milestones.get(key="connection_test"), actor=operator,
                        evidence="Kết nối thử 2/2 điểm cầu")
    mail.outbox.clear()
    ready_hearing.refresh_from_db()
    return ready_hearing


def test_moving_without_a_reason_changes_nothing(confirmed, officer):
    before = (rows(), confirmed.starts_at, confirmed.version)
    with pytest.raises(InvalidInput) as refused:
        changes.reschedule(confirmed, starts_at=LATER, duration_minutes=120, actor=officer,
                           reason="  ")
    assert "reason" in refused.value.field_errors
    confirmed.refresh_from_db()
    assert (rows(), confirmed.starts_at, confirmed.version) == before


def test_moving_supersedes_the_old_documents_and_issues_new_ones(
        confirmed, officer, django_capture_on_commit_callbacks):
    old = {d.purpose: d.document for d in paperwork.current_documents(confirmed)}
    with django_capture_on_commit_callbacks(execute=True):
        result = changes.reschedule(confirmed, starts_at=LATER, duration_minutes=120,
                                    actor=officer, reason="Trùng lịch họp Thành ủy")
    confirmed.refresh_from_db()
    assert confirmed.status == HearingStatus.CONFIRMED and confirmed.version == 2
    new = {d.purpose: d.document for d in paperwork.current_documents(confirmed)}
    assert new[P.INVITATION].symbol == "02/GM-UBND"
    assert new[P.SCHEDULE_NOTICE].symbol == "02/TB-UBND"
    assert "22/12/2026" in docx_text(new[P.INVITATION])  # the new time in the new Giấy mời
    for purpose, document in old.items():  # kept, marked, linked to what replaced it
        document.refresh_from_db()
        assert document.superseded_at is not None
        assert document.superseded_by == new[purpose]
        assert "Trùng lịch họp Thành ủy" in document.superseded_reason
    assert IssuedDocument.objects.filter(pk=old[P.INVITATION].pk).exists()
    assert sorted(result.replaced) == ["01/GM-UBND", "01/TB-UBND"]
    # The milestones the old documents fulfilled reopened, and the new ones fulfil them again;
    # the technical test must be done again for the new time.
    assert {"notify_parties", "invitations_issued", "connection_test"} <= set(result.reopened)
    rows_ = {m.key: m for m in confirmed.milestones.all()}
    assert rows_["invitations_issued"].status == MilestoneStatus.DONE
    assert "02/GM-UBND" in rows_["invitations_issued"].evidence
    assert "02/TB-UBND" in rows_["notify_parties"].evidence
    assert rows_["connection_test"].status == MilestoneStatus.OPEN
    assert rows_["connection_test"].evidence == ""
    # Every participant gets the new time with fresh links, as with the invitation.
    [message] = mail.outbox
    assert message.to == ["cong.dan@example.org"]
    assert "22/12/2026" in message.body and "Trùng lịch họp Thành ủy" in message.body
    assert "/phong-tiep/vao/" in message.body
    assert Delivery.objects.filter(purpose="hearings.change", status="sent").exists()
    change = HearingChange.objects.filter(hearing=confirmed).latest("id")
    assert (change.kind, change.actor, change.version) == (ChangeKind.RESCHEDULED, officer, 2)
    assert change.previous_starts_at == dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ)


def test_a_failed_render_of_the_new_documents_changes_nothing(confirmed, officer):
    from tiepdan.core.errors import DomainError

    before_version, before = confirmed.version, rows()
    numbers = list(DocumentNumber.objects.values_list("doc_type", "number"))
    with failing_renderer(DocType.NOTICE) as breakdown:  # the second document of the move
        for _attempt in range(2):
            with pytest.raises(DomainError):
                changes.reschedule(confirmed, starts_at=LATER, duration_minutes=120,
                                   actor=officer, reason="Trùng lịch")
        assert breakdown.attempts == 2
    confirmed.refresh_from_db()
    assert confirmed.version == before_version
    assert confirmed.starts_at == dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ)
    current = paperwork.current_documents(confirmed)
    assert [d.document.superseded_at for d in current] == [None, None]
    # Not even the Giấy mời rendered before the failing notice took a number.
    assert rows() == before
    assert list(DocumentNumber.objects.values_list("doc_type", "number")) == numbers
    result = changes.reschedule(confirmed, starts_at=LATER, duration_minutes=120,
                                actor=officer, reason="Trùng lịch")
    assert sorted(result.issued) == ["02/GM-UBND", "02/TB-UBND"]


def test_cancelling_withdraws_the_documents_and_tells_everyone(
        confirmed, officer, django_capture_on_commit_callbacks):
    before = rows()
    with pytest.raises(InvalidInput):
        changes.cancel(confirmed, actor=officer, reason="")
    assert rows() == before
    with django_capture_on_commit_callbacks(execute=True):
        result = changes.cancel(confirmed, actor=officer, reason="Công dân rút đơn")
    assert sorted(result.withdrawn) == ["01/GM-UBND", "01/TB-UBND"]
    for link in HearingDocument.objects.filter(hearing=confirmed):
        assert link.document.superseded_at is not None and link.document.superseded_by is None
    [message] = mail.outbox
    assert "HỦY" in message.body and "Công dân rút đơn" in message.body
    assert HearingChange.objects.filter(hearing=confirmed, kind=ChangeKind.CANCELLED).exists()


def test_the_page_shows_the_whole_history_and_the_superseded_documents(
        client, login_staff, confirmed, officer, an_lao):
    login_staff(client, officer)
    url = reverse("hearings:action", args=[an_lao.ward_code, confirmed.pk, "reschedule"])
    refused = client.post(url, {"starts_at": "2026-12-22T08:00", "duration_minutes": "120",
                                "reason": ""})
    assert refused.status_code == 422
    assert HearingChange.objects.filter(kind=ChangeKind.RESCHEDULED).count() == 0
    response = client.post(url, {"starts_at": "2026-12-22T08:00", "duration_minutes": "120",
                                 "reason": "Trùng lịch họp"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã dời buổi tiếp sang 08:00 22/12/2026" in page  # what happened ...
    assert "02/GM-UBND, 02/TB-UBND thay 01/GM-UBND, 01/TB-UBND" in page  # ... and what next
    assert "phải làm lại: Kiểm tra, kết nối thử" in page
    assert 'id="hearing-history"' in page and "Trùng lịch họp" in page
    assert 'data-kind="rescheduled"' in page and 'data-kind="confirmed"' in page
    assert "01/GM-UBND" in page and "Đã bị thay thế bằng 02/GM-UBND" in page
