"""The work queues minutes contributes to the staff dashboard (``core.queues``): held hearings
whose minutes are not final yet, and the hearings a leader chairs until they are concluded."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.queues import QueueContext, QueueItem
from tiepdan.hearings.models import Hearing, HearingMatter, HearingStatus

from .models import Conclusion, Minutes, MinutesStatus

LISTED = 5


def minutes_to_finalise(context: QueueContext) -> list[QueueItem]:
    """Held hearings whose minutes are not final yet (none drafted, or a draft)."""
    final = Minutes.objects.filter(hearing=OuterRef("pk"), status=MinutesStatus.FINAL)
    hearings = (Hearing.objects.filter(commune=context.commune, status=HearingStatus.HELD)
                .filter(~Exists(final)).order_by("-starts_at"))
    ward = context.commune.ward_code
    rows = list(hearings[:LISTED + 1])
    if len(rows) == 1:
        url = reverse("minutes:page", args=[ward, rows[0].pk])
    else:
        url = reverse("hearings:list", args=[ward])
    return [QueueItem(_("Biên bản chưa hoàn thành"), hearings.count(), url, detail=", ".join(
        timezone.localtime(h.starts_at).strftime("%d/%m/%Y ") + h.title for h in rows[:LISTED]))]


def chaired(context: QueueContext) -> list[QueueItem]:
    """The hearings the user chairs (the Chairman, or a Vice-Chairman charged with them): those
    still ahead, and those held where a matter still waits for the chair's conclusion.  Each
    links to the hearing's page, where the room and then the minutes and conclusions open."""
    issued = Conclusion.objects.filter(hearing=OuterRef("hearing_id"),
                                       matter=OuterRef("matter_id"),
                                       notice_issued_at__isnull=False)
    open_matters = HearingMatter.objects.filter(hearing=OuterRef("pk")).filter(~Exists(issued))
    mine = Hearing.objects.filter(commune=context.commune, chair=context.user)
    hearings = (mine.filter(status__in=[HearingStatus.DRAFT, HearingStatus.CONFIRMED],
                            ends_at__gte=timezone.now())
                | mine.filter(status=HearingStatus.HELD).filter(Exists(open_matters))
                ).order_by("starts_at")
    ward = context.commune.ward_code
    items = []
    for hearing in hearings[:LISTED]:
        when = timezone.localtime(hearing.starts_at).strftime("%H:%M %d/%m/%Y")
        held = hearing.status == HearingStatus.HELD
        waiting = HearingMatter.objects.filter(hearing=hearing).filter(
            ~Exists(issued)).count() if held else 0
        items.append(QueueItem(
            f"{when} · {hearing.title}", waiting,
            reverse("hearings:detail", args=[ward, hearing.pk]), tone="warn" if waiting else "",
            detail=(_("Đã tổ chức · %(n)s vụ việc chờ kết luận của người chủ trì")
                    % {"n": waiting}) if held else hearing.get_status_display()))
    return items
