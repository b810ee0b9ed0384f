"""Staff pages of the follow-up: the board, a task (progress updates with files, completion,
cancellation, new due date), assigning tasks from a matter and closing the matter.  Each page
checks the permission in the commune; the rules are in ``services`` and ``closing``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiepdan.core import access, access_log
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.errors import DomainError
from tiepdan.core.form_errors import add_domain_error
from tiepdan.core.selectors import commune_get_for_user
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required
from tiepdan.intake.selectors import matter_get_for_user

from . import closing, selectors, services
from .forms import CloseForm, DueForm, ReasonForm, ResultForm, TaskForm, UpdateForm
from .models import ACTIVE_STATUSES, FollowUpTask, TaskStatus


def _commune_for_follow_up(request: AuthenticatedHttpRequest, ward_code: int):
    return commune_get_for_user(request.user, ward_code, access.SEE_FOLLOW_UP)


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@staff_required
@require_GET
def board(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    """Bảng theo dõi: every open task per body, overdue and due-soon marked, with filters."""
    commune = _commune_for_follow_up(request, ward_code)
    status = request.GET.get("status") or "active"
    if status not in selectors.STATUS_FILTERS:
        status = "active"
    body_id = _int_or_none(request.GET.get("body"))
    tasks = selectors.filter_tasks(selectors.visible_tasks(request.user, commune),
                                   status=status, body_id=body_id)
    groups = selectors.board(tasks)
    bodies = sorted(selectors.visible_bodies(request.user, commune),
                    key=lambda b: selectors.name_key(b.name))
    return render(request, "followup/board.html", {
        "commune": commune, "groups": groups, "bodies": bodies, "status": status,
        "body_id": body_id, "status_choices": _status_choices(),
        "total": sum(len(g.tasks) for g in groups),
        "overdue": sum(g.overdue for g in groups), "due_soon": sum(g.due_soon for g in groups),
        "can_assign": has_perm(request.user, Perm.ASSIGN_FOLLOW_UP, commune),
        "opens_inbox": has_perm(request.user, access.OPEN_INBOX, commune),
        "no_body": not bodies,
    })


def _status_choices() -> list[tuple[str, str]]:
    return [("active", _("Chưa xong")), ("overdue", _("Quá hạn")),
            ("due_soon", _("Sắp đến hạn")),
            *((value, str(label)) for value, label in TaskStatus.choices), ("all", _("Tất cả"))]


def _task_context(request: AuthenticatedHttpRequest, commune, task: FollowUpTask,
                  **forms: Any) -> dict:
    task.mark = services.mark(task)
    active = task.status in ACTIVE_STATUSES
    return {
        "commune": commune, "task": task, "active": active,
        "updates": task.updates.select_related("author").prefetch_related("attachments"),
        "can_update": active and services.can_update(request.user, task),
        "can_assign": active and has_perm(request.user, Perm.ASSIGN_FOLLOW_UP, commune),
        "update_form": forms.get("update_form") or UpdateForm(),
        "complete_form": forms.get("complete_form") or ResultForm(),
        "cancel_form": forms.get("cancel_form") or ReasonForm(),
        "due_form": forms.get("due_form") or DueForm(),
    }


def _to_task(task: FollowUpTask, ward_code: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("followup:task", args=[ward_code, task.pk]))


@staff_required
@require_http_methods(["GET", "POST"])
def task_detail(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    """A task, its updates, and (POST) a progress update with files."""
    task = selectors.task_get_for_user(request.user, ward_code, pk)
    commune = task.body.commune
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_update(task, text=data["text"], progress=data["progress"],
                                    files=data["files"], actor=request.user, request=request)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _(
                    "Đã ghi nhận cập nhật tiến độ. Khi xong việc, ghi kết quả và bấm “Hoàn "
                    "thành”."))
                return _to_task(task, ward_code)
        return render(request, "followup/task.html",
                      _task_context(request, commune, task, update_form=form), status=422)
    access_log.log_access("followup.task.viewed", task, actor=request.user, commune=commune,
                          request=request, data={"tracking_code": task.matter.tracking_code})
    return render(request, "followup/task.html", _task_context(request, commune, task))


def _task_action(request: AuthenticatedHttpRequest, ward_code: int, pk: int, form_class,
                 form_key: str,
                 action, done: str) -> HttpResponse:
    task = selectors.task_get_for_user(request.user, ward_code, pk)
    commune = task.body.commune
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(task, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done)
            return _to_task(task, ward_code)
    return render(request, "followup/task.html",
                  _task_context(request, commune, task, **{form_key: form}), status=422)


@staff_required
@require_POST
def task_complete(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    return _task_action(request, ward_code, pk, ResultForm, "complete_form", lambda task, d: (
        services.complete(task, result=d["result"], actor=request.user, request=request)),
        _("Đã ghi nhận việc hoàn thành; Văn phòng được báo. Khi mọi việc của hồ sơ đã xong, "
          "Văn phòng kết thúc vụ việc."))


@staff_required
@require_POST
def task_cancel(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    return _task_action(request, ward_code, pk, ReasonForm, "cancel_form", lambda task, d: (
        services.cancel(task, reason=d["reason"], actor=request.user, request=request)),
        _("Đã hủy việc theo dõi. Nếu kết luận còn phần chưa làm, hãy giao việc mới."))


@staff_required
@require_POST
def task_due(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    return _task_action(request, ward_code, pk, DueForm, "due_form", lambda task, d: (
        services.change_due(task, due_date=d["due_date"],
                            due_working_days=d["due_working_days"], reason=d["reason"],
                            actor=request.user, request=request)),
        _("Đã đổi hạn xử lý; nhắc hạn và báo quá hạn tính theo hạn mới."))


def _matter_for_office(request: AuthenticatedHttpRequest, ward_code: int, pk: int):
    matter = matter_get_for_user(request.user, ward_code, pk, Perm.ASSIGN_FOLLOW_UP)
    return matter.commune, matter


@staff_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    """Giao việc theo dõi: one task for a matter, to a body, with its due date."""
    commune, matter = _matter_for_office(request, ward_code, pk)
    form = TaskForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                matter, title=data["title"], body=data["body"], due_date=data["due_date"],
                due_working_days=data["due_working_days"], source=data["source"],
                actor=request.user, request=request)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _(
                "Đã giao việc cho %(body)s, hạn %(due)s. Cơ quan được nhắc trước hạn 2 ngày "
                "làm việc; tiến độ cập nhật trên trang việc.") % {
                "body": task.body.name, "due": task.due_date.strftime("%d/%m/%Y")})
            return HttpResponseRedirect(reverse("intake:matter", args=[ward_code, matter.pk]))
    return render(request, "followup/task_create.html", {
        "commune": commune, "matter": matter, "form": form,
        "tasks": matter.follow_up_tasks.select_related("body"), "link_tasks": True,
    }, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def matter_close(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    """Kết thúc vụ việc với kết quả cuối cùng, and tell the citizen."""
    commune, matter = _matter_for_office(request, ward_code, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closing.close_matter(matter, form.cleaned_data["result"], request.user,
                                 request=request)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _(
                "Đã kết thúc vụ việc và thông báo kết quả cho công dân; hồ sơ không còn việc "
                "phải làm."))
            return HttpResponseRedirect(reverse("intake:matter", args=[ward_code, matter.pk]))
    return render(request, "followup/close.html", {
        "commune": commune, "matter": matter, "form": form,
        "tasks": matter.follow_up_tasks.select_related("body"), "link_tasks": True,
        "can_close": closing.can_close(matter),
    }, status=422 if form.errors else 200)


@staff_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    attachment = selectors.attachment_get_for_user(request.user, pk)
    task = attachment.update.task
    access_log.log_access("followup.attachment.downloaded", attachment, actor=request.user,
                          commune=task.body.commune, request=request,
                          data={"tracking_code": task.matter.tracking_code})
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            as_attachment=True,
                            filename=f"cap-nhat-{attachment.pk}.{attachment.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
