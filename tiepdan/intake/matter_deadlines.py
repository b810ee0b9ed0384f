"""Running deadlines of a matter (domain brief §7): started by registration and triage, closed
by the decision that satisfies them, recomputed when the working calendar changes.

Every due date comes from the workdays engine (``compute(rule, trigger, calendar)``) and the
rule table (``DeadlineRule``), so a changed rule or calendar is the only thing to edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone

from tiepdan.workdays import marks
from tiepdan.workdays.calendar import WorkCalendar
from tiepdan.workdays.deadlines import compute, local_date
from tiepdan.workdays.marks import Mark
from tiepdan.workdays.models import DeadlineRule
from tiepdan.workdays.names import deadline_name
from tiepdan.workdays.services import current_calendar, get_rule, get_rules

from .models import Matter, MatterDeadline, MatterKind, MatterStatus

NOTIFY_OUTCOME = "notify_outcome"  # Luật Tiếp công dân Đ28 k1: 10 working days
COMPLAINT_ACCEPTANCE = "complaint_acceptance"  # NĐ 155/2026 Đ10: 07 working days
DENUNCIATION_INITIAL = "denunciation_initial_processing"  # Luật Tố cáo Đ24 k1
DENUNCIATION_FORWARDING = "denunciation_forwarding"  # Luật Tố cáo Đ24 k2: 05 working days
REFUSAL_NOTICE = "refusal_notice"  # NĐ 154/2026 Đ4: 01/TCD within 03 working days

#: The deadline that depends on the kind of the matter, started on registration.
KIND_DEADLINES: dict[str, str] = {
    MatterKind.KHIEU_NAI: COMPLAINT_ACCEPTANCE,
    MatterKind.TO_CAO: DENUNCIATION_INITIAL,
}
#: Deadlines met by a triage decision (accept, guide, forward, return, file) or a refusal.
MET_BY_DECISION = frozenset({NOTIFY_OUTCOME, COMPLAINT_ACCEPTANCE, DENUNCIATION_INITIAL})

# Starting and closing -------------------------------------------------------------------------


def start_deadline(
    matter: Matter, rule_key: str, trigger: dt.date | dt.datetime,
    *, calendar: WorkCalendar | None = None,
) -> MatterDeadline:
    """Start ``rule_key`` for ``matter`` counted from ``trigger`` (idempotent: a running or met
    deadline is kept as it is; one cancelled by a reclassification runs again)."""
    calendar = calendar or current_calendar()
    day = local_date(trigger)
    deadline = compute(get_rule(rule_key), day, calendar)
    existing = MatterDeadline.objects.filter(matter=matter, rule_key=rule_key).first()
    if existing is not None:
        if not existing.open and existing.met_at is None:
            existing.open, existing.trigger = True, day
            existing.due, existing.explanation = deadline.due, deadline.explanation
            existing.save(update_fields=["open", "trigger", "due", "explanation"])
        return existing
    return MatterDeadline.objects.create(
        matter=matter, commune_id=matter.commune_id, rule_key=rule_key, trigger=day,
        due=deadline.due, explanation=deadline.explanation, started_at=timezone.now(),
    )


def start_registration_deadlines(matter: Matter) -> None:
    """The deadlines that run from the registration of ``matter``: notifying the citizen of the
    outcome and, by kind, accepting a complaint or the initial processing of a denunciation.

    Called by ``registration.register_matter`` and ``splitting`` inside their transaction;
    idempotent (a deadline already started is kept as it is)."""
    calendar = current_calendar()
    keys = [NOTIFY_OUTCOME, *([KIND_DEADLINES[matter.kind]] if matter.kind in KIND_DEADLINES
                              else [])]
    # The rules in one query, the rows in one insert (a new matter has none yet; one that has
    # is left alone by the unique constraint).
    day, now = local_date(matter.received_at), timezone.now()
    rules = get_rules(keys)
    rows = []
    for key in keys:
        deadline = compute(rules[key], day, calendar)
        rows.append(MatterDeadline(
            matter=matter, commune_id=matter.commune_id, rule_key=key, trigger=day,
            due=deadline.due, explanation=deadline.explanation, started_at=now))
    MatterDeadline.objects.bulk_create(rows, ignore_conflicts=True)


def follow_kind(matter: Matter) -> None:
    """After a reclassification: cancel the kind deadline of the old kind and start the one of
    the new kind, counted from the registration (the law counts from receipt)."""
    wanted = KIND_DEADLINES.get(matter.kind)
    stale = set(KIND_DEADLINES.values()) - {wanted}
    MatterDeadline.objects.filter(matter=matter, rule_key__in=stale, open=True).update(open=False)
    if wanted and matter.deadlines.filter(rule_key=NOTIFY_OUTCOME).exists():
        start_deadline(matter, wanted, matter.received_at)


def close_deadlines(matter: Matter, rule_keys: Iterable[str],
                    at: dt.datetime | None = None) -> int:
    """Mark the open deadlines ``rule_keys`` of ``matter`` as met; how many were."""
    return MatterDeadline.objects.filter(
        matter=matter, rule_key__in=list(rule_keys), open=True
    ).update(open=False, met_at=at or timezone.now())


# Recomputing ----------------------------------------------------------------------------------


def recompute_open_deadlines(calendar: WorkCalendar, days: frozenset[dt.date] = frozenset()
                             ) -> int:
    """Workdays recompute hook: every open deadline again from its trigger with ``calendar``;
    returns how many open deadlines were recomputed."""
    with transaction.atomic():
        rows = list(MatterDeadline.objects.select_for_update().filter(open=True))
        if not rows:
            return 0
        rules = get_rules({row.rule_key for row in rows})
        changed = []
        for row in rows:
            deadline = compute(rules[row.rule_key], row.trigger, calendar)
            if (row.due, row.explanation) != (deadline.due, deadline.explanation):
                row.due, row.explanation = deadline.due, deadline.explanation
                changed.append(row)
        MatterDeadline.objects.bulk_update(changed, ["due", "explanation"], batch_size=500)
    return len(rows)


# Reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineView:
    deadline: MatterDeadline
    label: str
    mark: Mark


def mark_of(deadline: MatterDeadline, today: dt.date, calendar: WorkCalendar) -> Mark:
    return marks.mark_day(deadline.due, today, calendar, met=not deadline.open)


def deadlines_for_display(matter: Matter, today: dt.date | None = None) -> list[DeadlineView]:
    """The deadlines of ``matter``, running ones first, each with its label and mark."""
    today = today or timezone.localdate()
    calendar = current_calendar()
    rows = sorted(matter.deadlines.all(), key=lambda d: (not d.open, d.due))
    labels = dict(DeadlineRule.objects.filter(key__in={d.rule_key for d in rows})
                  .values_list("key", "label_vi"))
    return [DeadlineView(d, deadline_name(labels.get(d.rule_key, d.rule_key)),
                         mark_of(d, today, calendar)) for d in rows]


def nearest_due() -> Subquery:
    """The due date of a matter's nearest open deadline (None without one).  A subquery, not
    a join: a count of the annotated matters (pagination) drops it and reads no deadline."""
    return Subquery(MatterDeadline.objects.filter(matter=OuterRef("pk"), open=True)
                    .order_by("due").values("due")[:1])


def order_for_inbox(matters: QuerySet[Matter]) -> QuerySet[Matter]:
    """New matters first, then the most urgent (nearest open deadline), then the newest;
    each matter annotated with ``nearest_due`` (None without an open deadline)."""
    return matters.annotate(
        nearest_due=nearest_due(),
        is_new=Case(When(status=MatterStatus.NEW, then=Value(0)), default=Value(1),
                    output_field=IntegerField()),
    ).order_by("is_new", F("nearest_due").asc(nulls_last=True), "-received_at", "-pk")


def inbox_mark(due: dt.date | None, today: dt.date, calendar: WorkCalendar) -> Mark | None:
    """The mark of a matter's nearest open due date in the inbox (None without one)."""
    if due is None:
        return None
    return mark_of(MatterDeadline(due=due, open=True), today, calendar)


def inbox_marks(matters: Iterable[Matter], today: dt.date | None = None) -> list[Mark | None]:
    """The mark of each matter of :func:`order_for_inbox` (None without a due)."""
    today = today or timezone.localdate()
    calendar = current_calendar()
    return [inbox_mark(getattr(matter, "nearest_due", None), today, calendar)
            for matter in matters]
