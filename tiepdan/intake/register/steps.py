"""Durable steps of the register (see ``core.durable``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tiepdan.core.durable import durable_step

from ..models import Matter
from .refusal_notice import issue_refusal_notice


@durable_step("register.refusal_notice", label=_("Thông báo từ chối tiếp công dân (01/TCD)"),
              max_attempts=5, base_delay=60)
def refusal_notice(matter_id: int, actor_id: int | None) -> None:
    matter = Matter.objects.select_related("commune__city").get(pk=matter_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    issue_refusal_notice(matter, actor=actor)
