"""A hearing's preparation milestones, computed by the deadline engine and kept in step with the
hearing's start and the working-day calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiepdan.core import audit
from tiepdan.core.errors import Forbidden
from tiepdan.core.models import Role
from tiepdan.workdays import marks
from tiepdan.workdays.calendar import WorkCalendar
from tiepdan.workdays.deadlines import VN_TZ, Deadline
from tiepdan.workdays.services import current_calendar, get_rules
from tiepdan.workdays.timeline import hearing_timeline, milestone_keys

from .errors import HearingStateError, field_error
from .models import Hearing, HearingStatus, Milestone, MilestoneStatus
from .permissions import TECHNICAL_MILESTONES, may_complete

LABELS = {
    "notify_parties": _("Thông báo công dân, cơ quan tham gia; thiết lập các điểm cầu"),
    "report_to_city": _("Báo cáo UBND thành phố (có lãnh đạo thành phố dự)"),
    "invitations_issued": _("Phát hành Giấy mời"),
    "connection_test": _("Kiểm tra, kết nối thử thành công với mọi điểm cầu thành phần"),
    "final_check": _("Kiểm tra thiết bị, đường truyền trước 02 giờ"),
    "all_connected": _("Kết nối xong mọi điểm cầu, nghe rõ, nhìn rõ"),
}
OWNERS = {
    "notify_parties": Role.OFFICE_OFFICER,
    "report_to_city": Role.OFFICE_OFFICER,
    "invitations_issued": Role.OFFICE_OFFICER,
    "connection_test": Role.TECHNICAL_OPERATOR,
    "final_check": Role.TECHNICAL_OPERATOR,
    "all_connected": Role.TECHNICAL_OPERATOR,
}
#: Milestones about the connection: done for one date, they must be done again after a move.
TECHNICAL = TECHNICAL_MILESTONES
#: A day-based milestone is due by the end of the working day.
END_OF_WORKING_DAY = dt.time(17, 0)


def compute(hearing: Hearing, calendar: WorkCalendar | None = None) -> dict[str, Deadline]:
    return deadlines_for(hearing.starts_at, hearing.city_leaders_attend, calendar)


def deadlines_for(starts_at: dt.datetime, city_leaders: bool,
                  calendar: WorkCalendar | None = None) -> dict[str, Deadline]:
    """The legal timeline of a hearing starting at ``starts_at`` (also for a time only
    proposed, before anything is saved)."""
    keys = milestone_keys(city_leaders)
    return hearing_timeline(starts_at, city_leaders, calendar or current_calendar(),
                            rules=get_rules(keys))


def due_moment(deadline: Deadline) -> tuple[dt.date, dt.datetime, bool]:
    """(due date, due moment, whether the moment has a time of day) of a deadline."""
    return _due(deadline)


def _due(deadline: Deadline) -> tuple[dt.date, dt.datetime, bool]:
    if isinstance(deadline.due, dt.datetime):
        return deadline.due.astimezone(VN_TZ).date(), deadline.due, True
    return deadline.due, dt.datetime.combine(deadline.due, END_OF_WORKING_DAY, VN_TZ), False


def sync(hearing: Hearing, calendar: WorkCalendar | None = None) -> int:
    """Create or update the milestone rows of ``hearing``; returns how many changed.

    A changed due date clears the reminder mark, so a reminder is only ever sent for the
    current date; milestones that no longer apply are cancelled.
    """
    deadlines = compute(hearing, calendar)
    changed = 0
    with transaction.atomic():
        existing = {m.key: m for m in Milestone.objects.select_for_update().filter(
            hearing=hearing)}
        for key, deadline in deadlines.items():
            due_date, due_at, has_time = _due(deadline)
            row = existing.pop(key, None)
            if row is None:
                Milestone.objects.create(
                    hearing=hearing, key=key, owner_role=OWNERS[key], due_date=due_date,
                    due_at=due_at, has_time=has_time, explanation=deadline.explanation,
                    hearing_version=hearing.version)
                changed += 1
                continue
            if (row.due_at, row.explanation, row.hearing_version) != (
                    due_at, deadline.explanation, hearing.version):
                moved = row.due_at != due_at
                row.due_date, row.due_at, row.has_time = due_date, due_at, has_time
                row.explanation, row.hearing_version = deadline.explanation, hearing.version
                row.reminded_for = None
                if row.status == MilestoneStatus.CANCELLED or (
                        key in TECHNICAL and row.status == MilestoneStatus.DONE
                        and moved):
                    row.status, row.done_at, row.done_by, row.evidence = (
                        MilestoneStatus.OPEN, None, None, "")
                row.save()
                changed += 1
        for row in existing.values():  # e.g. city leaders no longer attend
            if row.status != MilestoneStatus.CANCELLED:
                row.status = MilestoneStatus.CANCELLED
                row.save(update_fields=["status"])
                changed += 1
    return changed


def recompute_open_milestones(calendar: WorkCalendar, days: Iterable[dt.date]) -> int:
    """Calendar recompute hook: every hearing still ahead gets its milestones recomputed."""
    hearings = Hearing.objects.filter(
        status__in=[HearingStatus.DRAFT, HearingStatus.CONFIRMED], starts_at__gte=timezone.now())
    return sum(sync(h, calendar) for h in hearings)


def mark(milestone: Milestone, now: dt.datetime | None = None) -> str:
    """"overdue", "due_soon" or "" for an open milestone."""
    if milestone.status != MilestoneStatus.OPEN:
        return ""
    found = marks.mark_moment(milestone.due_at, now or timezone.now(), current_calendar())
    return "" if found == marks.Mark.RUNNING else str(found)


def label(key: str) -> str:
    return str(LABELS.get(key, key))


def complete(milestone: Milestone, *, actor, evidence: str) -> Milestone:
    """Mark a milestone done with its evidence (what was done, document number, test result)."""
    evidence = (evidence or "").strip()
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().select_related(
            "hearing__commune").get(pk=milestone.pk)
        hearing = milestone.hearing
        if not may_complete(actor, milestone):
            raise Forbidden(gettext("Bạn không có quyền xác nhận việc này."))
        if hearing.status not in (HearingStatus.DRAFT, HearingStatus.CONFIRMED):
            raise HearingStateError(gettext("Buổi tiếp không còn trong giai đoạn chuẩn bị."))
        if milestone.status != MilestoneStatus.OPEN:
            raise HearingStateError(gettext("Việc này đã được xác nhận hoặc không còn áp dụng."),
                                    code="not_open")
        if not evidence:
            raise field_error("evidence", gettext(
                "Ghi minh chứng: việc đã làm, số văn bản, kết quả kiểm tra."), "required")
        milestone.status, milestone.done_at, milestone.done_by = (
            MilestoneStatus.DONE, timezone.now(), actor)
        milestone.evidence = evidence
        milestone.save(update_fields=["status", "done_at", "done_by", "evidence"])
        audit.record("hearings.milestone.completed", hearing, actor=actor, commune=hearing.commune,
                     data={"milestone": milestone.key, "hearing": str(hearing),
                           "evidence": evidence})
    return milestone
