"""A conclusion that assigns a matter to bodies becomes one follow-up task per body (the
minutes app calls this after the conclusion notice is issued and committed)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from tiepdan.core.lists import clean_name, list_key

from .models import Body
from .services import create_tasks_from_conclusion

log = logging.getLogger(__name__)


def tasks_for_conclusion(conclusion: Any) -> int:
    """Create the tasks of an "assigned" conclusion with a due date; returns how many.  A body
    named in the conclusion that the commune does not have yet is added (active, with the
    e-mail the conclusion gave)."""
    from tiepdan.minutes.models import Outcome

    if conclusion.outcome != Outcome.ASSIGNED or not conclusion.responsible_bodies:
        return 0
    if conclusion.due_date is None:
        log.warning("conclusion %s assigns bodies without a deadline: no task", conclusion.pk)
        return 0
    commune = conclusion.hearing.commune
    when = timezone.localtime(conclusion.hearing.starts_at).strftime("%d/%m/%Y")
    with transaction.atomic():
        items = []
        for entry in conclusion.responsible_bodies:
            name = clean_name(entry.get("name") or "")
            body = Body.objects.filter(commune=commune, pk=entry.get("id")).first() \
                if entry.get("id") else None
            if body is None and not name:
                continue
            if body is None:  # a name from an older API client: one body however spelled
                body, _ = Body.objects.get_or_create(
                    commune=commune, name_key=list_key(name),
                    defaults={"name": name, "email": entry.get("email") or ""})
            items.append({"title": conclusion.directions[:250], "assignee_body_id": body.pk,
                          "due_date": conclusion.due_date})
        tasks = create_tasks_from_conclusion(
            conclusion.matter, items, actor=conclusion.notice_issued_by,
            source=f"Kết luận buổi tiếp công dân ngày {when}", conclusion_id=conclusion.pk)
    return len(tasks)
