"""A conclusion that assigns a matter to bodies becomes one follow-up task per body, created
by the minutes app inside the transaction that issues the conclusion's notice: if a task cannot
be created, the notice is not issued either."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.errors import InvalidInput
from tiepdan.core.lists import clean_name, list_key
from tiepdan.minutes.models import Outcome

from .models import Body
from .services import User, create_tasks_from_conclusion


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, field_errors={field: [{"code": "required",
                                                        "message": message}]})


def tasks_for_conclusion(conclusion: Any, actor: User) -> int:
    """Create the tasks of an "assigned" conclusion; returns how many.  A body named in the
    conclusion that the commune does not have yet is added (active, with the e-mail the
    conclusion gave).  Raises ``InvalidInput`` / ``Forbidden`` so that nothing is issued."""
    if conclusion.outcome != Outcome.ASSIGNED:
        return 0
    entries = conclusion.responsible_bodies or []
    if not any((entry.get("name") or "").strip() or entry.get("id") for entry in entries):
        raise _refuse("responsible_bodies", _(
            "Kết luận giao việc nhưng chưa ghi cơ quan, đơn vị thực hiện; chưa ban hành thông "
            "báo."))
    if conclusion.due_date is None:
        raise _refuse("deadline_working_days", _(
            "Kết luận giao việc nhưng chưa có thời hạn; chưa ban hành thông báo."))
    commune = conclusion.hearing.commune
    when = timezone.localtime(conclusion.hearing.starts_at).strftime("%d/%m/%Y")
    items = []
    for entry in conclusion.responsible_bodies:
        name = clean_name(entry.get("name") or "")
        body = Body.objects.filter(commune=commune, pk=entry.get("id")).first() \
            if entry.get("id") else None
        if body is None and not name:
            continue
        if body is None:  # a name from an older API client: one body however spelled
            body, _created = Body.objects.get_or_create(
                commune=commune, name_key=list_key(name),
                defaults={"name": name, "email": entry.get("email") or ""})
        items.append({"title": conclusion.directions[:250], "assignee_body_id": body.pk,
                      "due_date": conclusion.due_date})
    notice = conclusion.notice.symbol if conclusion.notice_id else ""
    source = (f"Thông báo kết luận {notice}, buổi tiếp công dân ngày {when}" if notice
              else f"Kết luận buổi tiếp công dân ngày {when}")
    tasks = create_tasks_from_conclusion(conclusion.matter, items, actor=actor, source=source,
                                         conclusion_id=conclusion.pk)
    return len(tasks)
