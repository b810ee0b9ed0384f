"""Permission-checked reads of follow-up tasks: the office sees every body's tasks, a department
representative those of the bodies they act for, nobody else anything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tiepdan.core import access
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.errors import NotFound
from tiepdan.core.models import Commune
from tiepdan.core.page_memo import once
from tiepdan.core.selectors import commune_get_for_user, first_or_not_found
from tiepdan.core.text import strip_diacritics
from tiepdan.workdays import marks
from tiepdan.workdays.calendar import WorkCalendar
from tiepdan.workdays.services import current_calendar

from .models import (
    ACTIVE_STATUSES,
    Body,
    FollowUpTask,
    MatterClosure,
    TaskStatus,
    UpdateAttachment,
)
from .services import mark, today

#: Board filters on status (``active`` is the default: what is still to be done).
STATUS_FILTERS = ("active", "overdue", "due_soon", *TaskStatus.values, "all")


def tasks_of(matter) -> list[FollowUpTask]:
    """The matter's follow-up tasks with their bodies, read once per page."""
    return once(matter, "follow_up_tasks",
                lambda: list(matter.follow_up_tasks.select_related("body")))


def closure_of(matter) -> MatterClosure | None:
    """How the matter was closed, if it was; read once per page."""
    return once(matter, "closure", lambda: MatterClosure.objects.filter(matter=matter).first())


def active_bodies(commune: Commune) -> QuerySet[Body]:
    """The commune's bodies a conclusion may make responsible (``minutes.responsible_bodies``)."""
    return Body.objects.filter(commune=commune, is_active=True).order_by("name")


def visible_bodies(user: User | AnonymousUser, commune: Commune) -> QuerySet[Body]:
    bodies = Body.objects.filter(commune=commune)
    if has_perm(user, Perm.ASSIGN_FOLLOW_UP, commune):
        return bodies
    if isinstance(user, User) and has_perm(user, Perm.FOLLOW_UP, commune):
        return bodies.filter(members=user)
    return bodies.none()


def visible_tasks(user: User | AnonymousUser, commune: Commune) -> QuerySet[FollowUpTask]:
    return (FollowUpTask.objects.filter(body__in=visible_bodies(user, commune))
            .select_related("body", "matter"))


def task_get_for_user(user: User | AnonymousUser, ward_code: int, pk: int,
                      need: access.Need = access.SEE_FOLLOW_UP,
                      message: str | Promise | None = None) -> FollowUpTask:
    """The task ``pk`` of commune ``ward_code``: ``Forbidden`` (with ``message``) where the
    user lacks ``need``, ``NotFound`` for no such commune or task — a task of a body the user
    does not act for, or of another commune, is indistinguishable from none."""
    commune = commune_get_for_user(user, ward_code, need, message)
    task = first_or_not_found(
        visible_tasks(user, commune).select_related("created_by").filter(pk=pk),
        _("Không tìm thấy việc theo dõi."))
    task.body.commune = commune  # the one already read (with its city)
    return task


def attachment_get_for_user(user: User | AnonymousUser, pk: int) -> UpdateAttachment:
    attachment = first_or_not_found(
        UpdateAttachment.objects.select_related("update__task__body__commune",
                                                "update__task__matter").filter(pk=pk),
        _("Không tìm thấy tệp."))
    commune = attachment.update.task.body.commune
    if not visible_tasks(user, commune).filter(pk=attachment.update.task_id).exists():
        raise NotFound(_("Không tìm thấy tệp."))
    return attachment


def filter_tasks(tasks: QuerySet[FollowUpTask], *, status: str = "active",
                 body_id: int | None = None, matter_id: int | None = None,
                 on: dt.date | None = None,
                 calendar: WorkCalendar | None = None) -> QuerySet[FollowUpTask]:
    if body_id:
        tasks = tasks.filter(body_id=body_id)
    if matter_id:
        tasks = tasks.filter(matter_id=matter_id)
    return tasks.filter(_status_condition(status, on or today(), calendar)).order_by(
        "due_date", "id")


def _status_condition(status: str, on: dt.date, calendar: WorkCalendar | None) -> Q:
    """The tasks of a status of the board's filter: a task status, or "active" (not finished),
    "overdue" (active, due before ``on``), "due_soon" (active, due within
    ``workdays.marks``' rule); anything else: every task."""
    condition = Q(status__in=ACTIVE_STATUSES) if status in ("active", "overdue", "due_soon") \
        else Q()
    if status == "overdue":
        condition &= Q(due_date__lt=on)
    elif status == "due_soon":
        horizon = marks.due_soon_limit(on, calendar or current_calendar())
        condition &= Q(due_date__gte=on, due_date__lte=horizon)
    elif status in TaskStatus.values:
        condition &= Q(status=status)
    return condition


def count_by_status(tasks: QuerySet[FollowUpTask], *statuses: str, on: dt.date | None = None,
                    calendar: WorkCalendar | None = None) -> list[int]:
    """How many of ``tasks`` each of ``statuses`` (as ``filter_tasks``) has, in one query."""
    on = on or today()
    counts = tasks.aggregate(**{f"n{i}": Count("pk", filter=_status_condition(s, on, calendar))
                                for i, s in enumerate(statuses)})
    return [counts[f"n{i}"] for i in range(len(statuses))]


@dataclass
class BoardGroup:
    body: Body
    tasks: list[FollowUpTask] = field(default_factory=list)
    overdue: int = 0
    due_soon: int = 0


def board(tasks: QuerySet[FollowUpTask], on: dt.date | None = None,
          calendar: WorkCalendar | None = None) -> list[BoardGroup]:
    """The tasks grouped per body (by name), each with its mark and counts."""
    on, calendar = on or today(), calendar or current_calendar()
    groups: dict[int, BoardGroup] = {}
    for task in tasks:
        task.mark = mark(task, on, calendar)
        group = groups.setdefault(task.body_id, BoardGroup(task.body))
        group.tasks.append(task)
        group.overdue += task.mark == "overdue"
        group.due_soon += task.mark == "due_soon"
    return sorted(groups.values(), key=lambda g: name_key(g.body.name))


def name_key(name: str) -> str:
    """Sort key for Vietnamese names: letters before their diacritics ("Địa" before "Văn")."""
    return strip_diacritics(name).casefold() + "\0" + name
