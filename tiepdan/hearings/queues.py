"""Work queues hearings contributes to the staff dashboard (``core.queues``): proposals awaiting
the Chairman, approved matters awaiting a hearing, hearings in preparation with the state of
their milestones, and today's hearings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.queues import QueueContext, QueueItem
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.workdays import marks
from tiepdan.workdays.services import current_calendar

from .models import Hearing, HearingStatus, MilestoneStatus, OnlineSelection, SelectionStatus

#: Hearings in preparation listed one by one on the dashboard (the rest: the hearings list).
LISTED = 5


def pending_proposals(context: QueueContext) -> list[QueueItem]:
    count = OnlineSelection.objects.filter(matter__commune=context.commune,
                                           status=SelectionStatus.PROPOSED).count()
    return [QueueItem(_("Đề xuất tiếp trực tuyến chờ Chủ tịch quyết định"), count,
                      reverse("hearings:proposals", args=[context.commune.ward_code]))]


def approved_to_schedule(context: QueueContext) -> list[QueueItem]:
    count = Matter.objects.filter(
        commune=context.commune, status=MatterStatus.ACCEPTED,
        online_selections__status=SelectionStatus.APPROVED).distinct().count()
    return [QueueItem(_("Vụ việc được duyệt tiếp trực tuyến, chờ xếp lịch"), count,
                      reverse("hearings:list", args=[context.commune.ward_code]) + "#hearing-form")]


def in_preparation(context: QueueContext) -> list[QueueItem]:
    """One line per hearing still ahead (draft or confirmed): its milestones done, overdue and
    due soon."""
    now = timezone.now()
    hearings = (Hearing.objects
                .filter(commune=context.commune, starts_at__gte=now,
                        status__in=[HearingStatus.DRAFT, HearingStatus.CONFIRMED])
                .annotate(
                    total=Count("milestones", filter=~Q(
                        milestones__status=MilestoneStatus.CANCELLED)),
                    done=Count("milestones", filter=Q(milestones__status=MilestoneStatus.DONE)),
                    overdue=Count("milestones", filter=Q(
                        milestones__status=MilestoneStatus.OPEN, milestones__due_at__lt=now)),
                    soon=Count("milestones", filter=Q(
                        milestones__status=MilestoneStatus.OPEN, milestones__due_at__gte=now,
                        milestones__due_at__lt=marks.due_soon_until(now, current_calendar()))))
                .order_by("starts_at"))
    ward = context.commune.ward_code
    items = []
    for hearing in hearings[:LISTED]:
        detail = _("%(status)s · mốc đã xong %(done)s/%(total)s") % {
            "status": hearing.get_status_display(), "done": hearing.done,
            "total": hearing.total}
        if hearing.overdue:
            detail += " · " + _("%(n)s mốc quá hạn") % {"n": hearing.overdue}
        if hearing.soon:
            detail += " · " + _("%(n)s mốc sắp đến hạn") % {"n": hearing.soon}
        when = timezone.localtime(hearing.starts_at).strftime("%H:%M %d/%m/%Y")
        items.append(QueueItem(
            f"{when} · {hearing.title}", hearing.overdue,
            reverse("hearings:detail", args=[ward, hearing.pk]) + "#milestones",
            tone="alert" if hearing.overdue else ("warn" if hearing.soon else ""),
            detail=detail))
    rest = hearings.count() - len(items) if len(items) == LISTED else 0
    if rest:
        items.append(QueueItem(_("Các buổi tiếp khác đang chuẩn bị"), rest,
                               reverse("hearings:list", args=[ward])))
    return items


def today(context: QueueContext) -> list[QueueItem]:
    day = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    hearings = list(Hearing.objects.filter(
        commune=context.commune, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
    ).exclude(status=HearingStatus.CANCELLED).order_by("starts_at"))
    ward = context.commune.ward_code
    if len(hearings) == 1:
        url = reverse("hearings:detail", args=[ward, hearings[0].pk])
    else:
        url = reverse("hearings:list", args=[ward])
    return [QueueItem(_("Buổi tiếp công dân hôm nay"), len(hearings), url,
                      detail=", ".join(timezone.localtime(h.starts_at).strftime("%H:%M")
                                       + " " + h.title for h in hearings))]
