"""Staff API of the follow-up; permission-checked like the pages, handlers only call the
services.  Mounted under ``/api/v1/staff``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import BeforeValidator

from tiepdan.core import access
from tiepdan.core.api_types import Id, Ref, one_of
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.errors import InvalidInput
from tiepdan.core.models import Commune
from tiepdan.core.schemas import InputSchema, Text
from tiepdan.core.selectors import commune_get_for_user
from tiepdan.core.views.auth import AuthenticatedHttpRequest
from tiepdan.intake.attachments import check_file
from tiepdan.intake.selectors import matter_get_for_user

from . import closing, selectors, services
from .api_schemas import BodyOut, ClosureOut, TaskDetailOut, TaskOut, UpdateOut
from .models import FollowUpTask, TaskUpdate

router = Router(tags=["Cán bộ: theo dõi thực hiện kết luận"], auth=StaffAuth())
BASE = "/communes/{ward_code}/follow-up"


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


#: A whole number typed in a multipart form field; left blank, it is not given (``None``).
WholeNumber = Annotated[int | None, BeforeValidator(_blank_is_none)]


class TaskIn(InputSchema):
    multiline = frozenset({"title"})
    matter_id: Ref
    title: str = ""
    body_id: Ref | None = None
    due_date: dt.date | None = None
    due_working_days: int | None = None
    source: str = ""


class TaskFilter(InputSchema):
    status: Annotated[str, one_of(selectors.STATUS_FILTERS)] = "active"
    body: Ref | None = None
    matter: Ref | None = None


class ResultIn(InputSchema):
    multiline = frozenset({"result"})
    result: str = ""


class TaskReasonIn(InputSchema):
    multiline = frozenset({"reason"})
    reason: str = ""


class DueIn(InputSchema):
    multiline = frozenset({"reason"})
    due_date: dt.date | None = None
    due_working_days: int | None = None
    reason: str = ""


#: Refusal of every follow-up call in a commune where the user may not see the follow-up.
DENIED = gettext_lazy("Bạn không có quyền theo dõi thực hiện kết luận ở xã này.")


def _commune(request: AuthenticatedHttpRequest, ward_code: int) -> Commune:
    return commune_get_for_user(request.user, ward_code, access.SEE_FOLLOW_UP, DENIED)


def _update_out(update: TaskUpdate) -> dict[str, Any]:
    return {"id": update.pk, "at": update.at.isoformat(), "text": update.text,
            "progress": update.progress, "author": update.author.get_username(),
            "attachments": [{"id": a.pk, "name": a.original_name, "extension": a.extension,
                             "size": a.size, "pages": a.pages}
                            for a in update.attachments.all()]}


def _task_out(task: FollowUpTask, *, with_updates: bool = False) -> dict[str, Any]:
    out = {
        "id": task.pk, "matter_id": task.matter_id,
        "tracking_code": task.matter.tracking_code, "title": task.title,
        "body": {"id": task.body_id, "name": task.body.name}, "source": task.source,
        "conclusion_id": task.conclusion_id, "due_date": task.due_date.isoformat(),
        "due_working_days": task.due_working_days, "due_explanation": task.due_explanation,
        "status": task.status, "progress": task.progress, "mark": services.mark(task),
        "created_at": task.created_at.isoformat(),
        "done_at": task.done_at.isoformat() if task.done_at else None, "result": task.result,
        "escalated_at": task.escalated_at.isoformat() if task.escalated_at else None,
    }
    if with_updates:
        out["updates"] = [_update_out(u) for u in
                          task.updates.select_related("author").prefetch_related("attachments")]
    return out


@router.get(BASE + "/bodies", response={200: list[BodyOut]},
            summary="Bodies (cơ quan, đơn vị) the user may see tasks of")
def list_bodies(request: AuthenticatedHttpRequest, ward_code: Id) -> list[dict[str, Any]]:
    commune = _commune(request, ward_code)
    return [{"id": b.pk, "name": b.name, "email": b.email}
            for b in selectors.visible_bodies(request.user, commune).filter(is_active=True)]


@router.get(BASE + "/tasks", response={200: list[TaskOut]},
            summary="Follow-up tasks (status: active, overdue, due_soon, open, in_progress, "
                    "done, cancelled, all)")
def list_tasks(request: AuthenticatedHttpRequest, ward_code: Id,
               filters: Query[TaskFilter]) -> list[dict[str, Any]]:
    commune = _commune(request, ward_code)
    # An unknown status is refused by the schema (an enum of selectors.STATUS_FILTERS).
    tasks = selectors.filter_tasks(selectors.visible_tasks(request.user, commune),
                                   status=filters.status, body_id=filters.body,
                                   matter_id=filters.matter)
    return [_task_out(t) for t in tasks]


@router.post(BASE + "/tasks", response={201: TaskOut},
             summary="Assign a task of a matter to a body (office)")
def create_task(request: AuthenticatedHttpRequest, ward_code: Id, payload: TaskIn) -> Status:
    matter = matter_get_for_user(request.user, ward_code, payload.matter_id,
                                 access.SEE_FOLLOW_UP, DENIED)
    body = (services.listed_body(matter.commune, payload.body_id) if payload.body_id is not None
            else None)
    task = services.create_task(
        matter, title=payload.title, body=body, due_date=payload.due_date,
        due_working_days=payload.due_working_days, source=payload.source, actor=request.user,
        request=request)
    return Status(201, _task_out(task))


@router.get(BASE + "/tasks/{task_id}", response={200: TaskDetailOut},
            summary="One task with its progress updates")
def get_task(request: AuthenticatedHttpRequest, ward_code: Id, task_id: Id) -> dict[str, Any]:
    task = selectors.task_get_for_user(request.user, ward_code, task_id, message=DENIED)
    return _task_out(task, with_updates=True)


@router.post(BASE + "/tasks/{task_id}/updates",
             response={201: UpdateOut},
             summary="Report progress (multipart: text, progress, files)")
def add_update(request: AuthenticatedHttpRequest, ward_code: Id, task_id: Id, text: Form[Text] = "",
               progress: Form[WholeNumber] = None,
               files: File[list[UploadedFile]] = None) -> Status:  # type: ignore[assignment]
    task = selectors.task_get_for_user(request.user, ward_code, task_id, message=DENIED)
    checked = []
    for upload in files or []:
        try:
            checked.append(check_file(upload.name or "", upload, upload.size))
        except ValidationError as exc:
            message = exc.messages[0]
            raise InvalidInput(message, field_errors={"files": [
                {"code": exc.code or "invalid", "message": message}]}) from exc
    update = services.add_update(task, text=text, progress=progress, files=checked,
                                 actor=request.user, request=request)
    return Status(201, _update_out(update))


@router.post(BASE + "/tasks/{task_id}/complete",
             response={200: TaskOut},
             summary="Report a task done with its result")
def complete_task(request: AuthenticatedHttpRequest, ward_code: Id, task_id: Id,
                  payload: ResultIn) -> dict[str, Any]:
    task = selectors.task_get_for_user(request.user, ward_code, task_id, message=DENIED)
    task = services.complete(task, result=payload.result,
                             actor=request.user, request=request)
    return _task_out(task)


@router.post(BASE + "/tasks/{task_id}/cancel",
             response={200: TaskOut},
             summary="Cancel a task with a reason (office)")
def cancel_task(request: AuthenticatedHttpRequest, ward_code: Id, task_id: Id,
                payload: TaskReasonIn) -> dict[str, Any]:
    task = selectors.task_get_for_user(request.user, ward_code, task_id, message=DENIED)
    task = services.cancel(task, reason=payload.reason,
                           actor=request.user, request=request)
    return _task_out(task)


@router.post(BASE + "/tasks/{task_id}/due",
             response={200: TaskOut},
             summary="Set a new due date with a reason (office)")
def change_due(request: AuthenticatedHttpRequest, ward_code: Id, task_id: Id,
               payload: DueIn) -> dict[str, Any]:
    task = selectors.task_get_for_user(request.user, ward_code, task_id, message=DENIED)
    task = services.change_due(task, due_date=payload.due_date,
                               due_working_days=payload.due_working_days,
                               reason=payload.reason, actor=request.user, request=request)
    return _task_out(task)


@router.post(BASE + "/matters/{matter_id}/close",
             response={200: ClosureOut},
             summary="Close a concluded matter with its final result; the citizen is told")
def close_matter(request: AuthenticatedHttpRequest, ward_code: Id, matter_id: Id,
                 payload: ResultIn) -> dict[str, Any]:
    matter = matter_get_for_user(request.user, ward_code, matter_id, access.SEE_FOLLOW_UP, DENIED)
    closure = closing.close_matter(matter, payload.result, request.user, request=request)
    return {"matter_id": matter.pk, "tracking_code": matter.tracking_code, "status": "closed",
            "result": closure.result, "closed_at": closure.closed_at.isoformat()}
