"""Work queues follow-up contributes to the staff dashboard (``core.queues``): conclusions that
should have tasks and have none, tasks overdue and due soon."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from tiepdan.core.queues import QueueContext, QueueItem
from tiepdan.minutes.models import Conclusion, Outcome

from . import selectors
from .models import FollowUpTask

LISTED = 5


def conclusions_without_tasks(context: QueueContext) -> list[QueueItem]:
    """Conclusions whose notice is issued, that assign the matter to bodies, and for which no
    follow-up task exists: the tasks were never created (or failed)."""
    tasks = FollowUpTask.objects.filter(conclusion_id=OuterRef("pk"))
    rows = list(Conclusion.objects
                .filter(hearing__commune=context.commune, outcome=Outcome.ASSIGNED,
                        notice_issued_at__isnull=False)
                .filter(~Exists(tasks)).select_related("matter").order_by("recorded_at"))
    ward = context.commune.ward_code
    if len(rows) == 1:
        url = reverse("followup:task_create", args=[ward, rows[0].matter_id])
    else:
        url = reverse("followup:board", args=[ward])
    return [QueueItem(_("Kết luận chưa giao việc theo dõi"), len(rows), url,
                      tone="alert" if rows else "",
                      detail=", ".join(c.matter.tracking_code for c in rows[:LISTED]))]


def tasks_due(context: QueueContext) -> list[QueueItem]:
    tasks = selectors.visible_tasks(context.user, context.commune)
    ward = context.commune.ward_code
    board = reverse("followup:board", args=[ward])
    overdue, soon = selectors.count_by_status(tasks, "overdue", "due_soon")
    return [QueueItem(_("Việc theo dõi quá hạn"), overdue, f"{board}?status=overdue",
                      tone="alert" if overdue else ""),
            QueueItem(_("Việc theo dõi sắp đến hạn"), soon, f"{board}?status=due_soon",
                      tone="warn" if soon else "")]
