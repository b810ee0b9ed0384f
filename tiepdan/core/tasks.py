"""Huey jobs of core: run a durable step, every minute the steps due again, and hourly the
expired Idempotency-Keys."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import durable, idempotency


@db_task()
def run_step(step_id: int) -> str | None:
    return durable.attempt(step_id)


@db_periodic_task(crontab(minute="*"))
def run_due_steps() -> int:
    return durable.run_due()


@db_periodic_task(crontab(minute="23"))
def purge_idempotency_keys() -> int:
    """Delete the Idempotency-Keys older than 24 hours; the number deleted."""
    return idempotency.purge_expired()
