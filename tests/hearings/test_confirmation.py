"""Confirming a hearing issues its documents, schedules its matters and closes the milestones
the documents fulfil; a failed render leaves it in preparation; cancelling gives the matters
back; milestones are marked done with evidence; invitations carry the room link."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.builders import advance
from tests.builders import make_hearing as build_hearing
from tests.document_text import docx_text
from tests.documents.failing_renderer import failing_renderer
from tiepdan.core.errors import DomainError, Forbidden
from tiepdan.core.models import AuditEntry
from tiepdan.documents.models import DocType, DocumentNumber, DocumentTemplate, IssuedDocument
from tiepdan.hearings import changes, milestones, paperwork, planning
from tiepdan.hearings.errors import HearingStateError
from tiepdan.hearings.models import (
    HearingDocument,
    HearingDocumentPurpose,
    HearingStatus,
    MilestoneStatus,
)
from tiepdan.intake.models import MatterStatus, TriageRecord

pytestmark = pytest.mark.django_db
P = HearingDocumentPurpose




def test_confirming_issues_the_invitation_and_schedule_notice(ready_hearing, officer,
                                                             approved_matter):
    planning.confirm_hearing(ready_hearing, actor=officer)
    ready_hearing.refresh_from_db()
    assert ready_hearing.status == HearingStatus.CONFIRMED
    docs = {d.purpose: d.document for d in paperwork.current_documents(ready_hearing)}
    assert set(docs) == {P.INVITATION, P.SCHEDULE_NOTICE}  # no city leaders, no report
    assert docs[P.INVITATION].symbol == "01/GM-UBND"
    assert docs[P.SCHEDULE_NOTICE].symbol == "01/TB-UBND"
    text = docx_text(docs[P.INVITATION])
    assert "GIẤY MỜI" in text.upper()
    assert "Trần Thị Bình" in text  # the invitee
    assert "08 giờ 00" in text and "15/12/2026" in text
    # The chair (a Chairman) signs in their own name.
    assert docs[P.INVITATION].signer_position == "TM. Ủy ban nhân dân Chủ tịch"
    rows = {m.key: m for m in ready_hearing.milestones.all()}
    assert rows["invitations_issued"].status == MilestoneStatus.DONE
    assert "01/GM-UBND" in rows["invitations_issued"].evidence
    assert "01/TB-UBND" in rows["notify_parties"].evidence
    assert rows["connection_test"].status == MilestoneStatus.OPEN
    # The matter on the agenda is now "scheduled for hearing", through the state machine.
    approved_matter.refresh_from_db()
    assert approved_matter.status == MatterStatus.SCHEDULED
    record = TriageRecord.objects.filter(matter=approved_matter).latest("at", "pk")
    assert (record.from_status, record.to_status) == (MatterStatus.ACCEPTED,
                                                      MatterStatus.SCHEDULED)


def test_with_city_leaders_the_report_to_the_city_is_issued_without_identities(
        make_hearing, officer, approved_matter):
    hearing = make_hearing(city_leaders_attend=True)
    planning.add_bridge_point(
        hearing, actor=officer, kind="commune_hall", is_central=True, name="Trụ sở UBND xã",
        address="Thôn Hàm Hy", responsible_person="Vũ Văn Chủ Tịch",
        technical_contact_name="Ngô Văn Kỹ Thuật", technical_contact_phone="0912000999")
    planning.add_bridge_point(
        hearing, actor=officer, kind="city_committee", name="UBND thành phố",
        address="Số 18 Hoàng Diệu", responsible_person="Văn phòng UBND thành phố",
        technical_contact_name="Đỗ Văn Mạng", technical_contact_phone="0912000777")
    planning.confirm_hearing(hearing, actor=officer)
    docs = {d.purpose: d.document for d in paperwork.current_documents(hearing)}
    report = docs[P.CITY_REPORT]
    assert report.symbol == "01/BC-UBND"
    text = docx_text(report)
    assert "Kính gửi: Ủy ban nhân dân thành phố Hải Phòng" in text
    assert approved_matter.summary in text
    assert approved_matter.full_name not in text and approved_matter.id_number not in text
    done = hearing.milestones.get(key="report_to_city")
    assert done.status == MilestoneStatus.DONE and "01/BC-UBND" in done.evidence


def test_a_failed_render_leaves_the_hearing_in_preparation_and_takes_no_number(
        ready_hearing, officer, approved_matter):
    # The Giấy mời fails to render (as the DOCX writer did on a control character in a name):
    # however often the officer tries, no GM or TB number is consumed.
    with failing_renderer(DocType.INVITATION) as breakdown:
        for _attempt in range(3):
            with pytest.raises(DomainError) as caught:
                planning.confirm_hearing(ready_hearing, actor=officer)
            assert caught.value.code == "render_failed"
        assert breakdown.attempts == 3
        ready_hearing.refresh_from_db()
        assert ready_hearing.status == HearingStatus.DRAFT
        approved_matter.refresh_from_db()
        assert approved_matter.status == MatterStatus.ACCEPTED
        assert ready_hearing.milestones.get(key="notify_parties").status == MilestoneStatus.OPEN
        assert mail.outbox == []
        assert not DocumentNumber.objects.exists() and not IssuedDocument.objects.exists()
        assert not HearingDocument.objects.exists()
        breakdown.repair()  # the cause is fixed
        planning.confirm_hearing(ready_hearing, actor=officer)
    ready_hearing.refresh_from_db()
    assert ready_hearing.status == HearingStatus.CONFIRMED
    docs = {d.purpose: d.document.symbol for d in paperwork.current_documents(ready_hearing)}
    assert docs == {P.INVITATION: "01/GM-UBND", P.SCHEDULE_NOTICE: "01/TB-UBND"}


def test_a_later_document_failing_gives_back_the_numbers_of_those_before_it(
        ready_hearing, officer, approved_matter):
    # The administrator switched the notice template off: the GM renders, the TB cannot.
    DocumentTemplate.objects.filter(doc_type="TB").update(is_active=False)
    with pytest.raises(DomainError, match="Chưa có mẫu văn bản"):
        planning.confirm_hearing(ready_hearing, actor=officer)
    ready_hearing.refresh_from_db()
    assert ready_hearing.status == HearingStatus.DRAFT
    assert not DocumentNumber.objects.exists() and not HearingDocument.objects.exists()
    DocumentTemplate.objects.filter(doc_type="TB").update(is_active=True)
    planning.confirm_hearing(ready_hearing, actor=officer)
    assert paperwork.invitation_document(ready_hearing).document.symbol == "01/GM-UBND"


def test_a_failing_step_of_the_confirmation_rolls_its_numbers_back(
        ready_hearing, officer, monkeypatch):
    # Numbered and stored, then the confirmation's transaction fails: no number, no file.
    def broken(*args, **kwargs):
        raise RuntimeError("history unavailable")

    monkeypatch.setattr(planning.history, "record", broken)
    with pytest.raises(RuntimeError):
        planning.confirm_hearing(ready_hearing, actor=officer)
    assert not DocumentNumber.objects.exists() and not IssuedDocument.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_matter_no_longer_accepted_blocks_confirmation(ready_hearing, officer, chairman,
                                                         approved_matter, clock):
    # The matter is also on an earlier hearing, held the day before; its conclusion is issued
    # and the office closes it while this hearing is still in preparation.
    build_hearing(ready_hearing.commune, "held", matters=[approved_matter], officer=officer,
                  chairman=chairman, clock=clock,
                  starts_at=ready_hearing.starts_at - dt.timedelta(days=1))
    approved_matter.refresh_from_db()
    closed = advance(approved_matter, "closed", officer=officer, chairman=chairman, clock=clock)
    assert closed.status == MatterStatus.CLOSED
    with pytest.raises(HearingStateError, match="không thể xếp lịch"):
        planning.confirm_hearing(ready_hearing, actor=officer)
    assert not HearingDocument.objects.filter(hearing=ready_hearing).exists()
    ready_hearing.refresh_from_db()
    assert ready_hearing.status == HearingStatus.DRAFT


def test_cancelling_gives_the_matter_back_to_accepted(ready_hearing, officer, approved_matter):
    planning.confirm_hearing(ready_hearing, actor=officer)
    changes.cancel(ready_hearing, actor=officer, reason="Chủ tịch đi công tác đột xuất")
    approved_matter.refresh_from_db()
    assert approved_matter.status == MatterStatus.ACCEPTED


def test_the_invitation_carries_the_personal_room_link_and_the_giay_moi(
        client, ready_hearing, officer, django_capture_on_commit_callbacks, clock):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
    [message] = mail.outbox
    room = re.search(r"http\S*/phong-tiep/vao/\S+/", message.body)
    assert room, message.body
    invitation = re.search(r"http\S*/moi/\S+/", message.body).group(0)
    path = invitation.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path).content.decode()
    assert 'id="room-link"' in page and 'id="invitation-pdf"' in page
    response = client.get("/" + path + "giay-moi.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(type="hearings.invitation.downloaded",
                                     data__symbol__startswith="01/GM-UBND").exists()
    # The room link opens the join page of this hearing from the final check on (2 hours
    # before the start); before, it says when the room opens.
    room_path = "/" + room.group(0).split("://", 1)[1].split("/", 1)[1]
    early = client.get(room_path)
    assert early.status_code == 409  # not yet open: a state, not a permission
    assert "06:00 ngày 15/12/2026" in early.content.decode()
    clock.move_to(dt.datetime.fromisoformat("2026-12-15T06:30:00+07:00"))
    assert client.get(room_path).status_code == 200


def test_a_draft_invitation_page_has_no_room_link_or_document(client, ready_hearing):
    from tiepdan.hearings.invitations import invitation_token

    participant = ready_hearing.bridge_points.get(is_central=False).participants.get()
    page = client.get(reverse("hearings:invitation",
                              args=[invitation_token(participant)])).content.decode()
    assert 'id="room-link"' not in page and 'id="invitation-pdf"' not in page
    response = client.get(reverse("hearings:invitation_pdf",
                                  args=[invitation_token(participant)]))
    assert response.status_code == 404


def test_milestones_are_marked_done_with_evidence(ready_hearing, officer, operator):
    test = ready_hearing.milestones.get(key="connection_test")
    with pytest.raises(Exception, match="minh chứng"):
        milestones.complete(test, actor=operator, evidence="  ")
    milestones.complete(test, actor=operator, evidence="Kết nối thử 4/4 điểm cầu, nghe rõ")
    test.refresh_from_db()
    assert test.status == MilestoneStatus.DONE and test.done_by == operator
    with pytest.raises(HearingStateError):
        milestones.complete(test, actor=operator, evidence="lần hai")
    # The operator may not mark the office's milestones.
    invitations = ready_hearing.milestones.get(key="invitations_issued")
    with pytest.raises(Forbidden, match="quyền"):
        milestones.complete(invitations, actor=operator, evidence="GM 05")
    done = AuditEntry.objects.get(type="hearings.milestone.completed",
                                  data__milestone="connection_test")
    assert done.actor == operator
    assert done.data["evidence"] == "Kết nối thử 4/4 điểm cầu, nghe rõ"
    assert not AuditEntry.objects.filter(type="hearings.milestone.completed",
                                         data__milestone="invitations_issued").exists()


def test_moving_the_hearing_reopens_the_connection_test(ready_hearing, officer, operator):
    test = ready_hearing.milestones.get(key="connection_test")
    milestones.complete(test, actor=operator, evidence="Kết nối thử thành công")
    changes.reschedule(ready_hearing, starts_at=dt.datetime.fromisoformat(
        "2026-12-17T08:00:00+07:00"), duration_minutes=120, actor=officer,
        reason="Trùng lịch họp")
    test.refresh_from_db()
    assert test.status == MilestoneStatus.OPEN and test.evidence == ""
    assert test.due_date == dt.date(2026, 12, 16)


def test_the_operator_marks_a_milestone_on_the_page(client, login_staff, ready_hearing,
                                                    operator, an_lao):
    login_staff(client, operator)
    url = reverse("hearings:detail", args=[an_lao.ward_code, ready_hearing.pk])
    page = client.get(url).content.decode()
    assert "evidence-connection_test" in page
    assert "evidence-invitations_issued" not in page  # not the operator's to mark
    assert 'action="' + reverse("hearings:action", args=[an_lao.ward_code, ready_hearing.pk,
                                                         "confirm"]) not in page
    done_url = reverse("hearings:milestone_done",
                       args=[an_lao.ward_code, ready_hearing.pk, "connection_test"])
    response = client.post(done_url, {"evidence": ""})
    assert response.status_code == 422
    assert "Ghi minh chứng" in response.content.decode() or "Vui lòng" in \
        response.content.decode()
    response = client.post(done_url, {"evidence": "Thử kết nối 2/2 điểm cầu: tốt"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Thử kết nối 2/2 điểm cầu: tốt" in page


def test_ending_the_hearing_marks_it_held_and_its_matters_heard(ready_hearing, officer,
                                                                 chairman, approved_matter,
                                                                 clock):
    planning.confirm_hearing(ready_hearing, actor=officer)
    with pytest.raises(HearingStateError, match="chưa đến giờ bắt đầu"):
        planning.mark_held(ready_hearing, actor=chairman)
    clock.move_to(dt.datetime.fromisoformat("2026-12-15T10:05:00+07:00"))
    planning.mark_held(ready_hearing, actor=chairman)
    ready_hearing.refresh_from_db()
    assert ready_hearing.status == HearingStatus.HELD
    assert ready_hearing.held_by == chairman and ready_hearing.held_at is not None
    approved_matter.refresh_from_db()
    assert approved_matter.status == MatterStatus.HEARD
    with pytest.raises(HearingStateError):
        planning.mark_held(ready_hearing, actor=chairman)  # only once


def test_the_office_records_the_end_on_the_page(client, login_staff, ready_hearing, officer,
                                                an_lao, clock):
    planning.confirm_hearing(ready_hearing, actor=officer)
    login_staff(client, officer)
    url = reverse("hearings:action", args=[an_lao.ward_code, ready_hearing.pk, "held"])
    times = {"started_at": "2026-12-15T08:00", "ended_at": "2026-12-15T09:40", "confirm": "on"}
    early = client.post(url, times)
    assert early.status_code == 422 and "chưa đến giờ bắt đầu" in early.content.decode()
    clock.move_to(dt.datetime.fromisoformat("2026-12-15T10:00:00+07:00"))
    client.logout()  # the session of two weeks ago has expired
    login_staff(client, officer)
    response = client.post(url, times)
    assert response.status_code == 302
    assert response["Location"] == reverse("hearings:detail",
                                           args=[an_lao.ward_code, ready_hearing.pk])
    ready_hearing.refresh_from_db()
    assert ready_hearing.status == HearingStatus.HELD
