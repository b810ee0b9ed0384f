"""Hearings' part of "what next" on the matter page (``intake.next_steps``): propose it for
online reception, the pending proposal and the Chairman's decision, schedule it, and its
hearings with their room, recordings and documents."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.access import VIEW_HEARINGS, Perm
from tiepdan.core.page_memo import once
from tiepdan.intake.models import MatterStatus
from tiepdan.intake.next_steps import MatterSteps, Step, StepContext

from .models import HearingMatter, HearingStatus, SelectionStatus
from .paperwork import current_documents_of
from .selection import eligibility_problems

_LIVE = (HearingStatus.DRAFT, HearingStatus.CONFIRMED)


def _day(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y")


def hearings_of(matter) -> list[HearingMatter]:
    """The matter's places on hearings, with the hearings, latest first; read once per page
    (the minutes' steps read them too)."""
    return once(matter, "hearing_items", lambda: list(
        HearingMatter.objects.filter(matter=matter).select_related("hearing")
        .order_by("-hearing__starts_at")))


def hearing_steps(context: StepContext) -> MatterSteps:
    steps = MatterSteps()
    matter, perms, ward = context.matter, context.perms, context.ward
    selections = list(matter.online_selections.select_related("proposed_by", "decided_by"))
    pending = next((s for s in selections if s.status == SelectionStatus.PROPOSED), None)
    approved = next((s for s in selections if s.status == SelectionStatus.APPROVED), None)
    items = hearings_of(matter)
    on_live_hearing = any(i.hearing.status in _LIVE for i in items)
    proposals_url = reverse("hearings:proposals", args=[ward])

    if pending is not None:
        steps.waiting.append(_(
            "Đề xuất tiếp trực tuyến (căn cứ %(ground)s) gửi ngày %(day)s đang chờ Chủ tịch "
            "quyết định.") % {"ground": pending.get_ground_display(),
                              "day": _day(pending.proposed_at)})
        if Perm.DECIDE_HEARING in perms:
            steps.actions.append(Step(_("Quyết định đề xuất tiếp trực tuyến"),
                                      f"{proposals_url}#selection-{pending.pk}", primary=True))
    elif (matter.status == MatterStatus.ACCEPTED and approved is None
          and Perm.PLAN_HEARING in perms):
        problems = eligibility_problems(matter)
        steps.actions.append(Step(
            _("Đề xuất tiếp trực tuyến"), reverse("hearings:propose", args=[ward, matter.pk]),
            detail=" ".join(str(p) for p in problems), primary=not problems))
    if (approved is not None and matter.status == MatterStatus.ACCEPTED and not on_live_hearing
            and Perm.PLAN_HEARING in perms):
        steps.actions.append(Step(_("Xếp lịch buổi tiếp công dân"),
                                  reverse("hearings:list", args=[ward]) + "#hearing-form",
                                  primary=True))
    for selection in selections:
        if selection.status == SelectionStatus.PROPOSED:
            continue
        detail = _("Quyết định ngày %(day)s: %(reason)s") % {
            "day": _day(selection.decided_at), "reason": selection.decision_reason}
        url = proposals_url if Perm.DECIDE_HEARING in perms else ""
        steps.records.append(Step(
            _("Đề xuất tiếp trực tuyến: %(status)s") % {"status": selection.get_status_display()},
            url, detail=detail))

    papers = current_documents_of([i.hearing for i in items]) if perms & VIEW_HEARINGS else {}
    for item in items:
        hearing = item.hearing
        if not perms & (VIEW_HEARINGS | {Perm.VIEW_RECORDINGS, Perm.DECIDE_HEARING}):
            continue
        when = timezone.localtime(hearing.starts_at).strftime("%H:%M %d/%m/%Y")
        label = _("Buổi tiếp %(when)s · %(status)s") % {
            "when": when, "status": hearing.get_status_display()}
        url = (reverse("hearings:detail", args=[ward, hearing.pk])
               if perms & VIEW_HEARINGS else "")
        steps.records.append(Step(label, url, detail=hearing.title))
        if hearing.status == HearingStatus.CONFIRMED and perms & VIEW_HEARINGS:
            steps.records.append(Step(_("Phòng tiếp trực tuyến"),
                                      reverse("media:staff_room", args=[hearing.pk])))
        if hearing.status == HearingStatus.HELD and Perm.VIEW_RECORDINGS in perms:
            steps.records.append(Step(_("Bản ghi hình buổi tiếp"),
                                      reverse("media:recordings", args=[hearing.pk])))
        if perms & VIEW_HEARINGS:
            for paper in papers.get(hearing.pk, []):
                document = paper.document
                steps.records.append(Step(
                    f"{paper.get_purpose_display()} {document.symbol}",
                    reverse("documents:download", args=[document.pk, "pdf"])))
    return steps
