"""Follow-up's part of "what next" on the matter page (``intake.next_steps``): assign the tasks
of a conclusion that has none, the matter's tasks, closing the matter."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.access import SEE_FOLLOW_UP, Perm, has_perm
from tiepdan.intake.models import MatterStatus
from tiepdan.intake.next_steps import MatterSteps, Step, StepContext

from .closing import closable
from .selectors import closure_of, tasks_of


def follow_up_steps(context: StepContext) -> MatterSteps:
    steps = MatterSteps()
    matter, ward, user = context.matter, context.ward, context.user
    tasks = tasks_of(matter)
    if matter.status not in (MatterStatus.CONCLUDED, MatterStatus.CLOSED) and not tasks:
        return steps
    commune = matter.commune
    assign = has_perm(user, Perm.ASSIGN_FOLLOW_UP, commune)
    if matter.status == MatterStatus.CONCLUDED and assign:
        if not tasks:
            steps.actions.append(Step(_("Giao việc theo dõi thực hiện kết luận"),
                                      reverse("followup:task_create", args=[ward, matter.pk]),
                                      primary=True))
        elif closable(matter):
            steps.actions.append(Step(_("Kết thúc hồ sơ"),
                                      reverse("followup:matter_close", args=[ward, matter.pk]),
                                      primary=True))
    if has_perm(user, SEE_FOLLOW_UP, commune):
        for task in tasks:
            steps.records.append(Step(
                _("Việc theo dõi: %(title)s") % {"title": task.title[:80]},
                reverse("followup:task", args=[ward, task.pk]),
                detail=f"{task.body.name} · {task.get_status_display()} · "
                       f"{task.due_date:%d/%m/%Y}"))
    closure = closure_of(matter)
    if closure is not None:
        steps.records.append(Step(_("Hồ sơ đã kết thúc ngày %(day)s") % {
            "day": timezone.localtime(closure.closed_at).strftime("%d/%m/%Y")}, ""))
    return steps
