"""Progress updates, completion and cancellation: only the owner body's members or the office,
files checked by their content, nothing half-saved."""

import io
from pathlib import Path

import pytest
from django.conf import settings

from tests import samples
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.followup import services
from tiepdan.followup.models import TaskUpdate, UpdateAttachment
from tiepdan.intake.attachments import check_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(matter, officer, land_office, clock):
    return services.create_task(matter, title="Sửa đoạn đường sạt lở", body=land_office,
                                due_working_days=10, actor=officer)


def _pdf(name="bien-ban-hien-truong.pdf"):
    data = samples.pdf_bytes(2)
    return check_file(name, io.BytesIO(data), len(data))


def test_the_owner_body_reports_progress_with_a_file(task, rep):
    update = services.add_update(task, text="Đã khảo sát hiện trường, lập biên bản.",
                                 progress=40, files=[_pdf()], actor=rep)

    task.refresh_from_db()
    assert (task.status, task.progress) == ("in_progress", 40)
    [attachment] = update.attachments.all()
    assert (attachment.original_name, attachment.extension, attachment.pages) == (
        "bien-ban-hien-truong.pdf", "pdf", 2)
    stored = Path(settings.MEDIA_ROOT) / attachment.file.name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert "bien-ban" not in attachment.file.name  # stored under a random name


def test_a_rep_of_another_body_cannot_update(task, other_rep):
    with pytest.raises(Forbidden):
        services.add_update(task, text="Đã làm", progress=10, actor=other_rep)
    with pytest.raises(Forbidden):
        services.complete(task, result="Xong", actor=other_rep)
    assert not TaskUpdate.objects.exists()


def test_the_office_may_update_any_task(task, officer):
    services.add_update(task, text="Văn phòng đôn đốc.", progress=10, actor=officer)
    assert task.updates.count() == 1


@pytest.mark.parametrize(("text", "progress", "field"), [
    pytest.param("", 10, "text", id="no-text"),
    pytest.param("Đã làm", 120, "progress", id="over-100"),
    pytest.param("Đã làm", None, "progress", id="no-progress"),
])
def test_a_bad_update_saves_nothing(task, rep, text, progress, field):
    with pytest.raises(InvalidInput) as caught:
        services.add_update(task, text=text, progress=progress, files=[_pdf()], actor=rep)
    assert field in caught.value.field_errors
    assert not TaskUpdate.objects.exists() and not UpdateAttachment.objects.exists()
    assert not any((Path(settings.MEDIA_ROOT) / "followup").glob("**/*"))


def test_completion_needs_a_result_and_ends_updates(task, rep):
    with pytest.raises(InvalidInput) as caught:
        services.complete(task, result=" ", actor=rep)
    assert "result" in caught.value.field_errors

    services.complete(task, result="Đã sửa xong 200 m đường.", actor=rep)
    task.refresh_from_db()
    assert (task.status, task.progress, task.result) == ("done", 100, "Đã sửa xong 200 m đường.")
    assert task.done_at is not None
    with pytest.raises(services.FollowUpStateError):
        services.add_update(task, text="Thêm", progress=100, actor=rep)


def test_only_the_office_cancels_and_with_a_reason(task, rep, officer):
    with pytest.raises(Forbidden):
        services.cancel(task, reason="Không cần nữa", actor=rep)
    with pytest.raises(InvalidInput):
        services.cancel(task, reason="", actor=officer)
    services.cancel(task, reason="Kết luận được điều chỉnh", actor=officer)
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == ("cancelled", "Kết luận được điều chỉnh")


def test_the_office_is_told_when_the_last_task_is_done(
        task, rep, officer, django_capture_on_commit_callbacks):
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complete(task, result="Đã sửa xong.", actor=rep)
    [message] = [m for m in mail.outbox if officer.email in m.to]
    assert "mọi việc theo dõi đã xong" in message.subject
