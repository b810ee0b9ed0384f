"""Closing a matter with its result once every task is finished: concluded → closed, the
register's follow-up column, and the citizen told the outcome is final (a sealed denouncer
without any name)."""

import pytest
from django.core import mail

from tests.builders import advance, make_matter
from tests.intake import identity_helpers as sealed
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.followup import closing, services
from tiepdan.followup.models import MatterClosure
from tiepdan.intake.models import MatterStatus, TriageRecord
from tiepdan.intake.status import status_short_url
from tiepdan.notify.models import Delivery

from .conftest import HEARD_SINCE, NOW

pytestmark = pytest.mark.django_db

RESULT = "Đã sửa xong 200 m đường liên thôn; công dân đồng ý với kết quả."


@pytest.fixture
def done_task(matter, officer, rep, land_office, clock):
    task = services.create_task(matter, title="Sửa đoạn đường sạt lở", body=land_office,
                                due_working_days=10, actor=officer)
    services.complete(task, result="Đã sửa xong.", actor=rep)
    return task


def test_the_office_closes_the_matter_and_the_citizen_is_told(
        matter, done_task, officer, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        closure = closing.close_matter(matter, RESULT, officer)

    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED
    assert closure.result == RESULT and closure.closed_by == officer
    record = TriageRecord.objects.filter(matter=matter).latest("at", "pk")
    assert (record.from_status, record.to_status) == ("concluded", "closed")
    sms = Delivery.objects.get(purpose="followup.final_outcome", channel="sms")
    assert sms.recipient == matter.phone and "da co ket qua cuoi cung" in sms.body_text
    assert sms.body_text.endswith(status_short_url(matter))
    [message] = [m for m in mail.outbox if m.to == ["tran.binh@example.org"]]
    assert RESULT in message.body and "Trần Thị Bình" in message.body
    assert matter.tracking_code in message.subject


def test_a_matter_with_an_open_task_cannot_be_closed(matter, officer, land_office, clock):
    services.create_task(matter, title="Sửa đường", body=land_office, due_working_days=5,
                         actor=officer)
    with pytest.raises(services.FollowUpStateError) as caught:
        closing.close_matter(matter, RESULT, officer)
    assert caught.value.code == "tasks_open"
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CONCLUDED and not MatterClosure.objects.exists()


def test_only_a_concluded_matter_is_closed(an_lao, officer, chairman):
    heard = make_matter(an_lao, "heard", officer=officer, chairman=chairman,
                        since=HEARD_SINCE)
    with pytest.raises(services.FollowUpStateError):
        closing.close_matter(heard, RESULT, officer)
    heard.refresh_from_db()
    assert heard.status == MatterStatus.HEARD


def test_the_result_is_required_and_reps_cannot_close(matter, done_task, officer, rep):
    with pytest.raises(InvalidInput) as caught:
        closing.close_matter(matter, "  ", officer)
    assert "result" in caught.value.field_errors
    with pytest.raises(Forbidden):
        closing.close_matter(matter, RESULT, rep)
    assert not MatterClosure.objects.exists()


def test_a_sealed_denouncer_is_told_without_any_name(
        an_lao, officer, chairman, land_office, rep, clock, django_capture_on_commit_callbacks):
    clock.move_to(HEARD_SINCE)
    matter = sealed.register(an_lao, email=sealed.EMAIL)
    assert matter.identity_sealed
    # A sealed denouncer may still be heard online on ground d (Quy chế Đ4.1).
    matter = advance(matter, "concluded", officer=officer, chairman=chairman, ground="d",
                     clock=clock)
    clock.move_to(NOW)
    task = services.create_task(matter, title="Xác minh nội dung tố cáo", body=land_office,
                                due_working_days=10, actor=officer)
    services.complete(task, result="Đã xác minh.", actor=rep)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        closing.close_matter(
            matter, f"Tố cáo của bà {sealed.NAME} là đúng; đã xử lý kỷ luật người vi phạm.",
            officer)

    deliveries = Delivery.objects.filter(purpose="followup.final_outcome")
    assert {(d.channel, d.recipient) for d in deliveries} == {
        ("sms", sealed.PHONE_E164), ("email", sealed.EMAIL)}
    for delivery in deliveries:
        text = delivery.subject + delivery.body_text
        assert sealed.NAME not in text and sealed.NAME.upper() not in text
        assert "Người tố cáo" not in text  # not even the mask
    [message] = mail.outbox
    assert message.to == [sealed.EMAIL]
    assert "Kính gửi ông/bà," in message.body and "kỷ luật" in message.body
