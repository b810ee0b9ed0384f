"""Kết thúc buổi tiếp: a confirmed hearing has taken place.

The chair ends it from the room (the end is now; the start is the room's first join), or the
office records it afterwards ("Ghi nhận buổi tiếp đã kết thúc"), giving the actual start and end
(prefilled from the room when it was used).  Either way only after the scheduled start, with an
end after the start and not in the future; the matters on the agenda become "heard" (state
machine), and every end hook runs (media: the room is ended and its recordings processed).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import access, audit, names
from tiepdan.core.access import Perm
from tiepdan.core.errors import Forbidden
from tiepdan.intake.models import MatterStatus
from tiepdan.intake.triage import state_machine as triage
from tiepdan.workdays.deadlines import VN_TZ

from . import history, hooks
from .errors import HearingStateError, field_error
from .models import ChangeKind, Hearing, HearingStatus
from .permissions import may_end


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=VN_TZ) if timezone.is_naive(moment) else moment


def check_period(hearing: Hearing, started_at: dt.datetime | None,
                 ended_at: dt.datetime | None, now: dt.datetime | None = None
                 ) -> tuple[dt.datetime, dt.datetime]:
    """The actual start and end, checked: both given, the end after the start, neither in the
    future, the start not before the day of the hearing."""
    now = now or timezone.now()
    if started_at is None:
        raise field_error("started_at", _("Nhập thời điểm bắt đầu thực tế."), "required")
    if ended_at is None:
        raise field_error("ended_at", _("Nhập thời điểm kết thúc thực tế."), "required")
    started_at, ended_at = _aware(started_at), _aware(ended_at)
    if ended_at > now:
        raise field_error("ended_at", _("Thời điểm kết thúc không được ở tương lai."), "future")
    if ended_at <= started_at:
        raise field_error("ended_at", _("Thời điểm kết thúc phải sau thời điểm bắt đầu."),
                          "before_start")
    earliest = hearing.starts_at - dt.timedelta(hours=12)
    if started_at < earliest:
        raise field_error("started_at", _("Thời điểm bắt đầu quá xa giờ bắt đầu dự kiến "
                                          "(%(when)s).") % {"when": _local(hearing.starts_at)},
                          "too_early")
    return started_at, ended_at


def suggested_period(hearing: Hearing) -> tuple[dt.datetime | None, dt.datetime | None]:
    """What the office form is prefilled with: the room's session when the room was used."""
    return hooks.room_period(hearing)


@transaction.atomic
def mark_held(hearing: Hearing, *, actor: AbstractBaseUser, started_at: dt.datetime | None = None,
              ended_at: dt.datetime | None = None, cause: str = "chair",
              actor_name: str = "") -> Hearing:
    """Record ``hearing`` as held.  Without times (the chair's button in the room) the end is
    now and the start the room's first join (or the scheduled start)."""
    hearing = Hearing.objects.select_for_update().select_related("commune").get(pk=hearing.pk)
    if not may_end(actor, hearing):
        raise Forbidden(_("Chỉ người chủ trì hoặc Văn phòng được kết thúc buổi tiếp."))
    if hearing.status != HearingStatus.CONFIRMED:
        raise HearingStateError(_("Chỉ kết thúc được buổi tiếp đã chốt lịch."))
    now = timezone.now()
    if now < hearing.starts_at:
        raise HearingStateError(
            _("Buổi tiếp chưa đến giờ bắt đầu (%(when)s): chỉ ghi nhận kết thúc sau giờ bắt "
              "đầu.") % {"when": _local(hearing.starts_at)}, code="not_started")
    if started_at is None and ended_at is None:
        room_start, _room_end = hooks.room_period(hearing)
        started_at, ended_at = min(room_start or hearing.starts_at, now), now
        if started_at >= ended_at:
            started_at = hearing.starts_at
    started_at, ended_at = check_period(hearing, started_at, ended_at, now)
    hearing.status, hearing.held_at, hearing.held_by = HearingStatus.HELD, ended_at, actor
    hearing.actual_started_at = started_at
    hearing.save(update_fields=["status", "held_at", "held_by", "actual_started_at"])
    reason = _("Đã tiếp tại buổi tiếp công dân trực tuyến %(when)s.") % {
        "when": timezone.localtime(hearing.starts_at).strftime("%H:%M %d/%m/%Y")}
    for item in hearing.agenda.select_related("matter"):
        if item.matter.status == MatterStatus.SCHEDULED:
            triage.transition(item.matter_id, MatterStatus.HEARD, actor=actor, reason=reason)
    period = f"{_local(started_at)}–{_local(ended_at)}"
    history.record(hearing, ChangeKind.HELD, actor=actor, reason=period)
    hooks.hearing_ended(hearing, cause, actor_name or names.full_name(actor))
    audit.record("hearings.hearing.ended", hearing, actor=actor, commune=hearing.commune,
                 data={"hearing": str(hearing), "period": period})
    return hearing


def record_held(hearing: Hearing, *, actor: AbstractBaseUser, started_at: dt.datetime | None,
                ended_at: dt.datetime | None) -> Hearing:
    """The office records the hearing as held, with its actual start and end (required)."""
    access.check(actor, Perm.PLAN_HEARING, hearing.commune,
                 _("Chỉ Văn phòng được ghi nhận buổi tiếp đã kết thúc."))
    if hearing.status == HearingStatus.CONFIRMED and timezone.now() >= hearing.starts_at:
        check_period(hearing, started_at, ended_at)
    return mark_held(hearing, actor=actor, started_at=started_at, ended_at=ended_at,
                     cause="held")
