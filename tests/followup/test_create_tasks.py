"""Assigning follow-up tasks: owner and due date are required, the date is not in the past and
is a working day, working days skip holidays; all or nothing."""

import datetime as dt

import pytest

from tests.builders import advance
from tests.factories import CommuneFactory
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.core.models import AuditEntry
from tiepdan.followup import services
from tiepdan.followup.models import Body, FollowUpTask
from tiepdan.intake.models import MatterStatus

pytestmark = pytest.mark.django_db


def _create(matter, officer, **fields):
    values = {"title": "Kiểm tra hiện trạng đường liên thôn", "body": None, "due_date": None,
              "due_working_days": None}
    return services.create_task(matter, actor=officer, **{**values, **fields})


def test_a_task_due_in_working_days_skips_new_year(matter, officer, land_office, clock):
    clock.move_to(dt.datetime(2026, 12, 22, 9, 0, tzinfo=dt.UTC))  # Tuesday
    task = _create(matter, officer, body=land_office, due_working_days=10,
                   source="Kết luận buổi tiếp 15/12/2026")

    # 23–31/12 give 7 working days; 01/01/2027 is Tết Dương lịch; 04–06/01 the last three.
    assert task.due_date == dt.date(2027, 1, 6)
    assert task.due_working_days == 10 and task.due_from == dt.date(2026, 12, 22)
    assert "10 ngày làm việc sau ngày 22/12/2026" in task.due_explanation
    assert "01/01" in task.due_explanation and "bỏ qua" in task.due_explanation
    assert task.status == "open" and task.source == "Kết luận buổi tiếp 15/12/2026"
    assert AuditEntry.objects.filter(object_type="followup.followuptask",
                                     object_id=str(task.pk), type="followup.task.assigned",
                                     data__due="06/01/2027", actor=officer).exists()


def test_a_task_due_on_a_given_date_explains_it(matter, officer, land_office, clock):
    task = _create(matter, officer, body=land_office, due_date=dt.date(2027, 1, 20))

    assert task.due_date == dt.date(2027, 1, 20)
    assert task.due_working_days is None
    assert task.due_explanation == "Hạn do người giao việc ấn định: 20/01/2027 (thứ Tư)"


@pytest.mark.parametrize(("fields", "field", "message"), [
    pytest.param({"due_working_days": 5}, "body", "Cần chọn cơ quan, đơn vị", id="no-owner"),
    pytest.param({"body": "LAND"}, "due_date", "Cần ấn định hạn xử lý", id="no-due-date"),
    pytest.param({"body": "LAND", "due_date": dt.date(2026, 12, 14)}, "due_date", "đã qua",
                 id="past-date"),
    pytest.param({"body": "LAND", "due_date": dt.date(2027, 1, 1)}, "due_date",
                 "là ngày nghỉ", id="new-year-day-off"),
    pytest.param({"body": "LAND", "due_date": dt.date(2026, 12, 19)}, "due_date",
                 "nghỉ cuối tuần", id="saturday"),
    pytest.param({"body": "LAND", "due_date": dt.date(2027, 1, 20), "due_working_days": 5},
                 "due_date", "Chỉ chọn một cách", id="both-ways"),
    pytest.param({"body": "LAND", "due_working_days": 0}, "due_working_days", "từ 1 đến",
                 id="zero-days"),
    pytest.param({"body": "LAND", "due_working_days": 5, "title": "  "}, "title",
                 "Cần ghi nội dung", id="no-title"),
    pytest.param({"body": "RETIRED", "due_working_days": 5}, "body",
                 "Không có cơ quan", id="body-no-longer-listed"),
])
def test_bad_input_gives_a_field_error_and_saves_nothing(
        matter, officer, land_office, clock, fields, field, message):
    if fields.get("body") == "LAND":
        fields = {**fields, "body": land_office}
    if fields.get("body") == "RETIRED":
        fields = {**fields, "body": Body.objects.create(commune=land_office.commune,
                                                        name="Tổ công tác đã giải thể",
                                                        is_active=False)}
    with pytest.raises(InvalidInput) as caught:
        _create(matter, officer, **fields)

    assert message in caught.value.field_errors[field][0]["message"]
    assert not FollowUpTask.objects.exists()


def test_a_body_of_another_commune_is_refused(matter, officer, clock):
    elsewhere = Body.objects.create(commune=CommuneFactory(), name="Phòng của xã khác")

    with pytest.raises(InvalidInput) as caught:
        _create(matter, officer, body=elsewhere, due_working_days=5)
    assert "body" in caught.value.field_errors


def test_tasks_of_a_conclusion_are_created_all_or_nothing(
        matter, chairman, land_office, culture_office, clock):
    items = [
        services.TaskItem("Sửa đoạn đường sạt lở", land_office, due_working_days=15),
        services.TaskItem("Trả lời công dân về kinh phí", culture_office,
                          due_date=dt.date(2027, 1, 20)),
        services.TaskItem("Báo cáo kết quả", None, due_working_days=20),  # no owner
    ]
    with pytest.raises(InvalidInput) as caught:
        services.create_tasks_from_conclusion(matter, items, actor=chairman,
                                              source="Kết luận buổi tiếp 15/12/2026")
    assert list(caught.value.field_errors) == ["items.2.body"]
    assert not FollowUpTask.objects.exists()

    items[2] = services.TaskItem("Báo cáo kết quả", land_office, due_working_days=20)
    tasks = services.create_tasks_from_conclusion(
        matter, items, actor=chairman, source="Kết luận buổi tiếp 15/12/2026",
        conclusion_id=7)
    assert [(t.body, t.due_date) for t in tasks] == [
        (land_office, dt.date(2027, 1, 6)), (culture_office, dt.date(2027, 1, 20)),
        (land_office, dt.date(2027, 1, 13))]
    assert {t.conclusion_id for t in tasks} == {7}


def test_a_department_rep_cannot_assign_tasks(matter, rep, land_office, clock):
    with pytest.raises(Forbidden):
        _create(matter, rep, body=land_office, due_working_days=5)


def test_a_closed_matter_gets_no_new_task(matter, officer, land_office, clock):
    matter = advance(matter, "closed", officer=officer)
    assert matter.status == MatterStatus.CLOSED

    with pytest.raises(services.FollowUpStateError):
        _create(matter, officer, body=land_office, due_working_days=5)
    assert not FollowUpTask.objects.exists()
