"""Hearing planning API (staff) and the public schedule; handlers only call the services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tiepdan.core.access import Perm
from tiepdan.core.api_types import Id, Ref, one_of
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.errors import DomainError, NotFound
from tiepdan.core.schemas import InputSchema, Line
from tiepdan.core.selectors import commune_get, commune_get_for_user
from tiepdan.core.views.auth import AuthenticatedHttpRequest
from tiepdan.intake.selectors import matter_get_for_user, matters_in_commune

from . import changes, held, history, paperwork, people, planning, selection
from . import milestones as milestone_rules
from .api_schemas import (
    HearingOut,
    ParticipantCreatedOut,
    PeopleGroupOut,
    PointCreatedOut,
    ProposalOut,
    ScheduleItemOut,
)
from .models import (
    Hearing,
    OnlineGround,
    PointKind,
    ReceptionKind,
)
from .schedule import public_schedule
from .selectors import (
    DENIED,
    bridge_point_get_for_user,
    hearing_get_for_user,
    proposal_get_for_user,
)
from .views.public import PUBLIC_TITLE

router = Router(tags=["Cán bộ: buổi tiếp"], auth=StaffAuth())
public_router = Router(tags=["Lịch tiếp công dân"])



def _out(h: Hearing) -> dict[str, Any]:
    return {
        "id": h.pk, "title": h.title, "kind": h.kind, "status": h.status,
        "starts_at": h.starts_at.isoformat(), "ends_at": h.ends_at.isoformat(),
        "chair_id": h.chair_id, "city_leaders_attend": h.city_leaders_attend,
        "version": h.version, "readiness_problems": planning.readiness_problems(h),
        "matters": [i.matter.tracking_code for i in h.agenda.select_related("matter")],
        "bridge_points": [{"id": p.pk, "name": p.name, "kind": p.kind, "is_central": p.is_central,
                           "participants": [{"id": x.pk, "full_name": x.full_name,
                                             "attendance": x.attendance}
                                            for x in p.participants.all()]}
                          for p in h.bridge_points.prefetch_related("participants")],
        "milestones": {m.key: {"due": (m.due_at.isoformat() if m.has_time
                                       else m.due_date.isoformat()),
                               "explanation": m.explanation, "status": m.status,
                               "mark": milestone_rules.mark(m), "owner_role": m.owner_role,
                               "evidence": m.evidence}
                       for m in h.milestones.all()},
        "actual_started_at": h.actual_started_at.isoformat() if h.actual_started_at else None,
        "held_at": h.held_at.isoformat() if h.held_at else None,
        "history": [{"kind": c.kind, "version": c.version, "at": c.at.isoformat(),
                     "actor_id": c.actor_id, "reason": c.reason,
                     "previous_starts_at": (c.previous_starts_at.isoformat()
                                            if c.previous_starts_at else None),
                     "starts_at": c.starts_at.isoformat(), "late_periods": c.late_periods}
                    for c in history.of(h)],
        "documents": [{"purpose": d.purpose, "symbol": d.document.symbol,
                       "document_id": d.document_id, "version": d.hearing_version,
                       "superseded_at": (d.document.superseded_at.isoformat()
                                         if d.document.superseded_at else None),
                       "pdf_url": reverse("documents:download", args=[d.document_id, "pdf"]),
                       "docx_url": reverse("documents:download", args=[d.document_id, "docx"])}
                      for d in paperwork.all_documents(h)],
    }


class HearingIn(InputSchema):
    multiline = frozenset({"late_reason"})
    title: str
    starts_at: dt.datetime
    duration_minutes: int = 120
    chair_id: Ref
    kind: Annotated[str, one_of(ReceptionKind)] = "periodic"
    city_leaders_attend: bool = False
    matters: list[str] = []  # tracking codes
    late_reason: str = ""  # the Chairman's reason when the notice periods are already past


class PointIn(InputSchema):
    kind: Annotated[str, one_of(PointKind)]
    name: str
    address: str
    # Staff picked by id (their name, e-mail and phone come with them) or, for older
    # clients, names typed in full.
    responsible_user_id: Ref | None = None
    technical_contact_id: Ref | None = None
    responsible_person: str = ""
    technical_contact_name: str = ""
    technical_contact_phone: str = ""
    technical_contact_email: str = ""
    is_central: bool = False


class ParticipantIn(InputSchema):
    person: str = ""  # a key of GET …/hearings/{id}/people: "staff:<id>", "matter:<id>" …
    full_name: str = ""
    position: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""
    is_citizen: bool = False


class ConfirmIn(InputSchema):
    multiline = frozenset({"override_reason"})
    override_reason: str = ""


class MilestoneDoneIn(InputSchema):
    multiline = frozenset({"evidence"})
    evidence: str


class RescheduleIn(InputSchema):
    multiline = frozenset({"reason", "late_reason"})
    starts_at: dt.datetime
    duration_minutes: int = 120
    reason: str
    late_reason: str = ""


class HeldIn(Schema):
    started_at: dt.datetime
    ended_at: dt.datetime


class ReasonIn(InputSchema):
    multiline = frozenset({"reason"})
    reason: str


class ProposalIn(InputSchema):
    multiline = frozenset({"note"})
    ground: Annotated[str, one_of(OnlineGround)]
    note: str = ""


class DecisionIn(InputSchema):
    multiline = frozenset({"reason"})
    approve: bool
    reason: str


@router.get("/communes/{ward_code}/hearings", response=list[HearingOut],
            summary="Hearings of a commune")
def list_hearings(request: AuthenticatedHttpRequest, ward_code: Id) -> list[dict[str, Any]]:
    commune = commune_get_for_user(request.user, ward_code, Perm.PLAN_HEARING, DENIED)
    return [_out(h) for h in Hearing.objects.filter(commune=commune).order_by("starts_at")]


@router.post("/communes/{ward_code}/hearings", response={201: HearingOut},
             summary="Plan a hearing")
def create_hearing(request: AuthenticatedHttpRequest, ward_code: Id, payload: HearingIn):
    commune = commune_get_for_user(request.user, ward_code, Perm.PLAN_HEARING, DENIED)
    chair = get_user_model().objects.filter(pk=payload.chair_id).first()
    if chair is None:
        raise DomainError(_("Không tìm thấy người chủ trì."), code="validation_error")
    # The user's own view of the commune's matters (the selectors decide what a user sees).
    matters = list(matters_in_commune(request.user, commune)
                   .filter(tracking_code__in=payload.matters))
    if len(matters) != len(set(payload.matters)):
        raise NotFound(_("Có mã hồ sơ không thuộc xã này."))
    hearing = planning.create_hearing(
        commune, starts_at=payload.starts_at, duration_minutes=payload.duration_minutes,
        chair=chair, title=payload.title, kind=payload.kind,
        city_leaders_attend=payload.city_leaders_attend, matters=matters,
        late_reason=payload.late_reason, actor=request.user)
    return Status(201, _out(hearing))


@router.get("/communes/{ward_code}/hearings/{hearing_id}", response=HearingOut,
            summary="One hearing and its timeline")
def get_hearing(request: AuthenticatedHttpRequest, ward_code: Id, hearing_id: Id) -> dict[str, Any]:
    return _out(hearing_get_for_user(request.user, ward_code, hearing_id, Perm.PLAN_HEARING))


@router.post("/communes/{ward_code}/hearings/{hearing_id}/bridge-points",
             response={201: PointCreatedOut})
def add_point(request: AuthenticatedHttpRequest, ward_code: Id, hearing_id: Id, payload: PointIn):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, Perm.PLAN_HEARING)
    data = payload.dict()
    for field in ("responsible_user", "technical_contact"):
        user_id = data.pop(f"{field}_id")
        if user_id is not None:
            data[field] = people.staff_users(hearing.commune).filter(pk=user_id).first()
            if data[field] is None:
                raise DomainError(_("Chọn cán bộ trong danh sách cán bộ của xã, thành phố."),
                                  code="validation_error")
    point = planning.add_bridge_point(hearing, actor=request.user, **data)
    return Status(201, {"id": point.pk, "name": point.name,
                        "responsible_person": point.responsible_person,
                        "technical_contact_name": point.technical_contact_name})


@router.get("/communes/{ward_code}/hearings/{hearing_id}/people", response=list[PeopleGroupOut],
            summary="People who can be picked as participants, grouped by source")
def list_people(request: AuthenticatedHttpRequest, ward_code: Id, hearing_id: Id) -> list[dict[str,
                Any]]:
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, Perm.PLAN_HEARING)
    return [{"group": group, "people": [{"key": key, "label": label} for key, label in rows]}
            for group, rows in people.picker_choices(hearing)]


@router.post("/communes/{ward_code}/bridge-points/{point_id}/participants",
             response={201: ParticipantCreatedOut})
def add_participant(request: AuthenticatedHttpRequest, ward_code: Id, point_id: Id,
                    payload: ParticipantIn):
    point = bridge_point_get_for_user(request.user, ward_code, point_id)
    person = planning.add_participant(point, actor=request.user, **payload.dict())
    return Status(201, {"id": person.pk, "full_name": person.full_name})


@router.post("/communes/{ward_code}/hearings/{hearing_id}/confirm", response=HearingOut)
def confirm(request: AuthenticatedHttpRequest, ward_code: Id, hearing_id: Id, payload: ConfirmIn):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, Perm.PLAN_HEARING)
    return _out(planning.confirm_hearing(hearing, actor=request.user,
                                         override_reason=payload.override_reason))


@router.post("/communes/{ward_code}/hearings/{hearing_id}/reschedule", response=HearingOut)
def reschedule(request: AuthenticatedHttpRequest, ward_code: Id, hearing_id: Id,
               payload: RescheduleIn):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, Perm.PLAN_HEARING)
    return _out(changes.reschedule(hearing, actor=request.user, **payload.dict()).hearing)


@router.post("/communes/{ward_code}/hearings/{hearing_id}/cancel", response=HearingOut)
def cancel(request: AuthenticatedHttpRequest, ward_code: Id, hearing_id: Id, payload: ReasonIn):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, Perm.PLAN_HEARING)
    return _out(changes.cancel(hearing, actor=request.user, reason=payload.reason).hearing)


@router.post("/communes/{ward_code}/hearings/{hearing_id}/held", response=HearingOut,
             summary="Record a confirmed hearing as held, with its actual start and end")
def record_held(request: AuthenticatedHttpRequest, ward_code: Id, hearing_id: Id, payload: HeldIn):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, Perm.PLAN_HEARING)
    return _out(held.record_held(hearing, actor=request.user, started_at=payload.started_at,
                                 ended_at=payload.ended_at))


@router.post("/communes/{ward_code}/matters/{matter_id}/online-proposals",
             response={201: ProposalOut})
def propose(request: AuthenticatedHttpRequest, ward_code: Id, matter_id: Id, payload: ProposalIn):
    matter = matter_get_for_user(request.user, ward_code, matter_id, Perm.PLAN_HEARING, DENIED)
    chosen = selection.propose(matter, actor=request.user, ground=payload.ground,
                               note=payload.note)
    return Status(201, {"id": chosen.pk, "status": chosen.status})


@router.post("/communes/{ward_code}/online-proposals/{proposal_id}/decision",
             response=ProposalOut)
def decide(request: AuthenticatedHttpRequest, ward_code: Id, proposal_id: Id, payload: DecisionIn):
    chosen = proposal_get_for_user(request.user, ward_code, proposal_id)
    chosen = selection.decide(chosen, actor=request.user, approve=payload.approve,
                              reason=payload.reason)
    return {"id": chosen.pk, "status": chosen.status}


@public_router.get("/communes/{ward_code}/schedule", auth=None, response=list[ScheduleItemOut],
                   summary="Published reception schedule (no personal data)")
def schedule(request: HttpRequest, ward_code: Id) -> list[dict[str, Any]]:

    commune = commune_get(ward_code)
    return [{"starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(),
             "kind": s.kind, "title": PUBLIC_TITLE,
             "place": commune.reception_address or commune.committee_name}
            for s in public_schedule(commune)]


@router.post("/communes/{ward_code}/hearings/{hearing_id}/milestones/{key}/done",
             response=HearingOut,
             summary="Mark a preparation milestone done, with its evidence")
def milestone_done(request: AuthenticatedHttpRequest, ward_code: Id, hearing_id: Id, key: Line,
                   payload: MilestoneDoneIn):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id,
                                   frozenset({Perm.PLAN_HEARING, Perm.OPERATE_MEDIA}))
    row = hearing.milestones.filter(key=key).first()
    if row is None:
        raise NotFound(_("Không có mốc này."))
    milestone_rules.complete(row, actor=request.user, evidence=payload.evidence)
    return _out(hearing)
