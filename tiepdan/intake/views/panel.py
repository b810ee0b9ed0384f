"""The triage panel of the matter page, one context for the panel page and for every triage,
split, duplicate and merge action that renders it again with its errors: deadlines, history,
the triage forms (``intake.triage``) and the links part (``intake.links``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tiepdan.core.access import Perm, has_perm

from ..links import duplicates, groups, splitting
from ..links.forms import MergeForm, merge_candidates, split_forms
from ..links.shared import related_matters
from ..matter_deadlines import deadlines_for_display
from ..models import Matter
from ..triage.forms import initial_forms


def panel_context(request: HttpRequest, matter: Matter, **extra: Any) -> dict[str, Any]:
    """Everything the triage panel shows of ``matter``; ``extra`` (bound forms with their errors,
    the action that failed) overrides."""
    can_triage = has_perm(request.user, Perm.TRIAGE, matter.commune)
    return {
        "commune": matter.commune, "matter": matter, "can_triage": can_triage,
        "deadlines": deadlines_for_display(matter),
        "records": matter.triage_records.select_related("actor"),
        "forms": initial_forms(matter) if can_triage else {},
        **links_context(request, matter), **extra,
    }


def links_context(request: HttpRequest, matter: Matter) -> dict[str, Any]:
    """The links part of the triage panel: related matters for every reader; suggestions and
    the split and merge forms for those who triage."""
    can_triage = has_perm(request.user, Perm.TRIAGE, matter.commune)
    context: dict[str, Any] = {"related": related_matters(matter),
                               "group_members": matter.group_members.all()}
    if not can_triage:
        return context
    suggestions = duplicates.suggest(matter, user=request.user)
    context["suggestions"] = suggestions
    if matter.status in splitting.SPLITTABLE:
        context["split_form"], context["part_forms"] = split_forms(matter)
    if matter.is_group and matter.status in groups.GROUP_OPEN:
        context["merge_form"] = MergeForm(prefix="merge",
                                          candidates=merge_candidates(matter, suggestions))
    return context
