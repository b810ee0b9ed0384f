"""The chair's conclusions per matter and the Thông báo kết luận việc tiếp công dân: checked
input, a working-day deadline, a TB numbered in the shared sequence, the matter concluded, the
notice sent to the citizen and the bodies, and nothing of a sealed denouncer sent to a body."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.document_text import docx_text
from tests.fixtures.held_hearing import DENOUNCER
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.intake.models import MatterStatus, TriageRecord
from tiepdan.minutes import conclusions
from tiepdan.minutes.errors import MinutesStateError
from tiepdan.minutes.models import Conclusion, Outcome
from tiepdan.notify.models import Delivery
from tiepdan.workdays.services import current_calendar

pytestmark = pytest.mark.django_db

BODIES = [{"name": "Phòng Kinh tế xã", "email": "kinhte@example.org"},
          {"name": "Công an xã", "email": ""}]


def _conclude(hearing, matter, actor, **extra) -> Conclusion:
    values = {"outcome": Outcome.ASSIGNED, "responsible_bodies": BODIES,
              "directions": "Giao Phòng Kinh tế kiểm tra hiện trạng tuyến đường.\n"
                            "Báo cáo kết quả cho Chủ tịch UBND xã.",
              "deadline_working_days": 10, "contact_person": "Đỗ Thị Văn Phòng, 0225 000 111"}
    return conclusions.record_conclusion(hearing, matter, actor=actor, **{**values, **extra})


def _issue(conclusion, actor, capture) -> Conclusion:
    with capture(execute=True):
        conclusions.issue_conclusion_notice(conclusion, actor=actor)
    return Conclusion.objects.select_related("notice", "matter").get(pk=conclusion.pk)


@pytest.mark.parametrize(("changes", "field"), [
    ({"directions": "  "}, "directions"),
    ({"outcome": "bogus"}, "outcome"),
    ({"responsible_bodies": []}, "responsible_bodies"),  # assigned needs a body
    ({"deadline_working_days": None}, "deadline_working_days"),  # … and a deadline
    ({"deadline_working_days": 0}, "deadline_working_days"),
    ({"deadline_working_days": 91}, "deadline_working_days"),
    ({"responsible_bodies": [{"name": "Công an xã", "email": "khong-phai-email"}]},
     "responsible_bodies"),
    ({"responsible_bodies": "; mot@example.org"}, "responsible_bodies"),
], ids=["no-directions", "bad-outcome", "assigned-without-body", "assigned-without-deadline",
        "zero-days", "too-many-days", "bad-email", "email-without-name"])
def test_bad_conclusions_are_refused(hearing, chairman, recommendation, changes, field):
    with pytest.raises(InvalidInput) as caught:
        _conclude(hearing, recommendation, chairman, **changes)
    assert field in caught.value.field_errors
    assert not Conclusion.objects.exists()


def test_the_deadline_counts_working_days_from_the_hearing(hearing, chairman, recommendation):
    conclusion = _conclude(hearing, recommendation, chairman)
    assert conclusion.due_date == current_calendar().add_working_days(dt.date(2026, 12, 15), 10)
    assert conclusion.due_date == dt.date(2026, 12, 29)
    assert "10 ngày làm việc sau ngày 15/12/2026" in conclusion.deadline_explanation


def test_bodies_may_be_typed_one_per_line(hearing, officer, recommendation):
    conclusion = _conclude(hearing, recommendation, officer,
                           responsible_bodies="Phòng Kinh tế xã; kinhte@example.org\n\n"
                                              "Công an xã")
    assert conclusion.responsible_bodies == BODIES


def test_the_notice_is_a_numbered_tb_to_the_citizen(hearing, chairman, recommendation,
                                                      django_capture_on_commit_callbacks):
    conclusion = _issue(_conclude(hearing, recommendation, chairman), chairman,
                        django_capture_on_commit_callbacks)
    notice = conclusion.notice
    # 01/TB-UBND is the schedule notice issued when the hearing was confirmed: one sequence.
    assert (notice.symbol, notice.template_key) == ("02/TB-UBND", "conclusion_notice")
    text = docx_text(notice)
    assert "THÔNG BÁO" in text and "Số: 02/TB-UBND" in text
    assert "Kết luận của Chủ tịch UBND xã An Lão tại buổi tiếp công dân ngày 15/12/2026" in text
    assert "Kính gửi: Bà Trần Thị Bình" in text
    assert f"mã hồ sơ {recommendation.tracking_code}: Kiến nghị sửa đường liên thôn" in text
    assert "Hướng xử lý: Giao cơ quan, đơn vị xem xét, giải quyết." in text
    assert "Giao Phòng Kinh tế kiểm tra hiện trạng tuyến đường." in text
    assert "Thời hạn thực hiện: 10 ngày làm việc kể từ ngày buổi tiếp, hạn chót ngày " \
           "29/12/2026" in text
    assert "Đầu mối liên hệ: Đỗ Thị Văn Phòng" in text
    assert "- Phòng Kinh tế xã;" in text and "- Công an xã;" in text  # Nơi nhận
    assert "VŨ VĂN CHỦ TỊCH" in text.upper()


def test_issuing_concludes_the_matter_and_sends_the_notice(
        hearing, chairman, recommendation, django_capture_on_commit_callbacks):
    conclusion = _issue(_conclude(hearing, recommendation, chairman), chairman,
                        django_capture_on_commit_callbacks)
    assert conclusion.matter.status == MatterStatus.CONCLUDED
    assert conclusion.notice_issued_at is not None and conclusion.notice_issued_by == chairman
    record = TriageRecord.objects.filter(matter=recommendation).latest("pk")
    assert (record.from_status, record.to_status) == ("heard", "concluded")
    assert "02/TB-UBND" in record.reason
    deliveries = {d.recipient: d for d in Delivery.objects.filter(
        object_type="minutes.conclusion")}
    assert set(deliveries) == {"cong.dan@example.org", "kinhte@example.org"}  # no e-mail: none
    citizen = deliveries["cong.dan@example.org"]
    assert "Trần Thị Bình" in citizen.body_text and "/thong-bao-ket-luan/" in citizen.body_text
    assert "Hướng xử lý" in deliveries["kinhte@example.org"].body_text


def test_the_link_in_the_message_downloads_the_pdf(hearing, chairman, recommendation,
                                                   django_capture_on_commit_callbacks):
    _issue(_conclude(hearing, recommendation, chairman), chairman,
           django_capture_on_commit_callbacks)
    body = Delivery.objects.get(recipient="cong.dan@example.org",
                                purpose="minutes.conclusion_notice").body_text
    url = next(word for word in body.split() if "/thong-bao-ket-luan/" in word)
    response = Client().get(url[url.index("/thong-bao-ket-luan/"):])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Client().get("/thong-bao-ket-luan/gia-mao/").status_code == 404


def test_without_an_email_the_citizen_gets_an_sms_with_the_code(
        hearing, chairman, recommendation, django_capture_on_commit_callbacks):
    # A petitioner who gave no e-mail (the form's field is optional).
    type(recommendation).objects.filter(pk=recommendation.pk).update(email="")
    _issue(_conclude(hearing, recommendation, chairman, outcome=Outcome.RESOLVED,
                     responsible_bodies=[], deadline_working_days=None),
           chairman, django_capture_on_commit_callbacks)
    sms = Delivery.objects.get(channel="sms", purpose="minutes.conclusion_notice")
    assert sms.recipient == recommendation.phone
    assert recommendation.tracking_code in sms.body_text


def test_a_sealed_denouncer_is_never_named_to_a_body(hearing, chairman, denunciation,
                                                     django_capture_on_commit_callbacks):
    conclusion = _issue(_conclude(hearing, denunciation, chairman), chairman,
                        django_capture_on_commit_callbacks)
    text = docx_text(conclusion.notice)
    body_mail = Delivery.objects.get(recipient="kinhte@example.org").body_text
    for value in DENOUNCER:
        assert value not in text, value
        assert value not in body_mail, value
    assert "Kính gửi: Người tố cáo (được giữ bí mật)" in text
    # The denouncer hears of it at their own address, in a message that names nobody.
    own = Delivery.objects.get(recipient=DENOUNCER[4],
                               purpose="minutes.conclusion_notice").body_text
    assert DENOUNCER[0] not in own and "Kính gửi ông/bà," in own


def test_an_issued_conclusion_is_final(hearing, chairman, recommendation,
                                       django_capture_on_commit_callbacks):
    conclusion = _issue(_conclude(hearing, recommendation, chairman), chairman,
                        django_capture_on_commit_callbacks)
    with pytest.raises(MinutesStateError, match="đã ban hành"):
        _conclude(hearing, recommendation, chairman, directions="Kết luận khác")
    with pytest.raises(MinutesStateError):
        conclusions.issue_conclusion_notice(conclusion, actor=chairman)
    assert Delivery.objects.filter(recipient="cong.dan@example.org",
                                   purpose="minutes.conclusion_notice").count() == 1


def test_read_only_roles_cannot_conclude(hearing, recommendation, an_lao):
    from tests.factories import staff_user
    from tiepdan.core.models import Role

    police = staff_user(Role.COMMUNE_POLICE, commune=an_lao)
    with pytest.raises(Forbidden):
        _conclude(hearing, recommendation, police)


def test_a_matter_not_on_the_agenda_gets_no_conclusion(hearing, chairman, an_lao):
    from tests.register.conftest import registered

    with pytest.raises(MinutesStateError, match="chương trình"):
        _conclude(hearing, registered(an_lao), chairman)


def test_an_open_deadline_follows_a_calendar_change(hearing, chairman, recommendation,
                                                    django_capture_on_commit_callbacks):
    from tiepdan.workdays.services import add_override

    conclusion = _conclude(hearing, recommendation, chairman)
    assert conclusion.due_date == dt.date(2026, 12, 29)
    with django_capture_on_commit_callbacks(execute=True):
        add_override(date=dt.date(2026, 12, 22), kind="day_off", name="Nghỉ bù",
                     legal_reference="Thông báo thử nghiệm", actor=None)
    conclusion.refresh_from_db()
    assert conclusion.due_date == dt.date(2026, 12, 30)


def test_two_spellings_of_a_body_are_one_body_of_the_list(
        hearing, chairman, recommendation, django_capture_on_commit_callbacks):
    """The bug of the typed list: "- Xây dựng" and "– Xây dựng" became two bodies."""
    from tiepdan.followup.models import Body, FollowUpTask

    building = Body.objects.create(commune=hearing.commune, name="Công chức Địa chính – Xây dựng",
                                   email="diachinh@example.org")
    conclusion = _conclude(hearing, recommendation, chairman, responsible_bodies=[
        {"name": "- Công chức Địa chính - Xây dựng"},
        {"name": "– Công chức  Địa chính – Xây dựng"}, building.pk])
    assert conclusion.responsible_bodies == [
        {"id": building.pk, "name": "Công chức Địa chính – Xây dựng",
         "email": "diachinh@example.org"}]
    _issue(conclusion, chairman, django_capture_on_commit_callbacks)
    assert Body.objects.filter(commune=hearing.commune).count() == 1
    assert list(FollowUpTask.objects.values_list("body", flat=True)) == [building.pk]


def test_a_body_id_outside_the_communes_list_is_refused(hearing, chairman, recommendation):
    from tests.factories import CommuneFactory
    from tiepdan.followup.models import Body

    elsewhere = Body.objects.create(commune=CommuneFactory(), name="Phòng Kinh tế")
    with pytest.raises(InvalidInput) as caught:
        _conclude(hearing, recommendation, chairman, responsible_bodies=[elsewhere.pk])
    assert caught.value.field_errors["responsible_bodies"][0]["message"] == (
        "Chọn cơ quan, đơn vị trong danh sách của xã.")
    assert not Conclusion.objects.exists()
