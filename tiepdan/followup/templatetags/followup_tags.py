"""The follow-up's part of the matter page: the tasks of the matter, a small form to assign one
and, once every task is finished, the way to close the matter."""

from __future__ import annotations

from typing import Any

from django import template

from tiepdan.core.access import SEE_FOLLOW_UP, Perm, has_perm
from tiepdan.intake.models import Matter

from ..closing import closable
from ..forms import TaskForm
from ..selectors import closure_of, tasks_of
from ..services import ASSIGNABLE_STATUSES, mark, today

register = template.Library()


@register.inclusion_tag("followup/_matter_panel.html", takes_context=True)
def followup_panel(context: dict[str, Any], matter: Matter) -> dict[str, Any]:
    user = context["request"].user
    commune = matter.commune
    assign = has_perm(user, Perm.ASSIGN_FOLLOW_UP, commune)
    tasks = tasks_of(matter)
    on = today()
    for task in tasks:
        task.mark = mark(task, on)
    assignable = matter.status in ASSIGNABLE_STATUSES
    return {
        "show": bool(tasks) or (assign and assignable) or matter.status == "closed",
        "commune": commune, "matter": matter, "tasks": tasks, "can_assign": assign,
        "assignable": assignable, "can_close": closable(matter),
        "closure": closure_of(matter),
        "task_form": TaskForm(commune=commune, auto_id="followup_%s") if assign else None,
        "link_tasks": has_perm(user, SEE_FOLLOW_UP, commune),
        "csrf_token": context.get("csrf_token"),
    }
