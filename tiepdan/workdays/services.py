"""The calendar in force (baseline + overrides), its changes, and the named deadline rules.

Other apps register a recompute hook (in their ``AppConfig.ready``) to move their open
deadlines when an override is added, changed or removed::

    register_recompute_hook(recompute_open_hearing_milestones)

Hooks run after the commit of the change, never for a change that rolled back, as a durable
step (``core.durable``): retried until every hook has run.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tiepdan.core import audit, durable
from tiepdan.core.durable import durable_step
from tiepdan.core.errors import DomainError, InvalidInput, NotFound
from tiepdan.workdays.calendar import OverrideKind, WorkCalendar, find_conflicts
from tiepdan.workdays.deadlines import Rule
from tiepdan.workdays.models import CalendarOverride, DeadlineRule, contradiction_message

logger = logging.getLogger(__name__)

# A hook gets the new calendar and the dates whose status changed; returns how many deadlines
# it recomputed.
RecomputeHook = Callable[[WorkCalendar, frozenset[dt.date]], int]

_hooks: list[RecomputeHook] = []
_cache_lock = threading.Lock()
_cache: tuple[tuple[object, ...], WorkCalendar] | None = None
#: Seconds a process trusts its calendar without asking the table whether it changed: a page
#: asks for the calendar several times, each ask was a query.  A change made in this process
#: clears the cache at once (``invalidate_calendar_cache``, also on every save and delete of an
#: override); another process sees it within this time.
SIGNATURE_TTL = 1.0
_checked_at = 0.0


# The calendar ---------------------------------------------------------------------------------


def current_calendar() -> WorkCalendar:
    """The working calendar in force: the ``holidays`` baseline plus the override table.

    Cached per process and rebuilt when the table changes (checked with one small query at most
    every ``SIGNATURE_TTL`` seconds, so a change made by another process is seen too).
    """
    global _cache, _checked_at
    with _cache_lock:
        if _cache is not None and time.monotonic() - _checked_at < SIGNATURE_TTL:
            return _cache[1]
    signature = _table_signature()
    with _cache_lock:
        if _cache is not None and _cache[0] == signature:
            _checked_at = time.monotonic()
            return _cache[1]
    overrides = [row.as_override() for row in CalendarOverride.objects.all()]
    calendar = WorkCalendar(overrides)
    with _cache_lock:
        _cache, _checked_at = (signature, calendar), time.monotonic()
    return calendar


def invalidate_calendar_cache(**_signal_arguments: object) -> None:
    """Forget the cached calendar (also the receiver of an override's save and delete)."""
    global _cache
    with _cache_lock:
        _cache = None


def _table_signature() -> tuple[object, ...]:
    agg = CalendarOverride.objects.aggregate(n=Count("id"), last=Max("id"), at=Max("updated_at"))
    return (agg["n"], agg["last"], agg["at"])


# Overrides ------------------------------------------------------------------------------------


def add_override(
    *,
    date: dt.date,
    kind: OverrideKind | str,
    name: str,
    legal_reference: str,
    actor: User | None,
) -> CalendarOverride:
    """Record a day off, a make-up working day or the removal of a baseline holiday."""
    if kind not in set(OverrideKind):
        raise InvalidInput(_("Loại điều chỉnh không hợp lệ: %(kind)s") % {"kind": kind})
    override = CalendarOverride(
        date=date,
        kind=OverrideKind(kind).value,
        name=name.strip(),
        legal_reference=legal_reference.strip(),
        created_by=actor,
    )
    return save_override(override, actor=actor)


def save_override(
    override: CalendarOverride, *, actor: User | None
) -> CalendarOverride:
    """Create or update an override; rejects a day that would be both off and worked."""
    with transaction.atomic():
        previous_date = None
        if override.pk is not None:
            previous_date = (
                CalendarOverride.objects.select_for_update()
                .filter(pk=override.pk)
                .values_list("date", flat=True)
                .first()
            )
        same_day = CalendarOverride.objects.select_for_update().filter(date=override.date)
        others = [row.as_override() for row in same_day.exclude(pk=override.pk)]
        if find_conflicts([*others, override.as_override()]):
            raise DomainError(contradiction_message(override.date), code="calendar_conflict")
        try:
            override.full_clean(exclude=["created_by"])
        except ValidationError as exc:
            raise _invalid(exc) from exc
        verb = "changed" if override.pk else "added"
        override.save()
        changed = {override.date} | ({previous_date} if previous_date else set())
        _audit(override, actor, "changed" if verb == "changed" else "added")
        _on_commit(changed, f"{verb} {override}", actor)
    return override


def delete_override(override: CalendarOverride, *, actor: User | None) -> None:
    with transaction.atomic():
        description = str(override)
        _audit(override, actor, "removed")
        override.delete()
        _on_commit({override.date}, f"removed {description}", actor)


def _invalid(exc: ValidationError) -> InvalidInput:
    fields = {
        field: [{"message": str(m), "code": "invalid"} for m in messages]
        for field, messages in exc.message_dict.items()
    }
    first = next(iter(fields.values()))[0]["message"] if fields else str(exc)
    return InvalidInput(first, field_errors=fields)


def _audit(override: CalendarOverride, actor: User | None, verb: str) -> None:
    audit.record(
        f"workdays.override.{verb}", actor=actor, object_type="workdays.calendaroverride",
        object_id=str(override.pk), reason=override.legal_reference,
        data={"date": f"{override.date:%d/%m/%Y}", "kind": override.get_kind_display(),
              "name": override.name},
    )


def _on_commit(days: Iterable[dt.date], what: str, actor: User | None) -> None:
    """The recompute is a durable step written with the change: run by the worker after
    commit, retried until every hook has run, the office alerted if it cannot (steps below)."""
    logger.info("Calendar override %s by %s", what, actor or "system")
    shown = sorted(d.isoformat() for d in days)
    durable.schedule("workdays.calendar_changed",
                     key=f"workdays.calendar_changed:{uuid.uuid4().hex}",
                     args={"days": shown},
                     label=f"Tính lại thời hạn sau khi đổi lịch làm việc ({', '.join(shown)})")


# Recompute hooks ------------------------------------------------------------------------------


def register_recompute_hook(hook: RecomputeHook) -> RecomputeHook:
    """Have ``hook`` called after every committed calendar change (usable as a decorator)."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def unregister_recompute_hook(hook: RecomputeHook) -> None:
    if hook in _hooks:
        _hooks.remove(hook)


class RecomputeFailed(Exception):
    """A recompute hook failed (after every other hook ran)."""


def calendar_changed(days: frozenset[dt.date], *, strict: bool = False) -> int:
    """Rebuild the calendar and run every recompute hook; the number of deadlines recomputed.

    A failing hook does not stop the others; with ``strict`` it is then raised as
    ``RecomputeFailed`` (the durable step retries: hooks recompute from the calendar, so
    running one twice is harmless).
    """
    invalidate_calendar_cache()
    calendar = current_calendar()
    total = 0
    failed = []
    for hook in list(_hooks):
        try:
            total += int(hook(calendar, days) or 0)
        except Exception as exc:
            logger.exception("Recompute hook %r failed", hook)
            failed.append(f"{getattr(hook, '__qualname__', hook)}: {exc}")
    shown = ", ".join(sorted(d.isoformat() for d in days))
    logger.info("Calendar changed on %s: %d open deadline(s) recomputed", shown, total)
    audit.record("workdays.calendar.changed", actor=None, object_type="workdays.calendar",
                 object_id=shown[:64], data={"change": shown, "deadlines": total})
    if failed and strict:
        raise RecomputeFailed("; ".join(failed))
    return total


@durable_step("workdays.calendar_changed",
              label=_lazy("Tính lại thời hạn sau khi đổi lịch làm việc"), base_delay=60)
def _calendar_changed_step(days: list[str]) -> None:
    calendar_changed(frozenset(dt.date.fromisoformat(day) for day in days), strict=True)


# Deadline rules -------------------------------------------------------------------------------


_rules_lock = threading.Lock()
_rules: tuple[float, dict[str, Rule]] | None = None


def _all_rules() -> dict[str, Rule]:
    """Every rule by key: the table is small and read on every registration, so a process keeps
    it for ``SIGNATURE_TTL`` seconds (its own changes clear it at once: ``invalidate_rules``)."""
    global _rules
    with _rules_lock:
        if _rules is not None and time.monotonic() - _rules[0] < SIGNATURE_TTL:
            return _rules[1]
    rules = {row.key: row.as_rule() for row in DeadlineRule.objects.all()}
    with _rules_lock:
        _rules = (time.monotonic(), rules)
    return rules


def invalidate_rules(**_signal_arguments: object) -> None:
    """Forget the cached rules (also the receiver of a rule's save and delete)."""
    global _rules
    with _rules_lock:
        _rules = None


def get_rule(key: str) -> Rule:
    """The named rule of the ``DeadlineRule`` table (e.g. ``"notify_outcome"``)."""
    return get_rules([key])[key]


def get_rules(keys: Iterable[str]) -> dict[str, Rule]:
    wanted = list(keys)
    known = _all_rules()
    missing = [key for key in wanted if key not in known]
    if missing:
        message = _("Không có thời hạn mang mã “%(key)s”.") % {"key": ", ".join(missing)}
        raise NotFound(message)
    return {key: known[key] for key in wanted}
