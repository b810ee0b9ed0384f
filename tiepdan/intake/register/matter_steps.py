"""The register's part of the matter page's related records (``intake.next_steps``): its line
in the Sổ tiếp công dân."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tiepdan.core.access import Perm
from tiepdan.intake.next_steps import MatterSteps, Step, StepContext

from .selectors import entry_of


def register_steps(context: StepContext) -> MatterSteps:
    steps = MatterSteps()
    entry = entry_of(context.matter)
    if entry is not None:
        url = ""
        if context.perms & {Perm.VIEW_MATTERS, Perm.VIEW_REPORTS}:
            url = reverse("register:book", args=[context.ward]) + f"?year={entry.year}"
        steps.records.append(Step(_("Sổ tiếp công dân: STT %(number)s năm %(year)s") % {
            "number": entry.number, "year": entry.year}, url))
    return steps
