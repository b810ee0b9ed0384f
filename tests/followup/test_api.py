"""The staff API of the follow-up: assign, list, report progress (multipart with files),
complete and close, with the shared error shape and the same permissions as the pages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import samples
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.followup.models import FollowUpTask, TaskUpdate
from tiepdan.intake.models import MatterStatus
from tiepdan.notify.models import Delivery

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def base(an_lao):
    return f"/api/v1/staff/communes/{an_lao.ward_code}/follow-up"


@pytest.fixture
def office_client(client, login_staff, officer, clock):
    login_staff(client, officer)
    return client


def _create(client, base, matter, body, **extra):
    return _post(client, f"{base}/tasks", {"matter_id": matter.pk, "title": "Sửa đường",
                                           "body_id": body.pk if body else None, **extra})


def test_a_task_goes_from_assignment_to_a_closed_matter(
        office_client, client, login_staff, base, matter, land_office, rep, officer, clock,
        django_capture_on_commit_callbacks):
    created = _create(office_client, base, matter, land_office, due_working_days=10,
                      source="Kết luận buổi tiếp 15/12/2026")
    assert created.status_code == 201, created.content
    task = created.json()
    assert (task["due_date"], task["status"], task["body"]["name"]) == (
        "2026-12-29", "open", "Công chức Địa chính – Xây dựng")
    listed = office_client.get(f"{base}/tasks", {"status": "active"}).json()
    assert [t["id"] for t in listed] == [task["id"]]

    client.logout()
    login_staff(client, rep)
    upload = SimpleUploadedFile("anh-hien-truong.png", samples.png_bytes(), "image/png")
    update = client.post(f"{base}/tasks/{task['id']}/updates",
                         {"text": "Đã khảo sát.", "progress": "50", "files": [upload]})
    assert update.status_code == 201, update.content
    assert update.json()["attachments"][0]["extension"] == "png"
    done = _post(client, f"{base}/tasks/{task['id']}/complete", {"result": "Đã sửa xong."})
    assert done.status_code == 200 and done.json()["status"] == "done"
    detail = client.get(f"{base}/tasks/{task['id']}").json()
    assert [u["progress"] for u in detail["updates"]] == [50]

    client.logout()
    login_staff(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        closed = _post(client, f"{base}/matters/{matter.pk}/close",
                       {"result": "Đã giải quyết xong."})
    assert closed.status_code == 200, closed.content
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED
    assert Delivery.objects.filter(purpose="followup.final_outcome", channel="sms").exists()


@pytest.mark.parametrize(("extra", "field"), [
    pytest.param({"due_working_days": 5, "no_body": True}, "body", id="no-owner"),
    pytest.param({}, "due_date", id="no-due-date"),
    pytest.param({"due_date": "2026-12-01"}, "due_date", id="past-date"),
])
def test_bad_input_gives_the_error_shape(office_client, base, matter, land_office, clock,
                                         extra, field):
    body = None if extra.pop("no_body", False) else land_office
    response = _create(office_client, base, matter, body, **extra)
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "validation_error"
    assert error["errors"][field][0]["message"]
    assert not FollowUpTask.objects.exists()


def test_a_disguised_program_is_refused(client, login_staff, rep, base, matter, land_office,
                                        officer, clock):
    from tiepdan.followup import services

    task = services.create_task(matter, title="Sửa đường", body=land_office,
                                due_working_days=5, actor=officer)
    login_staff(client, rep)
    exe = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 300, "application/pdf")
    response = client.post(f"{base}/tasks/{task.pk}/updates",
                           {"text": "Đã làm.", "progress": "20", "files": [exe]})
    assert response.status_code == 422
    assert response.json()["errors"]["files"][0]["code"] == "file_type_not_allowed"
    assert not TaskUpdate.objects.exists()


def test_permissions_follow_the_pages(client, login_staff, base, matter, land_office,
                                      other_rep, rep, officer, lac_phuong, clock):
    from tiepdan.followup import services

    task = services.create_task(matter, title="Sửa đường", body=land_office,
                                due_working_days=5, actor=officer)
    assert client.get(f"{base}/tasks").status_code == 401

    login_staff(client, other_rep)  # a rep of another body of the same commune
    assert client.get(f"{base}/tasks/{task.pk}").status_code == 404
    refused = client.post(f"{base}/tasks/{task.pk}/updates", {"text": "x", "progress": "1"})
    assert refused.status_code == 404
    assert client.get(f"{base}/tasks").json() == []

    client.logout()
    login_staff(client, rep)
    assigned = _create(client, base, matter, land_office, due_working_days=5)
    assert assigned.status_code == 403 and assigned.json()["code"] == "forbidden"

    client.logout()
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=lac_phuong))
    assert client.get(f"{base}/tasks").status_code == 403
    assert client.get("/api/v1/staff/communes/99999/follow-up/tasks").status_code == 404


def test_bodies_are_listed_for_the_office(office_client, base, land_office, culture_office):
    names = [b["name"] for b in office_client.get(f"{base}/bodies").json()]
    assert sorted(names) == sorted([land_office.name, culture_office.name])


def test_a_body_id_of_another_commune_is_an_unknown_body(office_client, base, matter,
                                                          lac_phuong, clock):
    from tiepdan.followup.models import Body

    elsewhere = Body.objects.create(commune=lac_phuong, name="Phòng của xã khác")
    response = _create(office_client, base, matter, elsewhere, due_working_days=5)
    assert response.status_code == 422
    assert response.json()["errors"]["body"][0]["code"] == "unknown_body"
    assert not FollowUpTask.objects.exists()


@pytest.mark.parametrize(("progress", "code"), [
    pytest.param("", "required", id="blank-is-not-given"),
    pytest.param("nửa", "invalid", id="not-a-number"),
    pytest.param("150", "invalid", id="over-100"),
])
def test_a_progress_that_is_not_a_percentage_is_refused(client, login_staff, rep, base, matter,
                                                        land_office, officer, clock,
                                                        progress, code):
    from tiepdan.followup import services

    task = services.create_task(matter, title="Sửa đường", body=land_office,
                                due_working_days=5, actor=officer)
    login_staff(client, rep)
    response = client.post(f"{base}/tasks/{task.pk}/updates",
                           {"text": "Đã làm.", "progress": progress})
    assert response.status_code == 422
    assert response.json()["errors"]["progress"][0]["code"] == code
    assert not TaskUpdate.objects.exists()


def test_a_refused_character_in_a_form_field_names_the_field(client, login_staff, rep, base,
                                                             matter, land_office, officer,
                                                             clock):
    from tiepdan.followup import services

    task = services.create_task(matter, title="Sửa đường", body=land_office,
                                due_working_days=5, actor=officer)
    login_staff(client, rep)
    response = client.post(f"{base}/tasks/{task.pk}/updates",
                           {"text": "Đã làm\x1b[31m.", "progress": "20"})
    assert response.status_code == 422
    assert response.json()["errors"]["text"][0]["code"] == "control_characters"
