"""Triage's part of the matter page's next steps (``intake.next_steps``): the triage actions the
matter's status allows, and the message shown after a triage step (what it did, what comes
next)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tiepdan.core.access import Perm

from ..models import Matter
from ..models import MatterStatus as S
from ..next_steps import MatterSteps, Step, StepContext
from .state_machine import available_actions

_TRIAGE_LABELS = {
    "classify": (lambda: _("Phân loại đơn"), "triage-classify"),
    "decide": (lambda: _("Quyết định hướng xử lý (thụ lý, hướng dẫn, chuyển đơn…)"),
               "triage-decide"),
    "refuse": (lambda: _("Từ chối tiếp công dân"), "triage-refuse"),
}


def triage_steps(context: StepContext) -> MatterSteps:
    """Triage's part of the matter page: the actions the matter's status allows (registered
    with :func:`~tiepdan.intake.next_steps.register_step_provider` by ``IntakeConfig``)."""
    steps = MatterSteps()
    if Perm.TRIAGE not in context.perms:
        return steps
    panel = reverse("intake:triage_panel", args=[context.ward, context.matter.pk])
    for position, action in enumerate(available_actions(context.matter)):
        label, anchor = _TRIAGE_LABELS[action]
        steps.actions.append(Step(label(), f"{panel}#{anchor}", primary=position == 0))
    return steps


# What a triage step did and what comes next: the message shown after it ----------------------

def _next_after(status: str) -> str:
    if status == S.TRIAGED:
        return _("Tiếp theo: quyết định hướng xử lý (thụ lý, hướng dẫn, chuyển đơn, trả lại "
                 "hoặc lưu đơn).")
    if status == S.ACCEPTED:
        return _("Đã ghi vào Sổ tiếp công dân. Tiếp theo: đề xuất tiếp trực tuyến lên Chủ tịch "
                 "(nút “Đề xuất tiếp trực tuyến” trên trang hồ sơ) hoặc xếp lịch tiếp.")
    if status == S.REFUSED:
        return _("Đã ghi vào Sổ tiếp công dân. Tiếp theo: phát hành Thông báo từ chối tiếp "
                 "(Mẫu 01/TCD) trong 03 ngày làm việc — xem mục Sổ tiếp công dân của hồ sơ.")
    if status in (S.GUIDED, S.FORWARDED, S.RETURNED, S.FILED):
        return _("Đã ghi vào Sổ tiếp công dân. Tiếp theo: thông báo kết quả cho công dân trong "
                 "10 ngày làm việc (Luật Tiếp công dân Điều 28).")
    return ""


def triage_done_message(action: str, matter: Matter) -> str:
    """The message after ``action`` (classify / decide / refuse) moved ``matter``."""
    if action == "classify":
        done = _("Đã phân loại hồ sơ %(code)s: %(kind)s.") % {
            "code": matter.tracking_code, "kind": matter.get_kind_display()}
    elif action == "refuse":
        done = _("Đã ghi từ chối tiếp công dân đối với hồ sơ %(code)s.") % {
            "code": matter.tracking_code}
    else:
        done = _("Đã ghi hướng xử lý hồ sơ %(code)s: %(status)s.") % {
            "code": matter.tracking_code, "status": matter.get_status_display()}
    return f"{done} {_next_after(matter.status)}".strip()
