"""The citizen's status line: plain words with the tracking code, no names of bodies' staff."""

import datetime as dt

import pytest
from django.urls import reverse

from tiepdan.followup import closing, services
from tiepdan.intake.status import citizen_status_text

pytestmark = pytest.mark.django_db


def _tasks(matter, officer, land_office, culture_office):
    return services.create_tasks(matter, [
        services.TaskItem("Sửa đường", land_office, due_date=dt.date(2027, 1, 20)),
        services.TaskItem("Lắp biển báo", culture_office, due_date=dt.date(2027, 2, 1)),
        services.TaskItem("Trả lời công dân", culture_office, due_working_days=5),
    ], actor=officer)


def test_a_matter_without_tasks_keeps_its_plain_status(matter, clock):
    assert citizen_status_text(matter) == "Đã có kết luận; các cơ quan đang thực hiện."


def test_progress_and_the_nearest_due_date_are_shown(
        matter, officer, rep, land_office, culture_office, clock):
    tasks = _tasks(matter, officer, land_office, culture_office)
    services.complete(tasks[2], result="Đã trả lời bằng văn bản.", actor=officer)

    assert citizen_status_text(matter) == (
        "Đang thực hiện kết luận: 1/3 việc đã xong; hạn gần nhất 20/01/2027.")
    services.cancel(tasks[0], reason="Không còn cần thiết", actor=officer)
    assert citizen_status_text(matter) == (
        "Đang thực hiện kết luận: 1/2 việc đã xong; hạn gần nhất 01/02/2027.")


def test_the_lookup_page_shows_it_without_staff_names(
        client, matter, officer, rep, land_office, culture_office, clock):
    _tasks(matter, officer, land_office, culture_office)
    response = client.post(reverse("intake:lookup"),
                           {"code": matter.tracking_code, "phone": "0912000101"})
    text = response.content.decode()
    assert "Đang thực hiện kết luận: 0/3 việc đã xong; hạn gần nhất 22/12/2026." in text
    assert rep.last_name + " " + rep.first_name not in text
    assert officer.first_name not in text


def test_a_closed_matter_says_the_outcome_is_final(
        matter, officer, land_office, culture_office, clock):
    for task in _tasks(matter, officer, land_office, culture_office):
        services.complete(task, result="Xong.", actor=officer)
    assert citizen_status_text(matter) == (
        "Đã thực hiện xong kết luận (3/3 việc); vụ việc đang chờ kết thúc.")
    closing.close_matter(matter, "Đã giải quyết xong.", officer)
    matter.refresh_from_db()
    assert citizen_status_text(matter) == (
        "Vụ việc đã kết thúc ngày 15/12/2026; kết quả giải quyết cuối cùng đã được thông báo "
        "cho ông/bà.")
