from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import reminders


@db_periodic_task(crontab(minute="*/10"), retries=2, retry_delay=60)
def send_due_reminders() -> int:
    """Every 10 minutes: milestone owners and participants (3 days and the day before the
    hearing: e-mail, and SMS the day before).  Idempotent: each reminder is claimed once."""
    return reminders.remind_milestones() + reminders.remind_participants()
