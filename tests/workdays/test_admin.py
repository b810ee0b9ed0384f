"""The admin writes overrides through the service (validation, recompute hooks)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tiepdan.workdays.models import CalendarOverride, DeadlineRule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar_cache")]


@pytest.fixture
def request_(django_user_model):
    request = RequestFactory().post("/")
    request.user = django_user_model.objects.create_superuser("quan-tri", password="x" * 12)
    return request


def test_saving_in_the_admin_records_the_user_and_runs_hooks(
    request_, hook_calls, django_capture_on_commit_callbacks
):
    model_admin = admin.site._registry[CalendarOverride]
    row = CalendarOverride(
        date=date(2027, 9, 6), kind="day_off", name="Nghỉ hoán đổi", legal_reference="TB"
    )
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request_, row, form=None, change=False)
    assert row.created_by == request_.user
    assert hook_calls[0][1] == frozenset({date(2027, 9, 6)})


def test_bulk_delete_in_the_admin_runs_hooks(
    request_, hook_calls, django_capture_on_commit_callbacks
):
    model_admin = admin.site._registry[CalendarOverride]
    seeded = CalendarOverride.objects.filter(date__year=2026, date__month=1)
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.delete_queryset(request_, seeded)
    assert not CalendarOverride.objects.filter(date__year=2026, date__month=1).exists()
    assert {day for _, days in hook_calls for day in days} == {date(2026, 1, 2), date(2026, 1, 10)}


def test_the_rule_key_cannot_be_changed_in_the_admin(request_):
    model_admin = admin.site._registry[DeadlineRule]
    rule = DeadlineRule.objects.get(key="notify_outcome")
    assert "key" in model_admin.get_readonly_fields(request_, rule)
    assert "key" not in model_admin.get_readonly_fields(request_, None)
