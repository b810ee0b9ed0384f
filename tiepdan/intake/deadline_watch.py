"""The statutory deadlines of matters, watched: the office of each commune is told by e-mail of
every open deadline that has become due soon or overdue, in one message per commune and run.

- "Due soon" and "overdue" are :func:`matter_deadlines.mark_of`'s marks (the dashboard and the
  inbox count the same deadlines).
- Each deadline is told once per mark and due date: ``warned_soon_for`` / ``warned_overdue_for``
  are claimed with compare-and-swap against the due date, so a second run (or a second worker)
  tells nothing twice, and a due date moved by a calendar change is told again.
- The message names the matter by its tracking code, the deadline and its date only: nothing of
  the citizen (a sealed denouncer's matter is listed like any other).

Polled by the periodic job ``intake.tasks.watch_matter_deadlines``; a pure function of ``now``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiepdan.core.models import Commune
from tiepdan.core.public_urls import absolute_reverse
from tiepdan.notify.services import office_emails, queue_email
from tiepdan.workdays.calendar import format_date
from tiepdan.workdays.deadlines import local_date
from tiepdan.workdays.marks import Mark, due_soon_limit
from tiepdan.workdays.models import DeadlineRule
from tiepdan.workdays.names import deadline_name
from tiepdan.workdays.services import current_calendar

from .models import MatterDeadline

PURPOSE = "intake.deadline_warning"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadlineWarning:
    deadline: MatterDeadline
    mark: Mark


def _claim(row: MatterDeadline, mark: Mark) -> bool:
    field = "warned_overdue_for" if mark == Mark.OVERDUE else "warned_soon_for"
    told = Q(**{field: row.due})
    return bool(MatterDeadline.objects.filter(pk=row.pk, open=True, due=row.due)
                .exclude(told).update(**{field: row.due}))


def due_warnings(today: dt.date) -> list[DeadlineWarning]:
    """The open deadlines due soon or overdue on ``today`` that their office was not told of."""
    limit = due_soon_limit(today, current_calendar())
    rows = (MatterDeadline.objects.filter(open=True, due__lte=limit)
            .filter(Q(due__lt=today) & (Q(warned_overdue_for__isnull=True)
                                        | ~Q(warned_overdue_for=F("due")))
                    | Q(due__gte=today) & (Q(warned_soon_for__isnull=True)
                                           | ~Q(warned_soon_for=F("due"))))
            .select_related("matter", "commune").order_by("commune_id", "due", "pk"))
    return [DeadlineWarning(row, Mark.OVERDUE if row.due < today else Mark.DUE_SOON)
            for row in rows]


def warn_offices(now: dt.datetime | None = None) -> int:
    """Tell each commune's office of its deadlines newly due soon or overdue; how many deadlines
    were told."""
    today = local_date(now or timezone.now())
    by_commune: dict[int, list[DeadlineWarning]] = defaultdict(list)
    for warning in due_warnings(today):
        by_commune[warning.deadline.commune_id].append(warning)
    labels = dict(DeadlineRule.objects.values_list("key", "label_vi"))
    told = 0
    for warnings in by_commune.values():
        commune = warnings[0].deadline.commune
        with transaction.atomic():
            claimed = [w for w in warnings if _claim(w.deadline, w.mark)]
            if not claimed:
                continue
            _mail(commune, claimed, labels)
            told += len(claimed)
    return told


def _line(warning: DeadlineWarning, commune: Commune, labels: dict[str, str]) -> str:
    row = warning.deadline
    state = _("quá hạn") if warning.mark == Mark.OVERDUE else _("sắp đến hạn")
    url = absolute_reverse("intake:matter", args=[commune.ward_code, row.matter_id])
    return (f"- {row.matter.tracking_code}: {deadline_name(labels.get(row.rule_key, row.rule_key))}"
            f" — {_('hạn')} {format_date(row.due)} ({state})\n  {url}")


def _mail(commune: Commune, warnings: list[DeadlineWarning], labels: dict[str, str]) -> None:
    overdue = [w for w in warnings if w.mark == Mark.OVERDUE]
    soon = [w for w in warnings if w.mark == Mark.DUE_SOON]
    counts = ", ".join(filter(None, [
        ngettext("%(n)s thời hạn quá hạn", "%(n)s thời hạn quá hạn", len(overdue))
        % {"n": len(overdue)} if overdue else "",
        ngettext("%(n)s thời hạn sắp đến hạn", "%(n)s thời hạn sắp đến hạn", len(soon))
        % {"n": len(soon)} if soon else ""]))
    parts = [_("Các thời hạn giải quyết hồ sơ theo luật cần xử lý tại %(commune)s:")
             % {"commune": commune.committee_name}]
    if overdue:
        parts += ["", _("Đã quá hạn:"), *(_line(w, commune, labels) for w in overdue)]
    if soon:
        parts += ["", _("Sắp đến hạn:"), *(_line(w, commune, labels) for w in soon)]
    parts += ["", _("Danh sách đầy đủ: %(url)s")
              % {"url": absolute_reverse("core:dashboard")}]
    emails = office_emails(commune)
    if not emails:  # the dashboard still counts them
        log.warning("commune %s: %s deadline warning(s) but no office e-mail address",
                    commune.ward_code, len(warnings))
    for email in emails:
        queue_email(commune=commune, to=email,
                    subject=_("[Tiếp Dân] Thời hạn giải quyết: %(counts)s") % {"counts": counts},
                    text="\n".join(parts), purpose=PURPOSE)
