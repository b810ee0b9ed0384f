"""When a hearing's room is open: from its final-check window (02 hours before the scheduled
start, Quy chế An Lão Đ6 k1 a: "kiểm tra lại đường truyền trước 02 giờ") until it is ended.
Before that, bridge points test their equipment in the hearing's test room (readiness), never
in the recorded room.  One rule for the pages and the WebSocket."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.hearings.models import Hearing, HearingStatus
from tiepdan.workdays.deadlines import VN_TZ

from . import rules
from .ending import overrun_minutes
from .join_links import JoinRefused
from .models import HearingRoom, RoomState


def opens_at(hearing: Hearing) -> dt.datetime:
    """The final-check milestone's due moment (the timeline's rule), else 2 hours before."""
    row = hearing.milestones.filter(key="final_check").only("due_at").first()
    return row.due_at if row is not None else hearing.starts_at - rules.FINAL_CHECK_LEAD


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%H:%M ngày %d/%m/%Y")


def refusal(hearing: Hearing, now: dt.datetime | None = None) -> JoinRefused | None:
    """Why nobody may enter the room now (None: it is open)."""
    now = now or timezone.now()
    if hearing.status == HearingStatus.CANCELLED:
        return JoinRefused("cancelled", _("Buổi tiếp công dân này đã bị hủy."))
    ended = HearingRoom.objects.filter(hearing=hearing, state=RoomState.ENDED).exists()
    if ended or hearing.status == HearingStatus.HELD:
        return JoinRefused("ended", _("Buổi tiếp công dân đã kết thúc."))
    if hearing.status != HearingStatus.CONFIRMED:
        return JoinRefused("not_confirmed", _(
            "Buổi tiếp công dân chưa được chốt lịch; phòng tiếp trực tuyến chưa mở."))
    start = opens_at(hearing)
    if now < start:
        return JoinRefused("not_open_yet", _(
            "Phòng tiếp trực tuyến mở từ %(opens)s (02 giờ trước giờ bắt đầu %(start)s). "
            "Trước thời điểm đó, vui lòng dùng trang kiểm tra thiết bị và đường truyền.") % {
            "opens": _local(start), "start": _local(hearing.starts_at)})
    if now > hearing.ends_at + dt.timedelta(minutes=overrun_minutes()):
        return JoinRefused("ended", _("Buổi tiếp công dân đã kết thúc."))
    return None
