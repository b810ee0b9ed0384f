"""Staff pages of hearing planning; each one checks the permission in the commune."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tiepdan.core import access
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.api_types import MAX_ID
from tiepdan.core.errors import DomainError
from tiepdan.core.form_errors import add_domain_error
from tiepdan.core.selectors import commune_get_for_user
from tiepdan.core.text_forms import Form
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.intake.selectors import matter_get_for_user

from .. import (
    changes,
    held,
    history,
    milestones,
    page_context,
    paperwork,
    people,
    permissions,
    planning,
    schedule,
    selection,
)
from .. import messages as texts
from ..errors import field_error
from ..forms import (
    BridgePointForm,
    ConfirmForm,
    DecisionForm,
    HearingForm,
    HeldForm,
    MilestoneForm,
    ParticipantForm,
    ProposalForm,
    ReasonForm,
    RemoveParticipantForm,
    RescheduleForm,
)
from ..models import (
    BridgePoint,
    Hearing,
    Milestone,
    OnlineSelection,
    Participant,
    SelectionStatus,
)
from ..selectors import hearing_get_for_user


def _posted_id(request: AuthenticatedHttpRequest, name: str) -> int | None:
    """The id posted in ``name``; ``None`` when missing or not an id at all (a forged or garbled
    form is answered like an unknown id, not with a server error)."""
    raw = request.POST.get(name, "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID:
        return int(raw)
    return None


def _schedulable(commune):
    return Matter.objects.filter(
        commune=commune, status=MatterStatus.ACCEPTED,
        online_selections__status=SelectionStatus.APPROVED).distinct()


@staff_required
@require_http_methods(["GET", "POST"])
def hearing_list(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    """The commune's hearings; planners also create one here (the others only read)."""
    commune = commune_get_for_user(request.user, ward_code, access.VIEW_HEARINGS)
    can_plan = access.has_perm(request.user, Perm.PLAN_HEARING, commune)
    if request.method == "POST":
        access.check(request.user, Perm.PLAN_HEARING, commune)
    form = HearingForm(request.POST or None, commune=commune, matters=_schedulable(commune))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = planning.create_hearing(
                commune, starts_at=data["starts_at"], duration_minutes=data["duration_minutes"],
                chair=data["chair"], title=data["title"], kind=data["kind"],
                city_leaders_attend=data["city_leaders_attend"], matters=list(data["matters"]),
                late_reason=data["late_reason"], actor=request.user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, texts.created(hearing))
            return HttpResponseRedirect(reverse("hearings:detail", args=[ward_code, hearing.pk]))
    hearings = Hearing.objects.filter(commune=commune).select_related("chair").order_by(
        "-starts_at")[:100]
    return render(request, "hearings/list.html", {
        "commune": commune, "form": form, "hearings": hearings, "can_plan": can_plan,
        "opens_inbox": access.has_perm(request.user, access.OPEN_INBOX, commune),
        "warnings": schedule.month_warnings(commune, schedule.next_months()),
        "pending": OnlineSelection.objects.filter(matter__commune=commune,
                                                  status=SelectionStatus.PROPOSED).count(),
    }, status=422 if form.errors else 200)




@dataclass(frozen=True)
class MilestoneRow:
    """One preparation milestone as its table row shows it."""

    milestone: Milestone
    mark: str
    label: str
    can_complete: bool


def _detail_context(request: AuthenticatedHttpRequest, commune, hearing: Hearing, **forms) -> dict:
    rows = [MilestoneRow(
        milestone=row, mark=milestones.mark(row), label=milestones.label(row.key),
        can_complete=(row.status == "open" and hearing.status in ("draft", "confirmed")
                      and permissions.may_complete(request.user, row)))
        for row in hearing.milestones.select_related("done_by")]
    return {
        "can_plan": has_perm(request.user, Perm.PLAN_HEARING, commune),
        "documents": (paperwork.all_documents(hearing)
                      if has_perm(request.user, access.READ_DOCUMENTS, commune) else []),
        "changes": history.of(hearing),
        "late_decision": history.late_decision(hearing),
        "can_view_recordings": has_perm(request.user, Perm.VIEW_RECORDINGS, commune),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "milestone_error_key": forms.get("milestone_key"),
        "commune": commune, "hearing": hearing, "milestones": rows,
        "points": hearing.bridge_points.prefetch_related("participants"),
        "agenda": hearing.agenda.select_related("matter"),
        "problems": planning.readiness_problems(hearing),
        "can_decide": has_perm(request.user, Perm.DECIDE_HEARING, commune),
        "sees_matters": has_perm(request.user, Perm.VIEW_MATTERS, commune),
        "point_form": forms.get("point_form") or BridgePointForm(hearing=hearing),
        "participant_form": forms.get("participant_form") or ParticipantForm(hearing=hearing),
        "people_notes": people.matter_people_notes(hearing),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(),
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(),
        "cancel_form": forms.get("cancel_form") or ReasonForm(),
        "active_form": forms.get("active"),
        "held_form": forms.get("held_form") or _held_form(hearing),
        "remove_point_form": forms.get("remove_point_form"),
        "remove_form": forms.get("remove_form"),
        **page_context.detail_context(request.user, hearing),
    }


def _held_form(hearing: Hearing) -> HeldForm:
    """Prefilled with the session as the room saw it (first join to the end)."""
    start, end = held.suggested_period(hearing)
    initial = {}
    if start is not None:
        initial["started_at"] = timezone.localtime(start).replace(second=0, microsecond=0)
    if end is not None:
        initial["ended_at"] = timezone.localtime(end).replace(second=0, microsecond=0)
    return HeldForm(initial=initial)


@staff_required
def hearing_detail(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    hearing = hearing_get_for_user(request.user, ward_code, pk)
    return render(request, "hearings/detail.html",
                  _detail_context(request, hearing.commune, hearing))


_ACTIONS = {
    "point": (BridgePointForm, "point_form"),
    "participant": (ParticipantForm, "participant_form"),
    "confirm": (ConfirmForm, "confirm_form"),
    "reschedule": (RescheduleForm, "reschedule_form"),
    "cancel": (ReasonForm, "cancel_form"),
    "held": (HeldForm, "held_form"),
    "remove_point": (Form, "remove_point_form"),
    "participant-remove": (RemoveParticipantForm, "remove_form"),
}
#: Forms whose choices come from the hearing (its commune's staff, its matters' people).
_HEARING_FORMS = (BridgePointForm, ParticipantForm)


@staff_required
@require_POST
def hearing_action(request: AuthenticatedHttpRequest, ward_code: int, pk: int,
                   action: str) -> HttpResponse:
    hearing = hearing_get_for_user(request.user, ward_code, pk, Perm.PLAN_HEARING)
    commune = hearing.commune
    if action not in _ACTIONS:
        raise Http404
    form_class, name = _ACTIONS[action]
    kwargs = {"hearing": hearing} if form_class in _HEARING_FORMS else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            done = _run(action, hearing, form.cleaned_data, request)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if done:
                messages.success(request, done)
            return HttpResponseRedirect(reverse("hearings:detail", args=[ward_code, pk]))
    context = _detail_context(request, commune, hearing, **{name: form, "active": action})
    return render(request, "hearings/detail.html", context, status=422)


@staff_required
@require_POST
def milestone_done(request: AuthenticatedHttpRequest, ward_code: int, pk: int,
                   key: str) -> HttpResponse:
    hearing = hearing_get_for_user(request.user, ward_code, pk)
    commune = hearing.commune
    row = hearing.milestones.filter(key=key).first()
    if row is None:
        raise Http404
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            milestones.complete(row, actor=request.user, evidence=form.cleaned_data["evidence"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, texts.milestone_done(row))
            return HttpResponseRedirect(
                reverse("hearings:detail", args=[ward_code, pk]) + "#milestones")
    context = _detail_context(request, commune, hearing, milestone_form=form,
                              milestone_key=key)
    return render(request, "hearings/detail.html", context, status=422)


def _point(hearing: Hearing, request: AuthenticatedHttpRequest) -> BridgePoint:
    point_id = _posted_id(request, "point")
    point = (BridgePoint.objects.filter(hearing=hearing, pk=point_id).first()
             if point_id is not None else None)
    if point is None:
        raise field_error("point", _("Chọn điểm cầu."), "required")
    return point


def _run(action: str, hearing: Hearing, data: dict, request: AuthenticatedHttpRequest) -> str:
    """Run the action's service; returns what happened and what comes next."""
    actor = request.user
    if action == "point":
        before = people.participant_count(hearing)
        text = texts.point_added(planning.add_bridge_point(hearing, actor=actor, **data))
        added = people.participant_count(hearing) - before
        if added:
            text += " " + ngettext(
                "%(n)d công dân của vụ việc trong chương trình được thêm vào thành phần.",
                "%(n)d công dân của các vụ việc trong chương trình được thêm vào thành phần.",
                added) % {"n": added}
        return text
    if action == "remove_point":
        return texts.point_removed(planning.remove_bridge_point(_point(hearing, request),
                                                                actor=actor))
    if action == "participant":
        return texts.participant_added(planning.add_participant(
            _point(hearing, request), actor=actor, **data))
    if action == "participant-remove":
        person = Participant.objects.filter(bridge_point__hearing=hearing,
                                            pk=data["participant"]).first()
        if person is None:
            raise Http404
        planning.remove_participant(person, actor=actor)
        return _("Đã bỏ %(name)s khỏi thành phần buổi tiếp.") % {"name": person.full_name}
    if action == "confirm":
        return texts.confirmed(planning.confirm_hearing(
            hearing, actor=actor, override_reason=data["override_reason"]))
    if action == "reschedule":
        return texts.moved(changes.reschedule(hearing, actor=actor, **data))
    if action == "cancel":
        return texts.cancelled(changes.cancel(hearing, actor=actor, reason=data["reason"]))
    if action == "held":
        return texts.held(held.record_held(hearing, actor=actor, started_at=data["started_at"],
                                           ended_at=data["ended_at"]))
    raise Http404


@staff_required
@require_http_methods(["GET", "POST"])
def propose(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    matter = matter_get_for_user(request.user, ward_code, pk, Perm.PLAN_HEARING)
    suggested = selection.suggested_ground(matter)
    form = ProposalForm(request.POST or None, initial={"ground": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            selection.propose(matter, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _(
                "Đã gửi đề xuất tiếp trực tuyến hồ sơ %(code)s lên Chủ tịch. Tiếp theo: chờ "
                "Chủ tịch quyết định; quyết định sẽ hiện trên trang hồ sơ này.")
                % {"code": matter.tracking_code})
            return HttpResponseRedirect(reverse("intake:matter", args=[ward_code, pk]))
    return render(request, "hearings/propose.html", {
        "commune": matter.commune, "matter": matter, "form": form, "suggested": suggested,
        "problems": selection.eligibility_problems(matter)},
        status=422 if form.errors else 200)


def _decision_message(decided: OnlineSelection) -> str:
    code = decided.matter.tracking_code
    if decided.status == SelectionStatus.APPROVED:
        return _("Đã đồng ý tiếp trực tuyến hồ sơ %(code)s. Tiếp theo: Văn phòng xếp lịch buổi "
                 "tiếp công dân cho hồ sơ này.") % {"code": code}
    return _("Đã ghi quyết định không tiếp trực tuyến hồ sơ %(code)s; hồ sơ tiếp tục được "
             "giải quyết theo hình thức trực tiếp.") % {"code": code}


@staff_required
@require_http_methods(["GET", "POST"])
def proposals(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    commune = commune_get_for_user(request.user, ward_code, Perm.DECIDE_HEARING)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen_id = _posted_id(request, "selection")
        chosen = (OnlineSelection.objects.filter(matter__commune=commune, pk=chosen_id).first()
                  if chosen_id is not None else None)
        if chosen is None:
            raise Http404
        try:
            decided = selection.decide(chosen, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _decision_message(decided))
            return HttpResponseRedirect(reverse("hearings:proposals", args=[ward_code]))
    pending = OnlineSelection.objects.filter(
        matter__commune=commune, status=SelectionStatus.PROPOSED).select_related(
        "matter", "proposed_by")
    return render(request, "hearings/proposals.html",
                  {"commune": commune, "pending": pending, "form": form},
                  status=422 if form.errors else 200)
