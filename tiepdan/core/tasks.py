"""Huey jobs of core: run a durable step, and every minute the steps due again."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import durable


@db_task()
def run_step(step_id: int) -> str | None:
    return durable.attempt(step_id)


@db_periodic_task(crontab(minute="*"))
def run_due_steps() -> int:
    return durable.run_due()
