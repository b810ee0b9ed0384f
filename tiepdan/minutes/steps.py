"""Durable steps of the minutes app (see ``core.durable``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tiepdan.core.durable import durable_step

from .models import Minutes
from .services import issue_minutes_document


@durable_step("minutes.document", label=_("Biên bản buổi tiếp công dân (BB)"),
              max_attempts=5, base_delay=60)
def minutes_document(minutes_id: int, actor_id: int | None) -> None:
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    issue_minutes_document(Minutes.objects.get(pk=minutes_id), actor=actor)
