"""Huey jobs of notify: deliver on commit, retry what is due every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def deliver(delivery_id: int) -> str | None:
    status = services.attempt(delivery_id)
    return str(status) if status else None


@db_periodic_task(crontab(minute="*"))
def retry_due_deliveries() -> int:
    due = services.due_for_retry()
    for delivery_id in due:
        services.attempt(delivery_id)
    return len(due)
