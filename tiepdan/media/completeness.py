"""Are the recordings of every held hearing complete and untouched?  Checked every morning
(``tasks.check_recordings_daily``); problems are e-mailed to the commune office and the
technical operators every morning until they are fixed."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tiepdan.core.models import Role
from tiepdan.hearings.models import Hearing, HearingStatus
from tiepdan.notify.services import office_emails, queue_email

from . import custody
from .models import EventKind, HearingRoom, RecordingFile, RoomEvent

log = logging.getLogger(__name__)

#: Hearings held within this many days are checked; the job has had time to process them
#: once they ended at least ``PROCESSING_GRACE`` ago.
WINDOW_DAYS = 30
PROCESSING_GRACE = dt.timedelta(hours=1)


def problems_of(hearing: Hearing) -> list[str]:
    """What is wrong with the recordings of a held hearing (empty: complete and verified)."""
    room = HearingRoom.objects.filter(hearing=hearing).first()
    if room is None:
        return ["Buổi tiếp không có phòng trực tuyến: không có bản ghi."]
    if not room.manifest:
        return ["Bản ghi chưa được xử lý và ký xác thực."]
    found = [f"Kiểm tra chữ ký: {problem}" for problem in custody.verify(hearing.pk)]
    published = set(RoomEvent.objects.filter(room=room, kind=EventKind.PUBLISH)
                    .exclude(bridge_point=None).values_list("bridge_point__name", flat=True))
    recorded = set(RecordingFile.objects.filter(room=room).exclude(bridge_point=None)
                   .values_list("bridge_point__name", flat=True))
    found += [f"Điểm cầu {name} đã phát hình nhưng không có bản ghi."
              for name in sorted(published - recorded)]
    return found


def check(now: dt.datetime | None = None) -> dict[int, list[str]]:
    """Problems of every hearing held in the window, by hearing id (only those with some)."""
    now = now or timezone.now()
    hearings = Hearing.objects.filter(
        status=HearingStatus.HELD, held_at__gte=now - dt.timedelta(days=WINDOW_DAYS),
        held_at__lte=now - PROCESSING_GRACE).select_related("commune")
    result = {}
    for hearing in hearings:
        problems = problems_of(hearing)
        if problems:
            result[hearing.pk] = problems
    return result


def _recipients(hearing: Hearing) -> list[str]:
    operators = get_user_model().objects.filter(
        staff_roles__commune=hearing.commune, staff_roles__role=Role.TECHNICAL_OPERATOR,
        is_active=True).exclude(email="").values_list("email", flat=True)
    return sorted(set(office_emails(hearing.commune)) | set(operators))


def check_and_alert(now: dt.datetime | None = None) -> dict[int, list[str]]:
    found = check(now)
    for hearing in Hearing.objects.filter(pk__in=found).select_related("commune"):
        problems = found[hearing.pk]
        text = (f"Kiểm tra bản ghi hằng ngày: buổi tiếp “{hearing}” có vấn đề:\n- "
                + "\n- ".join(problems)
                + "\n\nĐề nghị cán bộ kỹ thuật kiểm tra, xử lý lại bản ghi "
                  "(tiepdan recordings process / verify).")
        with transaction.atomic():
            for email in _recipients(hearing):
                queue_email(commune=hearing.commune, to=email,
                            subject=f"Cảnh báo bản ghi buổi tiếp {hearing.starts_at:%d/%m/%Y}",
                            text=text, purpose="media.recording_check", obj=hearing)
        log.warning("hearing %s: recordings incomplete: %s", hearing.pk, problems)
    return found
