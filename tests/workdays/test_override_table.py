"""The override table: contradictions rejected, recompute hooks after commit, cache refreshed."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.workdays import services
from tiepdan.workdays.models import CalendarOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar_cache")]

SAT = date(2027, 9, 11)  # an ordinary Saturday
MON = date(2027, 9, 6)


def add(day=MON, kind="day_off", actor=None, **extra):
    fields = {"name": "Nghỉ hoán đổi", "legal_reference": "Thông báo thử nghiệm"} | extra
    return services.add_override(date=day, kind=kind, actor=actor, **fields)


def test_the_migration_seeds_the_2026_swaps():
    rows = {(o.date, o.kind) for o in CalendarOverride.objects.all()}
    assert {
        (date(2026, 1, 2), "day_off"),
        (date(2026, 1, 10), "working_day"),
        (date(2026, 8, 31), "day_off"),
        (date(2026, 8, 22), "working_day"),
    } <= rows
    assert all(o.legal_reference for o in CalendarOverride.objects.all())


def test_the_current_calendar_includes_the_seeded_swaps():
    calendar = services.current_calendar()
    assert not calendar.is_working_day(date(2026, 1, 2))
    assert calendar.is_working_day(date(2026, 1, 10))


def test_it_records_the_actor(django_user_model):
    user = django_user_model.objects.create_user("can-bo", password="x" * 12)
    override = add(actor=user)
    assert override.created_by == user
    assert override.created_at is not None


def test_it_rejects_a_day_both_off_and_worked():
    add(SAT, "working_day", name="Làm bù")
    with pytest.raises(DomainError, match="11/09/2027") as exc:
        add(SAT, "day_off")
    assert exc.value.code == "calendar_conflict"
    assert list(CalendarOverride.objects.filter(date=SAT).values_list("kind", flat=True)) == [
        "working_day"
    ]


def test_it_rejects_turning_a_seeded_make_up_saturday_into_a_day_off():
    with pytest.raises(DomainError, match="vừa là ngày nghỉ vừa là ngày làm việc"):
        add(date(2026, 8, 22), "day_off")


def test_the_model_validation_rejects_a_contradiction():
    add(SAT, "working_day", name="Làm bù")
    row = CalendarOverride(date=SAT, kind="day_off", name="Nghỉ", legal_reference="TB")
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "kind" in exc.value.message_dict


def test_it_rejects_a_change_that_creates_a_contradiction():
    add(SAT, "working_day", name="Làm bù")
    other = add(MON)
    other.date = SAT
    with pytest.raises(DomainError):
        services.save_override(other, actor=None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"legal_reference": "  "}, "legal_reference", id="no-legal-reference"),
        pytest.param({"name": ""}, "name", id="no-name"),
    ],
)
def test_it_requires_a_name_and_a_legal_reference(fields, field):
    with pytest.raises(InvalidInput) as exc:
        add(**fields)
    assert field in exc.value.field_errors


def test_it_rejects_the_same_override_twice():
    add()
    with pytest.raises(InvalidInput):
        add()


def test_it_rejects_an_unknown_kind():
    with pytest.raises(InvalidInput):
        add(kind="half_day")


def test_it_refreshes_the_cached_calendar(django_capture_on_commit_callbacks):
    before = services.current_calendar()
    assert services.current_calendar() is before  # cached while nothing changes
    assert before.is_working_day(MON)
    with django_capture_on_commit_callbacks(execute=True):
        override = add()
    after = services.current_calendar()
    assert after is not before
    assert not after.is_working_day(MON)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_override(override, actor=None)
    assert services.current_calendar().is_working_day(MON)


def test_it_sees_a_change_made_without_the_service():
    services.current_calendar()
    CalendarOverride.objects.create(date=MON, kind="day_off", name="x", legal_reference="y")
    assert not services.current_calendar().is_working_day(MON)


def test_another_process_change_is_seen_once_the_cache_is_older_than_its_ttl(monkeypatch):
    """A change that sends no signal here (another process's, or a bulk write) is seen after
    ``SIGNATURE_TTL``; until then the cached calendar is used without asking the table."""
    import time as real_time

    clock = [real_time.monotonic()]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    cached = services.current_calendar()
    CalendarOverride.objects.bulk_create([CalendarOverride(
        date=MON, kind="day_off", name="x", legal_reference="y")])  # no post_save
    clock[0] += services.SIGNATURE_TTL / 2
    assert services.current_calendar() is cached  # trusted: no query, not yet seen
    assert cached.is_working_day(MON)
    clock[0] += services.SIGNATURE_TTL
    assert not services.current_calendar().is_working_day(MON)


def test_within_the_ttl_the_calendar_costs_no_query(django_assert_num_queries):
    services.current_calendar()
    with django_assert_num_queries(0):
        services.current_calendar()


def test_it_calls_recompute_hooks_after_commit(hook_calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add()
        assert hook_calls == []  # not before the commit
    for callback in callbacks:
        callback()
    [(calendar, days)] = hook_calls
    assert days == frozenset({MON})
    assert not calendar.is_working_day(MON)  # hooks see the new calendar


def test_it_calls_recompute_hooks_when_an_override_is_removed(
    hook_calls, django_capture_on_commit_callbacks
):
    override = add()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_override(override, actor=None)
    [(calendar, days)] = hook_calls
    assert days == frozenset({MON})
    assert calendar.is_working_day(MON)


def test_it_reports_old_and_new_dates_of_a_moved_override(
    hook_calls, django_capture_on_commit_callbacks
):
    override = add()
    override.date = date(2027, 9, 7)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_override(override, actor=None)
    assert hook_calls[-1][1] == frozenset({MON, date(2027, 9, 7)})


def test_it_does_not_call_hooks_for_a_rolled_back_change(
    hook_calls, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        add()
        raise RuntimeError
    assert callbacks == []
    assert hook_calls == []


def test_it_returns_and_logs_the_number_recomputed(hook_calls, caplog):
    with caplog.at_level(logging.INFO, logger="tiepdan.workdays.services"):
        total = services.calendar_changed(frozenset({MON}))
    assert total == 3
    assert "3 open deadline(s) recomputed" in caplog.text


def test_a_failing_hook_does_not_stop_the_others(hook_calls, caplog):
    def broken(calendar, days):
        raise RuntimeError("boom")

    services.register_recompute_hook(broken)
    try:
        total = services.calendar_changed(frozenset({MON}))
    finally:
        services.unregister_recompute_hook(broken)
    assert total == 3
    assert len(hook_calls) == 1
    assert "Recompute hook" in caplog.text


def test_registering_a_hook_twice_calls_it_once(hook_calls):
    [hook] = [h for h in services._hooks if h.__name__ == "hook"]
    services.register_recompute_hook(hook)
    services.calendar_changed(frozenset({MON}))
    assert len(hook_calls) == 1


@pytest.mark.django_db
def test_calendar_changes_are_written_to_the_audit_trail(django_capture_on_commit_callbacks):
    from tiepdan.core.audit import verify_chain
    from tiepdan.core.models import AuditEntry

    with django_capture_on_commit_callbacks(execute=True):
        services.add_override(date=date(2027, 3, 1), kind="day_off", name="Nghỉ thử",
                              legal_reference="TB 1/TB-BNV", actor=None)
    entries = list(AuditEntry.objects.filter(type__startswith="workdays.").order_by("seq"))
    assert [e.type for e in entries] == ["workdays.override.added", "workdays.calendar.changed"]
    assert entries[0].data["date"] == "01/03/2027" and entries[0].reason == "TB 1/TB-BNV"
    assert "01/03/2027" in entries[0].text
    assert "tính lại" in entries[1].text and isinstance(entries[1].data["deadlines"], int)
    assert verify_chain().ok
