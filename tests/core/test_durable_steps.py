"""Durable steps: retried with back-off until done, run once per key, and on final failure
shown as failed and told to the office once (core.durable, notify.step_alerts)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import staff_user
from tiepdan.core import durable
from tiepdan.core.models import AuditEntry, Role
from tiepdan.core.step_models import DurableStep, StepState
from tiepdan.notify.models import Delivery

CALLS: list[dict] = []
SIDE_EFFECTS: list[int] = []


@durable.durable_step("tests.flaky", label="Bước thử nghiệm chập chờn", max_attempts=5,
                      base_delay=60)
def flaky(value: int, fail_times: int) -> None:
    CALLS.append({"value": value})
    if len(CALLS) <= fail_times:
        raise RuntimeError(f"lỗi tạm thời lần {len(CALLS)}")
    SIDE_EFFECTS.append(value)


@durable.durable_step("tests.broken", label="Bước thử nghiệm luôn lỗi", max_attempts=3,
                      base_delay=60)
def broken() -> None:
    CALLS.append({})
    raise RuntimeError("máy chủ ngoài không trả lời")


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    SIDE_EFFECTS.clear()


@pytest.fixture
def office(an_lao):
    return staff_user(Role.OFFICE_OFFICER, commune=an_lao, username="vp",
                      email="vanphong@example.org")


def _schedule(commune, name, key, args, capture):
    with capture(execute=True):
        return durable.schedule(name, key=key, args=args, commune=commune)


def _run_later(minutes: int) -> None:
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes)):
        durable.run_due()


def test_a_step_that_fails_twice_then_succeeds_runs_once_to_completion(
        an_lao, office, django_capture_on_commit_callbacks):
    step = _schedule(an_lao, "tests.flaky", "flaky:1", {"value": 7, "fail_times": 2},
                     django_capture_on_commit_callbacks)
    step.refresh_from_db()
    assert (step.state, step.attempts) == (StepState.PENDING, 1)
    assert "lỗi tạm thời lần 1" in step.last_error
    durable.run_due()  # not yet due: back-off of one minute
    assert len(CALLS) == 1
    _run_later(2)
    _run_later(5)
    step.refresh_from_db()
    assert (step.state, step.attempts, step.last_error) == (StepState.DONE, 3, "")
    assert SIDE_EFFECTS == [7]
    _run_later(30)
    assert len(CALLS) == 3 and SIDE_EFFECTS == [7]
    assert not Delivery.objects.filter(purpose="core.step_failed").exists()


def test_a_step_that_always_fails_alerts_the_office_once_and_shows_as_failed(
        an_lao, office, django_capture_on_commit_callbacks):
    step = _schedule(an_lao, "tests.broken", "broken:1", {},
                     django_capture_on_commit_callbacks)
    for minutes in (2, 10, 30, 60, 120):
        _run_later(minutes)
    step.refresh_from_db()
    assert (step.state, step.attempts) == (StepState.FAILED, 3)
    assert len(CALLS) == 3
    alerts = Delivery.objects.filter(purpose="core.step_failed")
    assert [a.recipient for a in alerts] == ["vanphong@example.org"]
    assert "Bước thử nghiệm luôn lỗi" in alerts[0].subject
    assert "máy chủ ngoài không trả lời" in alerts[0].body_text
    assert list(durable.failed_steps_for_commune(an_lao)) == [step]
    assert durable.failed_step_count(an_lao) == 1


def test_scheduling_a_completed_step_again_does_nothing(
        an_lao, office, django_capture_on_commit_callbacks):
    first = _schedule(an_lao, "tests.flaky", "flaky:2", {"value": 1, "fail_times": 0},
                      django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.state == StepState.DONE
    again = _schedule(an_lao, "tests.flaky", "flaky:2", {"value": 1, "fail_times": 0},
                      django_capture_on_commit_callbacks)
    assert again.pk == first.pk
    assert durable.attempt(first.pk) is None
    assert DurableStep.objects.count() == 1 and SIDE_EFFECTS == [1]


def test_a_step_scheduled_in_a_transaction_that_rolls_back_leaves_nothing(an_lao):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        durable.schedule("tests.flaky", key="flaky:3", args={"value": 1, "fail_times": 0},
                         commune=an_lao)
        raise RuntimeError("rollback")
    assert not DurableStep.objects.exists() and not CALLS


def test_the_office_sees_failed_steps_and_retries_one(
        client, login_staff, an_lao, office, django_capture_on_commit_callbacks):
    step = _schedule(an_lao, "tests.broken", "broken:2", {},
                     django_capture_on_commit_callbacks)
    for minutes in (2, 10, 30):
        _run_later(minutes)
    login_staff(client, office)
    page = client.get(reverse("core:failed_steps", args=[an_lao.ward_code]))
    assert page.status_code == 200
    assert "Bước thử nghiệm luôn lỗi" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:retry_step", args=[an_lao.ward_code, step.pk]),
                               follow=True)
    assert "Đã cho chạy lại" in response.content.decode()
    step.refresh_from_db()
    assert (step.state, step.attempts) == (StepState.PENDING, 1)  # ran again at once
    assert AuditEntry.objects.filter(object_type="core.durablestep",
                                     object_id=str(step.pk)).exists()


def test_someone_outside_the_commune_cannot_see_or_retry(client, login_staff, an_lao,
                                                         lac_phuong):
    outsider = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong, username="khac")
    login_staff(client, outsider)
    assert client.get(reverse("core:failed_steps", args=[an_lao.ward_code])).status_code == 403
