"""A conclusion, its notice and its follow-up tasks are issued in one transaction: a renderer
that fails or a task that cannot be created leaves nothing (no number, no task, no message, the
matter still heard), and a Vice-Chairman who chairs concludes and assigns in one step."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import staff_user
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.core.models import AuditEntry, Role
from tiepdan.documents.models import DocumentNumber, IssuedDocument, NumberSequence
from tiepdan.followup import closing
from tiepdan.followup import services as followup
from tiepdan.followup.models import Body, FollowUpTask, MatterClosure
from tiepdan.followup.services import FollowUpStateError
from tiepdan.hearings.models import Hearing
from tiepdan.intake.models import MatterStatus
from tiepdan.minutes import services
from tiepdan.minutes.models import Conclusion
from tiepdan.notify.models import Delivery

from .test_conclusions import _conclude, _issue

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, object]:
    return {
        "documents": IssuedDocument.objects.count(),
        "numbers": DocumentNumber.objects.count(),
        "tb_last": list(NumberSequence.objects.filter(doc_type="TB").values_list(
            "last_number", flat=True)),
        "tasks": FollowUpTask.objects.count(),
        "bodies": Body.objects.count(),
        "deliveries": Delivery.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def vice_chair(an_lao, hearing):
    vice = staff_user(Role.VICE_CHAIRMAN, commune=an_lao, username="phochutich",
                      first_name="Bùi Thị Phó", last_name="", email="pct@example.org")
    Hearing.objects.filter(pk=hearing.pk).update(chair=vice)
    hearing.refresh_from_db()
    return vice


def test_a_vice_chairman_who_chairs_concludes_and_assigns_the_tasks(
        hearing, vice_chair, recommendation, django_capture_on_commit_callbacks):
    conclusion = _issue(_conclude(hearing, recommendation, vice_chair), vice_chair,
                        django_capture_on_commit_callbacks)
    assert conclusion.matter.status == MatterStatus.CONCLUDED
    tasks = FollowUpTask.objects.filter(conclusion_id=conclusion.pk)
    assert {t.body.name for t in tasks} == {"Phòng Kinh tế xã", "Công an xã"}
    assert all(conclusion.notice.symbol in t.source for t in tasks)
    assert all(t.created_by == vice_chair for t in tasks)
    # Assigning tasks of every body at other times stays with the office and the Chairman.
    assert not has_perm(vice_chair, Perm.ASSIGN_FOLLOW_UP, hearing.commune)


def test_a_renderer_that_fails_issues_nothing(
        monkeypatch, hearing, chairman, recommendation, django_capture_on_commit_callbacks):
    conclusion = _conclude(hearing, recommendation, chairman)
    before = _counts()

    def broken(doc_type, context):  # noqa: ANN001, ANN202
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("tiepdan.documents.services.render", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(
            DomainError, match="chưa cấp số"):
        services.issue_conclusion_notice(conclusion, actor=chairman)
    assert _counts() == before
    conclusion.refresh_from_db()
    recommendation.refresh_from_db()
    assert (conclusion.notice_id, conclusion.notice_issued_at) == (None, None)
    assert recommendation.status == MatterStatus.HEARD
    monkeypatch.undo()
    issued = _issue(conclusion, chairman, django_capture_on_commit_callbacks)
    # The number the failed attempt would have had is the one the notice gets.
    assert issued.notice.number == before["tb_last"][0] + 1


def test_a_task_that_cannot_be_created_issues_nothing(
        hearing, chairman, recommendation, clock, django_capture_on_commit_callbacks):
    conclusion = _conclude(hearing, recommendation, chairman)
    before = _counts()
    # Issued after the deadline the conclusion set: the tasks cannot be given a past date.
    clock.move_to(dt.datetime.combine(conclusion.due_date + dt.timedelta(days=3),
                                      dt.time(9), tzinfo=dt.UTC))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(
            InvalidInput, match="đã qua"):
        services.issue_conclusion_notice(conclusion, actor=chairman)
    assert _counts() == before
    recommendation.refresh_from_db()
    assert recommendation.status == MatterStatus.HEARD
    assert Conclusion.objects.get(pk=conclusion.pk).notice_id is None


def test_the_office_cannot_close_a_matter_whose_conclusion_tasks_are_missing(
        hearing, chairman, officer, recommendation, django_capture_on_commit_callbacks):
    conclusion = _issue(_conclude(hearing, recommendation, chairman), chairman,
                        django_capture_on_commit_callbacks)
    # A matter concluded before tasks were part of the issue (the bug this guards against).
    FollowUpTask.objects.filter(conclusion_id=conclusion.pk).delete()
    recommendation.refresh_from_db()
    assert not closing.can_close(recommendation)
    with pytest.raises(FollowUpStateError, match=conclusion.notice.symbol) as caught:
        closing.close_matter(recommendation, "Đã xong", actor=officer)
    assert caught.value.code == "conclusion_tasks_missing"
    assert not MatterClosure.objects.exists()
    recommendation.refresh_from_db()
    assert recommendation.status == MatterStatus.CONCLUDED


def test_a_task_without_a_body_is_refused_and_nothing_is_saved(
        hearing, chairman, officer, recommendation, django_capture_on_commit_callbacks):
    _issue(_conclude(hearing, recommendation, chairman), chairman,
           django_capture_on_commit_callbacks)
    before = _counts()
    with pytest.raises(InvalidInput) as caught:
        followup.create_task(recommendation, title="Kiểm tra lại", body="",
                             due_working_days=5, actor=officer)
    assert caught.value.field_errors["body"][0]["message"] == (
        "Cần chọn cơ quan, đơn vị chịu trách nhiệm thực hiện.")
    assert _counts() == before
