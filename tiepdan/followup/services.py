"""Follow-up tasks of a conclusion: assign them to a body with a due date from the deadline
engine, report progress, complete or cancel them, move their due date.

Every write checks the actor's permission in the commune, runs in one transaction, is audited,
and rejects bad input with Vietnamese field errors (``InvalidInput``) before saving anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import access, audit
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.errors import DomainError, Forbidden, InvalidInput
from tiepdan.core.models import Commune
from tiepdan.intake.attachments import CheckedFile, check_count
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.workdays import marks
from tiepdan.workdays.calendar import WorkCalendar, format_date, weekday_name
from tiepdan.workdays.deadlines import Rule, Unit, compute
from tiepdan.workdays.services import current_calendar

from .models import ACTIVE_STATUSES, Body, FollowUpTask, TaskStatus, TaskUpdate, UpdateAttachment
from .notices import tell_office_all_done

User = AbstractBaseUser | AnonymousUser
FieldErrors = dict[str, list[dict[str, str]]]

S = MatterStatus
#: A matter whose conclusion may be carried out by tasks: accepted, up to its conclusion.
ASSIGNABLE_STATUSES = frozenset({S.ACCEPTED, S.SCHEDULED, S.HEARD, S.CONCLUDED})
MAX_WORKING_DAYS = 250  # about a year
TITLE_MAX = 300


class FollowUpStateError(DomainError):
    """The task or matter is not in a state that allows this action."""

    status = 409
    code = "follow_up_state"


# Permissions ----------------------------------------------------------------------------------


def acts_for(user: User, body: Body) -> bool:
    """A department representative who is a member of ``body``."""
    return (has_perm(user, Perm.FOLLOW_UP, body.commune)
            and body.members.filter(pk=user.pk).exists())


def can_update(user: User, task: FollowUpTask) -> bool:
    """Progress and completion: the owner body's members or the office (who assigns, cancels
    and reschedules tasks of every body, and closes matters: ``Perm.ASSIGN_FOLLOW_UP``)."""
    return has_perm(user, Perm.ASSIGN_FOLLOW_UP, task.body.commune) or acts_for(user, task.body)


# Due dates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    date: dt.date
    working_days: int | None
    counted_from: dt.date | None
    explanation: str


def today() -> dt.date:
    return timezone.localdate()


def _field(name: str, message: str, code: str = "invalid") -> FieldErrors:
    return {name: [{"code": code, "message": str(message)}]}


def _raise_if(errors: FieldErrors) -> None:
    if errors:
        first = next(iter(errors.values()))[0]["message"]
        raise InvalidInput(first, field_errors=errors)


def _parse_days(raw: Any) -> tuple[int | None, FieldErrors]:
    if raw is None or raw == "":
        return None, {}
    try:
        days = int(raw)
    except (TypeError, ValueError):
        return None, _field("due_working_days", _("Số ngày làm việc phải là số nguyên."))
    if isinstance(raw, bool) or not 1 <= days <= MAX_WORKING_DAYS:
        return None, _field("due_working_days", _(
            "Số ngày làm việc phải từ 1 đến %(max)s.") % {"max": MAX_WORKING_DAYS})
    return days, {}


def _parse_date(raw: Any) -> tuple[dt.date | None, FieldErrors]:
    if raw is None or raw == "":
        return None, {}
    if isinstance(raw, dt.datetime):
        return timezone.localtime(raw).date() if timezone.is_aware(raw) else raw.date(), {}
    if isinstance(raw, dt.date):
        return raw, {}
    try:
        return dt.date.fromisoformat(str(raw)), {}
    except ValueError:
        return None, _field("due_date", _("Ngày không hợp lệ (định dạng năm-tháng-ngày)."))


def compute_due(
    *, due_date: Any = None, due_working_days: Any = None, on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> tuple[Due | None, FieldErrors]:
    """The due date from exactly one of: N working days counted from ``on`` (today), or a
    date given by the person who assigns the task (a working day, not in the past)."""
    on = on or today()
    days, errors = _parse_days(due_working_days)
    date, date_errors = _parse_date(due_date)
    errors |= date_errors
    if errors:
        return None, errors
    if days is None and date is None:
        return None, _field("due_date", _(
            "Cần ấn định hạn xử lý: số ngày làm việc hoặc một ngày cụ thể."), "required")
    if days is not None and date is not None:
        return None, _field("due_date", _(
            "Chỉ chọn một cách ấn định hạn: số ngày làm việc hoặc một ngày cụ thể."))
    calendar = calendar or current_calendar()
    if days is not None:
        deadline = compute(Rule(days, Unit.WORKING_DAYS), on, calendar)
        return Due(deadline.due, days, on, deadline.explanation), {}
    if date < on:
        return None, _field("due_date", _(
            "Hạn xử lý %(date)s đã qua; chọn hôm nay hoặc một ngày sau.") % {
            "date": format_date(date)}, "past_date")
    if not calendar.is_working_day(date):
        reason = calendar.holiday_name(date) or _("nghỉ cuối tuần")
        return None, _field("due_date", _(
            "Ngày %(date)s là ngày nghỉ (%(reason)s); chọn một ngày làm việc.") % {
            "date": format_date(date), "reason": reason}, "day_off")
    text = _("Hạn do người giao việc ấn định: %(date)s (%(weekday)s)") % {
        "date": format_date(date), "weekday": weekday_name(date)}
    return Due(date, None, None, text), {}


def mark(task: FollowUpTask, on: dt.date | None = None,
         calendar: WorkCalendar | None = None) -> str:
    """"overdue", "due_soon" or "" for a task still to be done."""
    if task.status not in ACTIVE_STATUSES:
        return ""
    on = on or today()
    found = marks.mark_day(task.due_date, on, calendar or current_calendar())
    return "" if found == marks.Mark.RUNNING else str(found)


# Creating tasks -------------------------------------------------------------------------------


def _resolve_body(commune: Commune, value: Any) -> tuple[Body | None, FieldErrors]:
    """A body of ``commune`` given as an instance, an id or its name."""
    missing = _field("body", _("Cần chọn cơ quan, đơn vị chịu trách nhiệm thực hiện."),
                     "required")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, missing
    bodies = Body.objects.filter(commune=commune, is_active=True)
    if isinstance(value, Body):
        body = bodies.filter(pk=value.pk).first()
    elif isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        body = bodies.filter(pk=int(value)).first()
    else:
        body = bodies.filter(name__iexact=str(value).strip()).first()
    if body is None:
        return None, _field("body", _(
            "Không có cơ quan, đơn vị này trong danh sách của xã."), "unknown_body")
    return body, {}


@dataclass(frozen=True)
class _Item:
    title: str
    body: Body
    due: Due


def _clean_item(commune: Commune, item: Mapping[str, Any], on: dt.date,
                calendar: WorkCalendar) -> tuple[_Item | None, FieldErrors]:
    errors: FieldErrors = {}
    title = str(item.get("title") or "").strip()
    if not title:
        errors |= _field("title", _("Cần ghi nội dung công việc."), "required")
    elif len(title) > TITLE_MAX:
        errors |= _field("title", _("Nội dung công việc quá dài (tối đa %(n)s ký tự).") % {
            "n": TITLE_MAX})
    body, body_errors = _resolve_body(commune, item.get("body"))
    due, due_errors = compute_due(due_date=item.get("due_date"),
                                  due_working_days=item.get("due_working_days"),
                                  on=on, calendar=calendar)
    errors |= body_errors | due_errors
    if errors:
        return None, errors
    return _Item(title, body, due), {}


def _check_matter(matter: Matter) -> None:
    if matter.status not in ASSIGNABLE_STATUSES:
        raise FollowUpStateError(_(
            "Không giao việc theo dõi cho hồ sơ ở trạng thái “%(status)s”.") % {
            "status": MatterStatus(matter.status).label}, code="matter_not_assignable")


def create_tasks(
    matter: Matter, items: Sequence[Mapping[str, Any]], *, actor: User, source: str = "",
    conclusion_id: int | None = None, request: HttpRequest | None = None,
    field_prefix: bool = True, for_conclusion: bool = False,
) -> list[FollowUpTask]:
    """Create every task of ``items`` or none.

    Each item has ``title``, ``body`` (a :class:`Body`, its id or its name) and one of
    ``due_working_days`` / ``due_date``.  Field errors are keyed ``items.<i>.<field>``
    (``field_prefix=False`` for a single task: ``<field>``).  ``for_conclusion``: the tasks
    a conclusion being issued gives, which whoever issues it may create.
    """
    commune = matter.commune
    access.check(actor, access.ASSIGN_CONCLUSION_TASKS if for_conclusion
                 else Perm.ASSIGN_FOLLOW_UP, commune,
                 _("Bạn không có quyền giao việc theo dõi ở xã này."))
    _check_matter(matter)
    if not items:
        raise InvalidInput(_("Cần ít nhất một việc."), field_errors=_field(
            "items", _("Cần ít nhất một việc."), "required"))
    on, calendar = today(), current_calendar()
    cleaned: list[_Item] = []
    errors: FieldErrors = {}
    for index, item in enumerate(items):
        row, row_errors = _clean_item(commune, item, on, calendar)
        if field_prefix:
            row_errors = {f"items.{index}.{k}": v for k, v in row_errors.items()}
        errors |= row_errors
        if row is not None:
            cleaned.append(row)
    _raise_if(errors)
    source = (source or "").strip()[:255]
    with transaction.atomic():
        # Lock the matter so that it cannot be closed while tasks are being added.
        locked = Matter.objects.select_for_update(of=("self",)).get(pk=matter.pk)
        _check_matter(locked)
        tasks = []
        for row in cleaned:
            task = FollowUpTask.objects.create(
                matter=locked, conclusion_id=conclusion_id, source=source, title=row.title,
                body=row.body, due_date=row.due.date, due_working_days=row.due.working_days,
                due_from=row.due.counted_from, due_explanation=row.due.explanation,
                created_by=_user_or_none(actor),
            )
            audit.record("followup.task.assigned", task, actor=actor, commune=commune,
                         request=request,
                         data={"tracking_code": locked.tracking_code, "body": row.body.name,
                               "due": f"{row.due.date:%d/%m/%Y}", "title": row.title})
            tasks.append(task)
    return tasks


def create_task(
    matter: Matter, *, title: str, body: Any, due_date: Any = None,
    due_working_days: Any = None, actor: User, source: str = "",
    conclusion_id: int | None = None, request: HttpRequest | None = None,
) -> FollowUpTask:
    """One task (errors keyed by plain field names: ``title``, ``body``, ``due_date`` …)."""
    [task] = create_tasks(
        matter, [{"title": title, "body": body, "due_date": due_date,
                  "due_working_days": due_working_days}],
        actor=actor, source=source, conclusion_id=conclusion_id, request=request,
        field_prefix=False)
    return task


def create_tasks_from_conclusion(
    matter: Matter, items: Iterable[Mapping[str, Any]], *, actor: User, source: str,
    conclusion_id: int | None = None,
) -> list[FollowUpTask]:
    """The tasks of one conclusion (hook of the minutes app, inside the transaction that
    issues its notice).

    ``items``: ``[{"title", "assignee_body_id" or "assignee_name", "due_working_days" or
    "due_date"}]``.  All or nothing; errors keyed ``items.<i>.title|body|due_date|
    due_working_days``.
    """
    normalised = [{
        "title": item.get("title"),
        "body": item.get("assignee_body_id") or item.get("assignee_name") or item.get("body"),
        "due_date": item.get("due_date"),
        "due_working_days": item.get("due_working_days"),
    } for item in items]
    return create_tasks(matter, normalised, actor=actor, source=source,
                        conclusion_id=conclusion_id, for_conclusion=True)


# Progress, completion, cancellation -----------------------------------------------------------


def _locked(task: FollowUpTask) -> FollowUpTask:
    return (FollowUpTask.objects.select_for_update(of=("self",))
            .select_related("body__commune", "matter").get(pk=task.pk))


def _require_active(task: FollowUpTask) -> None:
    if task.status not in ACTIVE_STATUSES:
        raise FollowUpStateError(_("Việc này đã “%(status)s”, không thể thay đổi.") % {
            "status": TaskStatus(task.status).label}, code="task_closed")


def _require_update(actor: User, task: FollowUpTask) -> None:
    if not can_update(actor, task):
        raise Forbidden(_("Chỉ cơ quan, đơn vị được giao việc hoặc Văn phòng mới cập nhật "
                          "được việc này."))


def _parse_progress(raw: Any) -> tuple[int | None, FieldErrors]:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None, _field("progress", _("Tiến độ phải là số từ 0 đến 100."), "required")
    if isinstance(raw, bool) or not 0 <= value <= 100:
        return None, _field("progress", _("Tiến độ phải là số từ 0 đến 100."))
    return value, {}


def add_update(
    task: FollowUpTask, *, text: str, progress: Any, files: Sequence[CheckedFile] = (),
    actor: User, request: HttpRequest | None = None,
) -> TaskUpdate:
    """Báo cáo tiến độ: a text, the progress in percent and checked files (see
    ``intake.attachments.check_file``)."""
    _require_update(actor, task)
    _require_active(task)
    text = (text or "").strip()
    errors: FieldErrors = {}
    if not text:
        errors |= _field("text", _("Cần ghi nội dung cập nhật: việc đã làm, kết quả."),
                         "required")
    value, progress_errors = _parse_progress(progress)
    errors |= progress_errors
    try:
        check_count(len(files))
    except ValidationError as exc:
        errors |= _field("files", exc.messages[0], exc.code or "invalid")
    _raise_if(errors)
    stored: list[UpdateAttachment] = []
    try:
        with transaction.atomic():
            task = _locked(task)
            _require_active(task)
            update = TaskUpdate.objects.create(task=task, author=actor, text=text,
                                               progress=value)
            for checked in files:
                attachment = UpdateAttachment(
                    update=update, original_name=checked.name,
                    content_type=checked.content_type, extension=checked.extension,
                    size=checked.size, pages=checked.pages, sha256=checked.sha256)
                attachment.file.save(checked.name, ContentFile(checked.data), save=False)
                stored.append(attachment)
                attachment.save()
            task.progress = value
            fields = ["progress"]
            if task.status == TaskStatus.OPEN:
                task.status = TaskStatus.IN_PROGRESS
                fields.append("status")
            task.save(update_fields=fields)
            audit.record("followup.task.progress_updated", task, actor=actor,
                         commune=task.body.commune, request=request,
                         data={"percent": value, "tracking_code": task.matter.tracking_code,
                               "files": len(files)})
    except Exception:
        for attachment in stored:  # nothing half-saved: the files go with the rollback
            attachment.file.delete(save=False)
        raise
    return update


def complete(task: FollowUpTask, *, result: str, actor: User,
             request: HttpRequest | None = None) -> FollowUpTask:
    """Hoàn thành: the body (or the office) reports the result."""
    _require_update(actor, task)
    result = (result or "").strip()
    with transaction.atomic():
        task = _locked(task)
        _require_active(task)
        if not result:
            _raise_if(_field("result", _("Cần ghi kết quả thực hiện."), "required"))
        task.status, task.result, task.progress = TaskStatus.DONE, result, 100
        task.done_at = timezone.now()
        task.save(update_fields=["status", "result", "progress", "done_at"])
        audit.record("followup.task.completed", task, actor=actor, commune=task.body.commune,
                     request=request, reason=result,
                     data={"tracking_code": task.matter.tracking_code, "title": task.title})
        tell_office_all_done(task.matter)
    return task


def cancel(task: FollowUpTask, *, reason: str, actor: User,
           request: HttpRequest | None = None) -> FollowUpTask:
    """Hủy việc (the office only), with a reason."""
    access.check(actor, Perm.ASSIGN_FOLLOW_UP, task.body.commune,
                 _("Chỉ Văn phòng mới hủy được việc theo dõi."))
    reason = (reason or "").strip()
    with transaction.atomic():
        task = _locked(task)
        _require_active(task)
        if not reason:
            _raise_if(_field("reason", _("Cần ghi rõ lý do."), "required"))
        task.status, task.cancel_reason = TaskStatus.CANCELLED, reason
        task.save(update_fields=["status", "cancel_reason"])
        audit.record("followup.task.cancelled", task, actor=actor, commune=task.body.commune,
                     request=request, reason=reason,
                     data={"tracking_code": task.matter.tracking_code, "title": task.title})
        tell_office_all_done(task.matter)
    return task


def change_due(
    task: FollowUpTask, *, due_date: Any = None, due_working_days: Any = None, reason: str,
    actor: User, request: HttpRequest | None = None,
) -> FollowUpTask:
    """Gia hạn / đổi hạn (the office): a new due date re-arms the reminder, and a date still
    ahead re-arms the escalation."""
    access.check(actor, Perm.ASSIGN_FOLLOW_UP, task.body.commune,
                 _("Chỉ Văn phòng mới đổi được hạn xử lý."))
    due, errors = compute_due(due_date=due_date, due_working_days=due_working_days)
    if not (reason or "").strip():
        errors |= _field("reason", _("Cần ghi rõ lý do."), "required")
    _raise_if(errors)
    with transaction.atomic():
        task = _locked(task)
        _require_active(task)
        old = task.due_date
        _apply_due(task, due)
        if due.date >= today():
            task.escalated_at = None
        task.save(update_fields=["due_date", "due_working_days", "due_from", "due_explanation",
                                 "reminded_for", "escalated_at"])
        audit.record("followup.task.rescheduled", task, actor=actor, commune=task.body.commune,
                     request=request, reason=reason.strip(),
                     data={"tracking_code": task.matter.tracking_code,
                           "old": f"{old:%d/%m/%Y}", "new": f"{due.date:%d/%m/%Y}"})
    return task


def _apply_due(task: FollowUpTask, due: Due) -> None:
    if due.date != task.due_date:
        task.reminded_for = None
    task.due_date, task.due_working_days = due.date, due.working_days
    task.due_from, task.due_explanation = due.counted_from, due.explanation


def recompute_open_tasks(calendar: WorkCalendar, days: Iterable[dt.date]) -> int:
    """Calendar recompute hook: tasks counted in working days move with the calendar."""
    changed = 0
    tasks = FollowUpTask.objects.filter(status__in=ACTIVE_STATUSES,
                                        due_working_days__isnull=False,
                                        due_from__isnull=False)
    for task in tasks:
        deadline = compute(Rule(task.due_working_days, Unit.WORKING_DAYS), task.due_from,
                           calendar)
        if (deadline.due, deadline.explanation) == (task.due_date, task.due_explanation):
            continue
        with transaction.atomic():
            _apply_due(task, Due(deadline.due, task.due_working_days, task.due_from,
                                 deadline.explanation))
            if deadline.due >= today():
                task.escalated_at = None
            task.save(update_fields=["due_date", "due_explanation", "reminded_for",
                                     "escalated_at"])
        changed += 1
    return changed


def _user_or_none(actor: User | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None
