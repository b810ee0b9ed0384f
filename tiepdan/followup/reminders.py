"""Reminders and escalation of follow-up tasks, polled by a periodic job (``tasks.py``).

- The owner body is reminded ``REMIND_WORKING_DAYS`` working days before the due date, once
  per due date: ``reminded_for`` is claimed with compare-and-swap against the date, so a changed
  due date re-arms the reminder.
- After the due date the office and the Chairman are told, once (``escalated_at``).

Pure functions of ``now``, so tests travel in time.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import audit
from tiepdan.notify.services import office_emails, queue_email
from tiepdan.workdays.calendar import format_date
from tiepdan.workdays.deadlines import local_date
from tiepdan.workdays.services import current_calendar

from .models import ACTIVE_STATUSES, FollowUpTask
from .notices import body_emails, chairman_emails, task_url

REMIND_WORKING_DAYS = 2


def _describe(task: FollowUpTask) -> dict[str, str]:
    return {"title": task.title, "code": task.matter.tracking_code, "body": task.body.name,
            "due": format_date(task.due_date), "why": task.due_explanation,
            "url": task_url(task)}


def remind_due_tasks(now: dt.datetime | None = None) -> int:
    """Remind the owner bodies of tasks due within ``REMIND_WORKING_DAYS`` working days."""
    today = local_date(now or timezone.now())
    horizon = current_calendar().add_working_days(today, REMIND_WORKING_DAYS)
    rows = (FollowUpTask.objects.filter(status__in=ACTIVE_STATUSES, due_date__gte=today,
                                        due_date__lte=horizon)
            .exclude(reminded_for=F("due_date"))
            .select_related("body__commune", "matter"))
    sent = 0
    for row in rows:
        with transaction.atomic():
            claimed = (FollowUpTask.objects.filter(pk=row.pk, status__in=ACTIVE_STATUSES,
                                                   due_date=row.due_date)
                       .exclude(reminded_for=row.due_date).update(reminded_for=row.due_date))
            if not claimed:
                continue
            values = _describe(row)
            for email in body_emails(row.body):
                queue_email(
                    commune=row.body.commune, to=email,
                    subject=_("[Tiếp Dân] Nhắc việc theo dõi: hạn %(due)s") % values,
                    text=_("Việc “%(title)s” (hồ sơ %(code)s) giao cho %(body)s sắp đến hạn: "
                           "%(due)s.\nCách tính hạn: %(why)s\nCập nhật tiến độ: %(url)s")
                    % values,
                    purpose="followup.reminder", obj=row)
                sent += 1
    return sent


def escalate_overdue_tasks(now: dt.datetime | None = None) -> int:
    """Tell the office and the Chairman of every task past its due date, once per task."""
    now = now or timezone.now()
    today = local_date(now)
    rows = (FollowUpTask.objects.filter(status__in=ACTIVE_STATUSES, due_date__lt=today,
                                        escalated_at__isnull=True)
            .select_related("body__commune", "matter"))
    escalated = 0
    for row in rows:
        with transaction.atomic():
            claimed = FollowUpTask.objects.filter(
                pk=row.pk, status__in=ACTIVE_STATUSES, escalated_at__isnull=True,
                due_date=row.due_date).update(escalated_at=now)
            if not claimed:
                continue
            commune = row.body.commune
            values = _describe(row)
            for email in sorted(set(office_emails(commune)) | set(chairman_emails(commune))):
                queue_email(
                    commune=commune, to=email,
                    subject=_("[Tiếp Dân] QUÁ HẠN: việc theo dõi hồ sơ %(code)s") % values,
                    text=_("Việc “%(title)s” (hồ sơ %(code)s) giao cho %(body)s đã quá hạn "
                           "%(due)s mà chưa hoàn thành.\nCách tính hạn: %(why)s\n"
                           "Xem và đôn đốc: %(url)s") % values,
                    purpose="followup.escalation", obj=row)
            audit.record("followup.task.overdue_reported", row, actor=None, commune=commune,
                         data={"tracking_code": row.matter.tracking_code, "body": row.body.name,
                               "due": f"{row.due_date:%d/%m/%Y}"})
            escalated += 1
    return escalated
