"""Huey job of the follow-up: reminders before and escalation after the due dates."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import reminders


@db_periodic_task(crontab(minute="7"))
def follow_up_reminders() -> int:
    return reminders.remind_due_tasks() + reminders.escalate_overdue_tasks()
