"""Work queues intake contributes to the staff dashboard (``core.queues``): new matters, and the
running deadlines that are overdue or due soon, per rule — each linking to the filtered inbox."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.queues import QueueContext, QueueItem
from tiepdan.workdays.marks import due_soon_limit
from tiepdan.workdays.models import DeadlineRule
from tiepdan.workdays.names import deadline_name
from tiepdan.workdays.services import current_calendar

from .inbox import DeadlineState
from .models import Matter, MatterDeadline, MatterStatus


def inbox_url(commune, **params: str) -> str:
    url = reverse("intake:inbox", args=[commune.ward_code])
    return f"{url}?{urlencode(params)}" if params else url


def new_matters(context: QueueContext) -> list[QueueItem]:
    count = Matter.objects.filter(commune=context.commune, status=MatterStatus.NEW).count()
    return [QueueItem(_("Hồ sơ mới chờ phân loại"), count,
                      inbox_url(context.commune, status=MatterStatus.NEW))]


def running_deadlines(context: QueueContext) -> list[QueueItem]:
    """Per rule: how many open deadlines are overdue and how many are due soon (one query on
    the partial index of the commune's open deadlines, ``deadline_open_commune_due``)."""
    today = timezone.localdate()
    rows = (MatterDeadline.objects
            .filter(open=True, due__lte=due_soon_limit(today, current_calendar()),
                    commune=context.commune)
            .values("rule_key")
            .annotate(overdue=Count("id", filter=Q(due__lt=today)),
                      soon=Count("id", filter=Q(due__gte=today)))
            .order_by("rule_key"))
    labels = dict(DeadlineRule.objects.values_list("key", "label_vi"))
    items = []
    for row in rows:
        label = deadline_name(labels.get(row["rule_key"], row["rule_key"]))
        if row["overdue"]:
            items.append(QueueItem(
                _("Quá hạn: %(rule)s") % {"rule": label}, row["overdue"],
                inbox_url(context.commune, deadline=DeadlineState.OVERDUE,
                          rule=row["rule_key"]), tone="alert"))
        if row["soon"]:
            items.append(QueueItem(
                _("Sắp đến hạn: %(rule)s") % {"rule": label}, row["soon"],
                inbox_url(context.commune, deadline=DeadlineState.DUE_SOON,
                          rule=row["rule_key"]), tone="warn"))
    return items
