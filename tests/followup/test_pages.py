"""The staff pages: the board per body with marks and filters, the task page where a body posts
progress with files, assigning from the matter page, closing; each checked on the server."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import samples
from tests.factories import staff_user
from tiepdan.core.models import PersonalDataAccess, Role
from tiepdan.followup import services
from tiepdan.followup.models import FollowUpTask, TaskUpdate, UpdateAttachment
from tiepdan.intake.models import MatterStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(matter, officer, land_office, culture_office, clock):
    return services.create_tasks(matter, [
        services.TaskItem("Sửa đoạn đường sạt lở", land_office, due_working_days=1),
        services.TaskItem("Cắm biển cảnh báo", land_office, due_date=dt.date(2027, 1, 20)),
        services.TaskItem("Tuyên truyền an toàn giao thông", culture_office,
                          due_date=dt.date(2027, 1, 20)),
    ], actor=officer)


def _board(client, commune, **params):
    return client.get(reverse("followup:board", args=[commune.ward_code]), params)


def test_the_office_sees_every_body_with_marks(
        client, login_staff, officer, an_lao, tasks, clock):
    clock.move_to(dt.datetime(2026, 12, 17, 9, 0, tzinfo=dt.UTC))  # task 0 (due 16/12) overdue
    login_staff(client, officer)
    response = _board(client, an_lao)
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g.body.name for g in groups] == ["Công chức Địa chính – Xây dựng",
                                              "Công chức Văn hóa – Xã hội"]
    assert [t.mark for t in groups[0].tasks] == ["overdue", ""]
    assert (response.context["overdue"], response.context["total"]) == (1, 3)
    assert 'class="badge overdue"' in response.content.decode()


def test_due_soon_is_marked_and_filters_apply(
        client, login_staff, officer, an_lao, tasks, land_office, clock):
    login_staff(client, officer)
    groups = _board(client, an_lao).context["groups"]
    assert groups[0].tasks[0].mark == "due_soon"  # due tomorrow
    only_soon = _board(client, an_lao, status="due_soon").context["groups"]
    assert [t.pk for g in only_soon for t in g.tasks] == [tasks[0].pk]
    only_land = _board(client, an_lao, body=land_office.pk).context["groups"]
    assert [g.body for g in only_land] == [land_office]
    services.complete(tasks[1], result="Đã cắm biển.", actor=officer)
    done = _board(client, an_lao, status="done").context["groups"]
    assert [t.pk for g in done for t in g.tasks] == [tasks[1].pk]


def test_a_rep_sees_only_their_body(client, login_staff, rep, an_lao, tasks, land_office):
    login_staff(client, rep)
    response = _board(client, an_lao)
    assert [g.body for g in response.context["groups"]] == [land_office]
    other = client.get(reverse("followup:task", args=[an_lao.ward_code, tasks[2].pk]))
    assert other.status_code == 404


def test_a_rep_posts_progress_with_a_file(client, login_staff, rep, an_lao, tasks):
    login_staff(client, rep)
    url = reverse("followup:task", args=[an_lao.ward_code, tasks[0].pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="update-form"' in page.content.decode()
    upload = SimpleUploadedFile("bien-ban.pdf", samples.pdf_bytes(1), "application/pdf")
    response = client.post(url, {"text": "Đã khảo sát hiện trường.", "progress": "30",
                                 "files": [upload]})
    assert response.status_code == 302
    update = TaskUpdate.objects.get()
    assert (update.author, update.progress) == (rep, 30)
    attachment = update.attachments.get()
    download = client.get(reverse("followup:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert PersonalDataAccess.objects.filter(
        type="followup.attachment.downloaded", object_type="followup.updateattachment",
        object_id=str(attachment.pk), actor=rep,
        data={"tracking_code": tasks[0].matter.tracking_code}).exists()


def test_a_disguised_program_is_refused_and_nothing_saved(
        client, login_staff, rep, an_lao, tasks):
    login_staff(client, rep)
    url = reverse("followup:task", args=[an_lao.ward_code, tasks[0].pk])
    exe = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00" + b"\x00" * 300, "application/pdf")
    response = client.post(url, {"text": "Đã làm.", "progress": "30", "files": [exe]})
    assert response.status_code == 422
    assert "không phải PDF, JPG, PNG, DOCX" in response.content.decode()
    assert not TaskUpdate.objects.exists() and not UpdateAttachment.objects.exists()


def test_a_rep_of_another_body_cannot_post(client, login_staff, other_rep, an_lao, tasks):
    login_staff(client, other_rep)
    url = reverse("followup:task", args=[an_lao.ward_code, tasks[0].pk])
    response = client.post(url, {"text": "Đã làm.", "progress": "30"})
    assert response.status_code == 404
    assert not TaskUpdate.objects.exists()


def test_staff_of_another_commune_are_refused(client, login_staff, lac_phuong, an_lao, tasks):
    stranger = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong)
    login_staff(client, stranger)
    assert _board(client, an_lao).status_code == 403
    task_url = reverse("followup:task", args=[an_lao.ward_code, tasks[0].pk])
    assert client.get(task_url).status_code == 403
    # Their own commune's board does not list the other commune's tasks.
    assert _board(client, lac_phuong).context["groups"] == []


def test_a_rep_without_a_body_is_told_so(client, login_staff, an_lao, tasks):
    lonely = staff_user(Role.DEPARTMENT_REP, commune=an_lao)
    login_staff(client, lonely)
    response = _board(client, an_lao)
    assert response.context["groups"] == []
    assert 'id="no-body"' in response.content.decode()


def test_the_office_assigns_from_the_matter_page(
        client, login_staff, officer, an_lao, matter, land_office, clock):
    login_staff(client, officer)
    page = client.get(reverse("intake:matter", args=[an_lao.ward_code, matter.pk]))
    assert "Giao việc theo dõi" in page.content.decode()
    create = reverse("followup:task_create", args=[an_lao.ward_code, matter.pk])

    bad = client.post(create, {"title": "Sửa đường", "body": "", "due_working_days": ""})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Cần chọn cơ quan, đơn vị chịu trách nhiệm thực hiện." in text
    assert not FollowUpTask.objects.exists()
    past = client.post(create, {"title": "Sửa đường", "body": land_office.pk,
                                "due_date": "2026-12-01"})
    assert past.status_code == 422 and "đã qua" in past.content.decode()

    good = client.post(create, {"title": "Sửa đường", "body": land_office.pk,
                                "due_working_days": "10", "source": "Kết luận 15/12/2026"})
    assert good.status_code == 302
    task = FollowUpTask.objects.get()
    assert (task.body, task.due_date, task.created_by) == (land_office, dt.date(2026, 12, 29),
                                                           officer)
    page = client.get(reverse("intake:matter", args=[an_lao.ward_code, matter.pk]))
    assert "Sửa đường" in page.content.decode()


def test_a_rep_cannot_assign_tasks(client, login_staff, rep, an_lao, matter, land_office):
    login_staff(client, rep)
    create = reverse("followup:task_create", args=[an_lao.ward_code, matter.pk])
    response = client.post(create, {"title": "Sửa đường", "body": land_office.pk,
                                    "due_working_days": "10"})
    assert response.status_code == 403
    assert not FollowUpTask.objects.exists()


def test_the_office_closes_the_matter_from_its_page(
        client, login_staff, officer, an_lao, matter, tasks, clock):
    login_staff(client, officer)
    close = reverse("followup:matter_close", args=[an_lao.ward_code, matter.pk])
    refused = client.post(close, {"result": "Đã xong."})
    assert refused.status_code == 422 and "Còn 3 việc" in refused.content.decode()
    for task in tasks:
        services.complete(task, result="Xong.", actor=officer)
    page = client.get(reverse("intake:matter", args=[an_lao.ward_code, matter.pk]))
    assert 'id="close-link"' in page.content.decode()
    assert client.post(close, {"result": "Đã giải quyết xong."}).status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED
