"""The figures of a periodic report, per commune, computed by aggregate SQL.

Each function takes the communes (a queryset or a list) and a ``Period`` and runs one grouped
query (``values(...).annotate(Count(...))``, conditional counts with ``filter=Q(...)``): the
database counts, Python only folds the (few) groups into ``CommuneFigures``. Nothing here loops
over matters, so a city year of a million matters costs a few index or sequential scans.

- matters received (``Matter.received_at`` in the period) by kind, field of law and channel
  (online = the online form and connected applications; in person = assisted by an officer);
- hearings held (``Hearing`` with status ``held`` that started in the period);
- deadlines (``MatterDeadline`` due in the period): met on time (met on or before the due date,
  in the commune's time), missed (met late, or past due and not met), still open and overdue;
  a deadline cancelled by a reclassification (closed, never met) is not counted;
- follow-up tasks, from ``follow_up_figures`` (the ``followup`` app).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from tiepdan.core.models import City, Commune
from tiepdan.hearings.models import Hearing, HearingStatus
from tiepdan.intake.models import Channel, Matter, MatterDeadline, MatterKind

from .periods import Period

ONLINE_CHANNELS = frozenset({Channel.ONLINE_FORM, Channel.API})
#: Key of matters not yet classified by field of law.
UNCLASSIFIED = ""

Communes = QuerySet[Commune] | Iterable[Commune]


def _scope(communes: Communes) -> QuerySet[Any, Any] | list[int]:
    """What the queries filter on: a queryset stays a subquery (PostgreSQL then hashes the
    communes once instead of testing each row against a list of a hundred ids, which also made
    it read the whole matter table instead of the covering index: about twice the time on a
    city year of a million matters); a list becomes its ids."""
    if isinstance(communes, QuerySet):
        return communes.order_by().values("pk")
    return [c.pk for c in communes]


@dataclass
class FollowUpFigures:
    """Follow-up tasks (theo dõi, đôn đốc thực hiện kết luận) due in the period.

    ``available`` is False when the ``followup`` app is not installed: the counts are then
    zeros and pages say that the figures are not available (rather than "0 %")."""

    available: bool = False
    total: int = 0  # due in the period, not cancelled
    done: int = 0
    overdue: int = 0  # not done and past due

    @property
    def completion(self) -> float | None:
        return self.done / self.total if self.available and self.total else None

    def add(self, other: FollowUpFigures) -> None:
        self.available = self.available or other.available
        self.total += other.total
        self.done += other.done
        self.overdue += other.overdue


@dataclass
class CommuneFigures:
    commune_id: int | None  # None for a city total
    ward_code: int | None
    name: str
    received: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_field: dict[str, int] = field(default_factory=dict)
    online: int = 0
    in_person: int = 0
    hearings_held: int = 0
    deadlines_counted: int = 0  # due in the period and settled (met, or past due)
    deadlines_met: int = 0  # met on or before the due date
    deadlines_overdue: int = 0  # still open and past due
    follow_up: FollowUpFigures = field(default_factory=FollowUpFigures)

    @property
    def deadlines_missed(self) -> int:
        return self.deadlines_counted - self.deadlines_met

    @property
    def met_share(self) -> float | None:
        """Share of deadlines met on time; None when none fell due."""
        return self.deadlines_met / self.deadlines_counted if self.deadlines_counted else None

    @property
    def overdue_items(self) -> int:
        return self.deadlines_overdue + self.follow_up.overdue

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the period: no matter, hearing, deadline or task."""
        return not (self.received or self.hearings_held or self.deadlines_counted
                    or self.deadlines_overdue or self.follow_up.total)

    def kinds(self) -> list[tuple[str, str, int]]:
        """(code, label, count) of every kind, in the order of ``MatterKind``."""
        return [(k.value, str(k.label), self.by_kind.get(k.value, 0)) for k in MatterKind]

    def fields(self) -> list[tuple[str, int]]:
        """(field of law, count), most frequent first; unclassified matters last."""
        named = sorted(((f, n) for f, n in self.by_field.items() if f != UNCLASSIFIED),
                       key=lambda item: (-item[1], item[0]))
        if self.by_field.get(UNCLASSIFIED):
            named.append((UNCLASSIFIED, self.by_field[UNCLASSIFIED]))
        return named

    def add(self, other: CommuneFigures) -> None:
        for name in ("received", "online", "in_person", "hearings_held", "deadlines_counted",
                     "deadlines_met", "deadlines_overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.by_kind, other.by_kind), (self.by_field, other.by_field)):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count
        self.follow_up.add(other.follow_up)


@dataclass
class Report:
    """The figures of one period for some communes, and their total."""

    period: Period
    communes: list[CommuneFigures]
    total: CommuneFigures
    today: dt.date

    @property
    def is_empty(self) -> bool:
        return self.total.is_empty

    @property
    def is_partial(self) -> bool:
        """The period is still running: its figures are "to date"."""
        return not self.period.is_complete(self.today)


# Queries --------------------------------------------------------------------------------------

def received_figures(communes: Communes, period: Period) -> dict[int, dict[str, dict]]:
    """Per commune id: ``{"kind": {...}, "field": {...}, "channel": {...}}`` counts, from one
    query grouped by commune, kind, field of law and channel."""
    start, after = period.bounds()
    groups = (Matter.objects.filter(commune__in=_scope(communes), received_at__gte=start,
                                    received_at__lt=after)
              .order_by().values_list("commune_id", "kind", "field_of_law", "channel")
              .annotate(n=Count("id")))
    result: dict[int, dict[str, dict]] = {}
    for commune_id, kind, field_of_law, channel, n in groups:
        counts = result.setdefault(commune_id, {"kind": {}, "field": {}, "channel": {}})
        for axis, key in (("kind", kind), ("field", field_of_law.strip()), ("channel", channel)):
            counts[axis][key] = counts[axis].get(key, 0) + n
    return result


def hearings_held(communes: Communes, period: Period) -> dict[int, int]:
    start, after = period.bounds()
    return dict(Hearing.objects.filter(commune__in=_scope(communes),
                                       status=HearingStatus.HELD,
                                       starts_at__gte=start, starts_at__lt=after)
                .order_by().values_list("commune_id").annotate(n=Count("id")))


def deadline_figures(communes: Communes, period: Period, today: dt.date
                     ) -> dict[int, tuple[int, int, int]]:
    """Per commune id: (counted, met on time, open and overdue) of deadlines due in the
    period. Counted: met, or past due (today's deadlines are not missed yet).

    By the deadline's own copy of its matter's commune: joining a million matters to find it
    was half the time of a city's yearly report."""
    rows = (MatterDeadline.objects
            .filter(commune__in=_scope(communes), due__gte=period.start, due__lte=period.end)
            .exclude(open=False, met_at__isnull=True)  # cancelled by a reclassification
            .order_by().values_list("commune_id")
            .annotate(counted=Count("id", filter=Q(met_at__isnull=False) | Q(due__lt=today)),
                      met=Count("id", filter=Q(met_at__date__lte=F("due"))),
                      overdue=Count("id", filter=Q(open=True, due__lt=today))))
    return {commune_id: (counted, met, overdue) for commune_id, counted, met, overdue in rows}


def follow_up_figures(communes: Communes, period: Period,
                      today: dt.date | None = None) -> dict[int, FollowUpFigures]:
    """Per commune id: the follow-up tasks due in the period (total, done, overdue).

    The one place the reports read follow-up tasks. Without the ``followup`` app every commune
    gets ``FollowUpFigures(available=False)`` (zeros, shown as "not available")."""
    commune_list = list(communes)
    if not apps.is_installed("tiepdan.followup"):
        return {c.pk: FollowUpFigures(available=False) for c in commune_list}
    from tiepdan.followup.models import FollowUpTask, TaskStatus

    today = today or timezone.localdate()
    rows = (FollowUpTask.objects
            .filter(matter__commune_id__in=[c.pk for c in commune_list],
                    due_date__gte=period.start, due_date__lte=period.end)
            .exclude(status=TaskStatus.CANCELLED)
            .order_by().values_list("matter__commune_id")
            .annotate(total=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)),
                      overdue=Count("id", filter=~Q(status=TaskStatus.DONE)
                                    & Q(due_date__lt=today))))
    found = {commune_id: FollowUpFigures(True, total, done, overdue)
             for commune_id, total, done, overdue in rows}
    return {c.pk: found.get(c.pk, FollowUpFigures(available=True)) for c in commune_list}


# Reports --------------------------------------------------------------------------------------

@contextlib.contextmanager
def _aggregate_queries() -> Iterator[None]:
    """The report's queries in one transaction, so that PostgreSQL settings apply to them alone
    (``SET LOCAL``): no JIT (compiling these one-off aggregates cost ~200 ms, more than it
    saved) and enough work memory to aggregate in memory."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def build_report(communes: Communes, period: Period, *, name: str,
                 today: dt.date | None = None) -> Report:
    """The report of ``communes`` over ``period``: one ``CommuneFigures`` per commune (by
    name) and their total named ``name``."""
    today = today or timezone.localdate()
    commune_list = sorted(communes, key=lambda c: c.name)
    # A queryset (a city's communes) is filtered on as a subquery, see ``_scope``.
    scope = communes if isinstance(communes, QuerySet) else commune_list
    with _aggregate_queries():
        received = received_figures(scope, period)
        held = hearings_held(scope, period)
        deadlines = deadline_figures(scope, period, today)
        follow_ups = follow_up_figures(commune_list, period, today)
    rows = []
    total = CommuneFigures(None, None, name,
                           follow_up=FollowUpFigures(available=apps.is_installed(
                               "tiepdan.followup")))
    for commune in commune_list:
        counts = received.get(commune.pk, {"kind": {}, "field": {}, "channel": {}})
        counted, met, overdue = deadlines.get(commune.pk, (0, 0, 0))
        channels = counts["channel"]
        figures = CommuneFigures(
            commune.pk, commune.ward_code, commune.name,
            received=sum(counts["kind"].values()), by_kind=counts["kind"],
            by_field=counts["field"],
            online=sum(n for c, n in channels.items() if c in ONLINE_CHANNELS),
            in_person=sum(n for c, n in channels.items() if c not in ONLINE_CHANNELS),
            hearings_held=held.get(commune.pk, 0), deadlines_counted=counted,
            deadlines_met=met, deadlines_overdue=overdue,
            follow_up=follow_ups.get(commune.pk, FollowUpFigures()),
        )
        rows.append(figures)
        total.add(figures)
    return Report(period, rows, total, today)


def commune_report(commune: Commune, period: Period, today: dt.date | None = None) -> Report:
    return build_report([commune], period, name=commune.name, today=today)


def city_report(city: City, period: Period, today: dt.date | None = None) -> Report:
    """Every active commune of ``city``, and the city-wide total."""
    communes = Commune.objects.filter(city=city, is_active=True)
    return build_report(communes, period, name=city.name, today=today)
