"""Staff API of triage: classify, decide on or refuse a matter (rules in
``intake.triage.state_machine``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from tiepdan.core.api_types import Id, one_of
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.schemas import InputSchema

from ..models import ComplaintRound, MatterKind, RefusalGround
from ..selectors import matter_get_for_user
from . import state_machine as triage

router = Router(tags=["Cán bộ: phân loại, xử lý đơn"], auth=StaffAuth())


class TransitionIn(InputSchema):
    multiline = frozenset({"reason"})
    action: Literal["classify", "decide", "refuse"]
    reason: str
    # classify
    kind: Annotated[str, one_of(MatterKind, blank=True)] = ""
    field_of_law: str = ""
    complaint_round: Annotated[str, one_of(ComplaintRound, blank=True)] = ""
    # decide
    outcome: Annotated[str, one_of(triage.OUTCOMES, blank=True)] = ""
    within_competence: bool = False
    competent_body: str = ""
    letter_number: str = ""
    # refuse
    ground: Annotated[str, one_of(RefusalGround, blank=True)] = ""


class TransitionOut(Schema):
    id: int
    tracking_code: str
    status: str
    kind: str


@router.post("/communes/{ward_code}/matters/{matter_id}/transitions", response=TransitionOut,
             summary="Classify, decide on or refuse a matter")
def post_transition(request: HttpRequest, ward_code: Id, matter_id: Id,
                    payload: TransitionIn) -> dict[str, Any]:
    matter = matter_get_for_user(request.user, ward_code, matter_id)
    actor, reason = request.user, payload.reason
    if payload.action == "classify":
        matter = triage.classify(matter, kind=payload.kind, field_of_law=payload.field_of_law,
                                 complaint_round=payload.complaint_round, actor=actor,
                                 reason=reason, request=request)
    elif payload.action == "decide":
        matter = triage.decide(matter, outcome=payload.outcome,
                               within_competence=payload.within_competence,
                               competent_body=payload.competent_body,
                               letter_number=payload.letter_number, actor=actor, reason=reason,
                               request=request)
    else:
        matter = triage.refuse(matter, ground=payload.ground, actor=actor, reason=reason,
                               request=request)
    return {"id": matter.pk, "tracking_code": matter.tracking_code, "status": matter.status,
            "kind": matter.kind}
