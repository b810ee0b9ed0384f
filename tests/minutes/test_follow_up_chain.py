"""From the chair's conclusion to a closed matter: the issued conclusion becomes one
follow-up task per body, the bodies report done, the office closes the matter with its
result and the citizen is told."""

from __future__ import annotations

import pytest

from tiepdan.followup import closing
from tiepdan.followup import services as followup
from tiepdan.followup.models import Body, FollowUpTask
from tiepdan.intake.models import MatterStatus
from tiepdan.minutes.models import Outcome
from tiepdan.notify.models import Delivery

from .test_conclusions import _conclude, _issue

pytestmark = pytest.mark.django_db


def test_a_conclusion_is_followed_to_completion(hearing, chairman, officer, recommendation,
                                                 django_capture_on_commit_callbacks):
    conclusion = _issue(_conclude(hearing, recommendation, chairman), chairman,
                        django_capture_on_commit_callbacks)
    tasks = list(FollowUpTask.objects.filter(matter=recommendation).select_related("body"))
    assert {t.body.name for t in tasks} == {"Phòng Kinh tế xã", "Công an xã"}
    assert all(t.conclusion_id == conclusion.pk and t.due_date == conclusion.due_date
               for t in tasks)
    assert Body.objects.get(name="Phòng Kinh tế xã").email == "kinhte@example.org"
    for task in tasks:
        followup.complete(task, actor=officer, result="Đã kiểm tra, lập kế hoạch sửa đường")
    with django_capture_on_commit_callbacks(execute=True):
        closing.close_matter(recommendation, "Đường đã được sửa xong ngày 20/01/2027",
                             actor=officer)
    recommendation.refresh_from_db()
    assert recommendation.status == MatterStatus.CLOSED
    assert Delivery.objects.filter(purpose__startswith="followup",
                                   recipient="cong.dan@example.org").exists()


def test_other_outcomes_create_no_task(hearing, chairman, recommendation,
                                       django_capture_on_commit_callbacks):
    _issue(_conclude(hearing, recommendation, chairman, outcome=Outcome.RESOLVED,
                     responsible_bodies=[], deadline_working_days=None), chairman,
           django_capture_on_commit_callbacks)
    assert not FollowUpTask.objects.exists()
