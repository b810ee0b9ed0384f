"""Bước xử lý nền thất bại: the steps of a commune that failed for good, with a retry button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import durable
from ..access import Perm
from ..models import Commune
from ..queues import QueueItem
from ..selectors import commune_get_for_user
from ..step_models import DurableStep
from .auth import AuthenticatedHttpRequest, staff_required

if TYPE_CHECKING:
    from ..queues import QueueContext, QueueItem

#: Whoever runs the procedure in the commune sees its failed steps and may retry them.
STEP_PERMS = frozenset({Perm.TRIAGE, Perm.PLAN_HEARING, Perm.ASSIGN_FOLLOW_UP,
                        Perm.OPERATE_MEDIA})


def _commune(request: HttpRequest, ward_code: int) -> Commune:
    return commune_get_for_user(request.user, ward_code, STEP_PERMS)


@staff_required
@require_GET
def failed_steps(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    commune = _commune(request, ward_code)
    return render(request, "core/failed_steps.html", {
        "commune": commune, "steps": durable.failed_steps_for_commune(commune)})


@staff_required
@require_POST
def retry_step(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    commune = _commune(request, ward_code)
    step = get_object_or_404(
        DurableStep.objects.filter(Q(commune=commune) | Q(commune__isnull=True)), pk=pk)
    if durable.retry(step, actor=request.user):
        messages.success(request, _("Đã cho chạy lại “%(label)s”. Trang này không còn liệt kê "
                                    "bước đó khi nó hoàn thành; nếu lại thất bại, Văn phòng "
                                    "nhận thư báo.") % {"label": step.label})
    else:
        messages.info(request, _("Bước “%(label)s” không còn ở trạng thái thất bại.")
                      % {"label": step.label})
    return HttpResponseRedirect(reverse("core:failed_steps", args=[commune.ward_code]))


def failed_steps_queue(context: QueueContext) -> list[QueueItem]:
    """Dashboard counter (``core.queues`` work-queue registry): failed steps of the commune."""
    count = durable.failed_step_count(context.commune)
    return [QueueItem(_("Bước xử lý nền thất bại"), count,
                      reverse("core:failed_steps", args=[context.commune.ward_code]),
                      tone="alert" if count else "")]
