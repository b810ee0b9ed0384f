"""What the current user may do next on a matter, what waits for someone else, and every record
related to it — computed here, in one place, for the matter page (never in templates).

Intake answers for its own steps (triage).  The apps built on it (hearings, minutes, follow-up)
contribute theirs with :func:`register_step_provider` in their ``AppConfig.ready()``, so intake
does not depend on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tiepdan.core.access import Perm, perms_in

from .models import Matter


@dataclass(frozen=True)
class Step:
    """A link on the matter page: an action to take or a related record to open."""

    label: str | Promise
    url: str
    detail: str = ""
    primary: bool = False  # the main next step of the procedure


@dataclass
class MatterSteps:
    actions: list[Step] = field(default_factory=list)  # what this user may do next
    waiting: list[str] = field(default_factory=list)  # pending with someone else
    records: list[Step] = field(default_factory=list)  # related records

    def extend(self, other: MatterSteps) -> None:
        self.actions += other.actions
        self.waiting += other.waiting
        self.records += other.records


@dataclass(frozen=True)
class StepContext:
    user: User
    matter: Matter
    perms: frozenset[Perm]  # what the user holds in the matter's commune

    @property
    def ward(self) -> int:
        return self.matter.commune.ward_code


Provider = Callable[[StepContext], MatterSteps]
_PROVIDERS: list[Provider] = []


def register_step_provider(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def matter_steps(user: User, matter: Matter) -> MatterSteps:
    """Every next action, pending step and related record of ``matter`` for ``user``."""
    context = StepContext(user, matter, perms_in(user, matter.commune))
    steps = triage_steps(context)
    for provider in _PROVIDERS:
        steps.extend(provider(context))
    return steps


_TRIAGE_LABELS = {
    "classify": (lambda: _("Phân loại đơn"), "triage-classify"),
    "decide": (lambda: _("Quyết định hướng xử lý (thụ lý, hướng dẫn, chuyển đơn…)"),
               "triage-decide"),
    "refuse": (lambda: _("Từ chối tiếp công dân"), "triage-refuse"),
}


def triage_steps(context: StepContext) -> MatterSteps:
    from .triage import available_actions

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
    from .models import MatterStatus as S

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
