"""Minutes' part of "what next" on the matter page (``intake.next_steps``): the minutes of each
held hearing of the matter, recording the conclusion, issuing its notice."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tiepdan.core.access import CONCLUDE, READ_MINUTES, has_perm
from tiepdan.hearings.matter_steps import hearings_of
from tiepdan.hearings.models import HearingStatus
from tiepdan.intake.models import MatterStatus
from tiepdan.intake.next_steps import MatterSteps, Step, StepContext

from . import services
from .models import Conclusion


def minutes_steps(context: StepContext) -> MatterSteps:
    steps = MatterSteps()
    matter, ward = context.matter, context.ward
    held = [i.hearing for i in hearings_of(matter) if i.hearing.status == HearingStatus.HELD]
    if not held:
        return steps
    commune = matter.commune
    readable = has_perm(context.user, READ_MINUTES, commune)
    concludes = has_perm(context.user, CONCLUDE, commune)
    conclusions = {c.hearing_id: c for c in Conclusion.objects.filter(matter=matter)
                   .select_related("notice")}
    latest = services.current_minutes_of(held) if readable else {}
    for hearing in held:
        minutes = latest.get(hearing.pk)
        if readable:
            status = minutes.get_status_display() if minutes else _("chưa lập")
            steps.records.append(Step(_("Biên bản buổi tiếp: %(status)s") % {"status": status},
                                      reverse("minutes:page", args=[ward, hearing.pk])))
        conclusion = conclusions.get(hearing.pk)
        conclusion_url = reverse("minutes:page", args=[ward, hearing.pk]) + f"#matter-{matter.pk}"
        if conclusion is None:
            if concludes and matter.status == MatterStatus.HEARD:
                steps.actions.append(Step(_("Ghi kết luận của người chủ trì"), conclusion_url,
                                          primary=True))
            continue
        if readable:
            steps.records.append(Step(_("Kết luận: %(outcome)s") % {
                "outcome": conclusion.get_outcome_display()}, conclusion_url,
                detail=conclusion.directions[:200]))
        if conclusion.notice is not None:
            steps.records.append(Step(
                _("Thông báo kết luận %(symbol)s") % {"symbol": conclusion.notice.symbol},
                reverse("documents:download", args=[conclusion.notice.pk, "pdf"])))
        elif concludes:
            steps.actions.append(Step(_("Phát hành Thông báo kết luận"), conclusion_url,
                                      primary=True))
    return steps
