"""The register's part of the matter page: its line in the Sổ tiếp công dân and, for a
refused matter, the notice 01/TCD (download, or issue it again)."""

from __future__ import annotations

from typing import Any

from django import template

from tiepdan.core.access import Perm, has_perm
from tiepdan.intake.models import Matter, MatterStatus

from ..selectors import entry_of

register = template.Library()


@register.inclusion_tag("register/_matter_panel.html", takes_context=True)
def register_panel(context: dict[str, Any], matter: Matter) -> dict[str, Any]:
    request = context["request"]
    entry = entry_of(matter)
    refused = entry is not None and entry.outcome == MatterStatus.REFUSED
    return {
        "commune": matter.commune, "matter": matter, "entry": entry, "refused": refused,
        "notice": entry.refusal_notice if entry is not None else None,
        "can_issue": refused and has_perm(request.user, Perm.TRIAGE, matter.commune),
        "csrf_token": context.get("csrf_token"),
    }
