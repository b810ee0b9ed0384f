"""The work queue minutes contributes to the staff dashboard (``core.queues``): held hearings
whose minutes are not final yet."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.queues import QueueContext, QueueItem
from tiepdan.hearings.models import Hearing, HearingStatus

from .models import Minutes, MinutesStatus

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
