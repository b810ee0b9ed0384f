"""Closing a matter with its result once its conclusion has been carried out: the matter goes
concluded → closed through the triage state machine and the citizen is told the outcome is
final."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiepdan.core import access, audit
from tiepdan.core.access import Perm
from tiepdan.core.errors import InvalidInput
from tiepdan.core.page_memo import once
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.intake.triage import state_machine as triage
from tiepdan.minutes.models import Conclusion, Outcome

from .models import ACTIVE_STATUSES, FollowUpTask, MatterClosure
from .notices import tell_citizen_final
from .selectors import tasks_of
from .services import FollowUpStateError, User


def conclusions_without_tasks(matter: Matter) -> list[str]:
    """Notices of the matter's issued conclusions that assigned bodies but have no task: such
    a matter is not carried out, whatever its other tasks say."""
    assigned = (Conclusion.objects.filter(matter=matter, outcome=Outcome.ASSIGNED,
                                          notice_issued_at__isnull=False)
                .select_related("notice"))
    with_tasks = set(FollowUpTask.objects.filter(matter=matter, conclusion_id__isnull=False)
                     .values_list("conclusion_id", flat=True))
    return [c.notice.symbol if c.notice else str(c.pk) for c in assigned
            if c.pk not in with_tasks]


def can_close(matter: Matter, tasks: list[FollowUpTask] | None = None) -> bool:
    """A concluded matter with no task left to do, whose every conclusion that assigned
    bodies has its tasks.  ``tasks``: the matter's tasks, if the caller has read them."""
    if matter.status != MatterStatus.CONCLUDED:
        return False
    if tasks is not None:
        active = any(task.status in ACTIVE_STATUSES for task in tasks)
    else:
        active = FollowUpTask.objects.filter(matter=matter, status__in=ACTIVE_STATUSES).exists()
    return not active and not conclusions_without_tasks(matter)


def closable(matter: Matter) -> bool:
    """``can_close`` for showing the way to close on a page (its tasks read once per page)."""
    return once(matter, "closable", lambda: can_close(matter, tasks_of(matter)))


def close_matter(matter: Matter, result_text: str, actor: User,
                 request: HttpRequest | None = None) -> MatterClosure:
    """Kết thúc vụ việc: record the final result, close the matter, tell the citizen."""
    access.check(actor, Perm.ASSIGN_FOLLOW_UP, matter.commune,
                 _("Bạn không có quyền kết thúc vụ việc ở xã này."))
    result = (result_text or "").strip()
    if not result:
        message = _("Cần ghi kết quả giải quyết cuối cùng của vụ việc.")
        raise InvalidInput(message, field_errors={
            "result": [{"code": "required", "message": message}]})
    with transaction.atomic():
        locked = Matter.objects.select_for_update(of=("self",)).get(pk=matter.pk)
        if locked.status != MatterStatus.CONCLUDED:
            raise FollowUpStateError(_(
                "Chỉ kết thúc được vụ việc đã có kết luận (trạng thái hiện tại: “%(status)s”).")
                % {"status": MatterStatus(locked.status).label}, code="matter_not_concluded")
        pending = FollowUpTask.objects.filter(matter=locked, status__in=ACTIVE_STATUSES).count()
        if pending:
            raise FollowUpStateError(ngettext(
                "Còn %(n)s việc theo dõi chưa hoàn thành; hoàn thành hoặc hủy trước khi kết "
                "thúc vụ việc.",
                "Còn %(n)s việc theo dõi chưa hoàn thành; hoàn thành hoặc hủy trước khi kết "
                "thúc vụ việc.", pending) % {"n": pending}, code="tasks_open")
        missing = conclusions_without_tasks(locked)
        if missing:
            raise FollowUpStateError(_(
                "Kết luận %(notices)s giao việc cho cơ quan, đơn vị nhưng chưa có việc theo dõi "
                "nào; giao việc theo kết luận trước khi kết thúc vụ việc.")
                % {"notices": ", ".join(missing)}, code="conclusion_tasks_missing")
        closed = triage.transition(
            locked.pk, MatterStatus.CLOSED, actor=actor, request=request,
            reason=_("Kết thúc vụ việc, kết quả: %(result)s") % {"result": result})
        closure = MatterClosure.objects.create(matter=closed, result=result, closed_by=actor,
                                               closed_at=timezone.now())
        audit.record("followup.matter.closed", closure, actor=actor, commune=closed.commune,
                     request=request, reason=result,
                     data={"tracking_code": closed.tracking_code})
        tell_citizen_final(closed, closure)
    return closure
