"""Moving (dời lịch) and cancelling (hủy) a hearing.

Both need a reason.  A move goes through the late-date rule (lateness.check).  For a confirmed
hearing the Giấy mời, the schedule notice (TB) and the report to the city (BC) already issued
are marked superseded (kept, never deleted); a move renders new ones for the new time before
anything changes and numbers them in its transaction (a failed render changes nothing and takes
no number), the notice milestones they
fulfilled reopen and are fulfilled again by the new documents, the technical ones reopen for a
new test; every participant is told through the channels of the invitation, after commit.
Every step is in the hearing's history (HearingChange) and the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from tiepdan.core import access, audit
from tiepdan.core.access import Perm
from tiepdan.documents.services import discarding_on_rollback
from tiepdan.workdays.deadlines import VN_TZ

from . import history, hooks, lateness, milestones, paperwork, planning
from .errors import HearingStateError, field_error
from .invitations import announce_change
from .models import ChangeKind, Hearing, HearingStatus, MilestoneStatus


@dataclass
class MoveResult:
    hearing: Hearing
    replaced: list[str]  # numbers of the documents superseded
    issued: list[str]  # numbers of the new documents
    told: int  # participants told
    reopened: list[str]  # milestone keys reopened


@dataclass
class _Plan:
    starts_at: dt.datetime
    ends_at: dt.datetime
    late_periods: list[dict[str, Any]]
    late_reason: str
    reason: str


def _plan_move(hearing: Hearing, starts_at: dt.datetime, duration_minutes: int,
               actor: AbstractBaseUser, reason: str, late_reason: str) -> _Plan:
    access.check(actor, Perm.PLAN_HEARING, hearing.commune,
                 _("Bạn không có quyền dời lịch buổi tiếp này."))
    planning._require_active(hearing)
    if not (reason or "").strip():
        raise field_error("reason", _("Nêu lý do dời lịch."), "required")
    starts_at = planning._check_time(hearing.commune, starts_at, duration_minutes,
                                     hearing.chair, exclude_pk=hearing.pk)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    if (starts_at, ends_at) == (hearing.starts_at, hearing.ends_at):
        raise field_error("starts_at", _("Thời gian mới trùng thời gian hiện tại."), "unchanged")
    periods, late_reason = lateness.check(hearing.commune, actor, starts_at,
                                          hearing.city_leaders_attend, late_reason)
    return _Plan(starts_at, ends_at, periods, late_reason, reason.strip())


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def reschedule(hearing: Hearing, *, starts_at: dt.datetime, duration_minutes: int,
               actor: AbstractBaseUser, reason: str, late_reason: str = "") -> MoveResult:
    """Dời lịch.  Must run outside a transaction: the new documents of a confirmed hearing
    are rendered first and numbered in the move's transaction, so a move that fails takes no
    number."""
    hearing = Hearing.objects.select_related("commune", "chair").get(pk=hearing.pk)
    plan = _plan_move(hearing, starts_at, duration_minutes, actor, reason, late_reason)
    prepared: dict[str, Any] = {}
    if hearing.status == HearingStatus.CONFIRMED:
        prepared = paperwork.prepare_for_time(hearing, plan.starts_at, plan.ends_at)
    with discarding_on_rollback() as stored, transaction.atomic():
        return _move(hearing.pk, hearing.version, starts_at, duration_minutes, actor, reason,
                     late_reason, prepared, stored)


def _move(pk: int, version: int, starts_at: dt.datetime, duration_minutes: int,
          actor: AbstractBaseUser, reason: str, late_reason: str,
          prepared: dict[str, Any], stored: list) -> MoveResult:
    hearing = Hearing.objects.select_for_update().select_related("commune", "chair").get(pk=pk)
    if hearing.version != version:
        raise HearingStateError(_("Buổi tiếp vừa được thay đổi; vui lòng thử lại."),
                                code="changed")
    plan = _plan_move(hearing, starts_at, duration_minutes, actor, reason, late_reason)
    if bool(prepared) != (hearing.status == HearingStatus.CONFIRMED):
        raise HearingStateError(_("Buổi tiếp vừa được chốt lịch; vui lòng thử lại."),
                                code="changed")
    issued = paperwork.store_all(prepared, actor=actor, issued=stored)
    old = (hearing.starts_at, hearing.ends_at)
    why = _("Dời lịch từ %(old)s sang %(new)s: %(reason)s") % {
        "old": _local(old[0]), "new": _local(plan.starts_at), "reason": plan.reason}
    replaced = paperwork.supersede_current(hearing, actor=actor, reason=why,
                                           replacements=issued)
    hearing.starts_at, hearing.ends_at = plan.starts_at, plan.ends_at
    hearing.version += 1
    hearing.save(update_fields=["starts_at", "ends_at", "version"])
    # Whatever was done for the old time (notices, invitations, tests) must be done again.
    reopened = sorted(hearing.milestones.filter(status=MilestoneStatus.DONE)
                      .values_list("key", flat=True))
    milestones.sync(hearing)
    hearing.milestones.filter(status=MilestoneStatus.DONE).update(
        status=MilestoneStatus.OPEN, done_at=None, done_by=None, evidence="", reminded_for=None)
    told = 0
    if issued:
        paperwork.link(hearing, issued)
        planning.fulfil_notice_milestones(hearing, issued, actor=actor)
        told = announce_change(hearing, actor=actor, reason=plan.reason,
                               previous_start=old[0])
    history.record(hearing, ChangeKind.RESCHEDULED, actor=actor,
                   reason=plan.reason + (f"\n{plan.late_reason}" if plan.late_reason else ""),
                   previous=old, late_periods=plan.late_periods)
    audit.record("hearings.hearing.rescheduled", hearing, actor=actor, commune=hearing.commune,
                 data={"old": _local(old[0]), "new": str(hearing)}, reason=plan.reason)
    return MoveResult(hearing, replaced, [d.symbol for d in issued.values()], told, reopened)


@dataclass
class CancelResult:
    hearing: Hearing
    withdrawn: list[str]
    told: int


@transaction.atomic
def cancel(hearing: Hearing, *, actor: AbstractBaseUser, reason: str) -> CancelResult:
    hearing = Hearing.objects.select_for_update().select_related("commune").get(pk=hearing.pk)
    access.check(actor, Perm.PLAN_HEARING, hearing.commune,
                 _("Bạn không có quyền hủy buổi tiếp này."))
    planning._require_active(hearing)
    if not (reason or "").strip():
        raise field_error("reason", _("Nêu lý do hủy buổi tiếp."), "required")
    reason = reason.strip()
    withdrawn = paperwork.supersede_current(
        hearing, actor=actor, reason=_("Hủy buổi tiếp: %(reason)s") % {"reason": reason})
    was_confirmed = hearing.status == HearingStatus.CONFIRMED
    hearing.status, hearing.cancelled_reason = HearingStatus.CANCELLED, reason
    hearing.version += 1  # no reminder or document of the old version goes out any more
    hearing.save(update_fields=["status", "cancelled_reason", "version"])
    hearing.milestones.filter(status=MilestoneStatus.OPEN).update(
        status=MilestoneStatus.CANCELLED)
    planning._unschedule_matters(hearing, actor, reason)
    told = 0
    if was_confirmed:
        told = announce_change(hearing, actor=actor, reason=reason,
                               previous_start=hearing.starts_at, cancelled=True)
    history.record(hearing, ChangeKind.CANCELLED, actor=actor, reason=reason)
    hooks.hearing_ended(hearing, "cancelled", "")
    audit.record("hearings.hearing.cancelled", hearing, actor=actor, commune=hearing.commune,
                 data={"hearing": str(hearing)}, reason=reason)
    return CancelResult(hearing, withdrawn, told)
