from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import reminders


@db_periodic_task(crontab(minute="*/10"))
def send_due_reminders() -> int:
    return reminders.remind_milestones() + reminders.remind_participants()
