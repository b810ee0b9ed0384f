"""Staff API of intake: the matters of a commune, permission-checked like the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tiepdan.core import access_log
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.api_types import Id
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.errors import Forbidden
from tiepdan.core.schemas import InputSchema
from tiepdan.core.selectors import commune_get

from .identity.reveal import redacted_copy, reveal_identity
from .selectors import matter_get_for_user, matters_in_commune

router = Router(tags=["Cán bộ: hồ sơ"], auth=StaffAuth())

LIST_LIMIT = 500



class MatterRow(Schema):
    id: int
    tracking_code: str
    kind: str
    status: str
    summary: str
    received_at: str
    wants_online: bool
    group_size: int
    channel: str


class AttachmentRef(Schema):
    id: int
    name: str
    size: int
    pages: int
    withheld: bool  # encrypted with a protected identity: not served to this API


class MatterDetail(MatterRow):
    full_name: str
    id_type: str
    id_number: str
    phone: str
    content: str
    identity_protected: bool
    attachments: list[AttachmentRef]


class RevealIn(InputSchema):
    multiline = frozenset({"reason"})
    reason: str = ""


class RepresentativeOut(Schema):
    full_name: str
    phone: str


class IdentityOut(Schema):
    full_name: str
    id_type: str
    id_number: str
    id_issue_date: str | None
    id_issue_place: str
    gender: str
    date_of_birth: str | None
    address: str
    address_province_code: int | None
    address_ward_code: int | None
    phone: str
    email: str
    representatives: list[RepresentativeOut]
    original_texts: dict[str, str]


class RedactedAttachment(Schema):
    position: int
    extension: str
    pages: int


class RedactedCopyOut(Schema):
    tracking_code: str
    kind: str
    received_at: str
    summary: str
    content: str
    complained_decision: str
    complained_by: str
    prior_agency: str
    group_size: int
    attachments: list[RedactedAttachment]


def _row(m) -> dict[str, Any]:
    return {"id": m.pk, "tracking_code": m.tracking_code, "kind": m.kind, "status": m.status,
            "summary": m.summary, "received_at": m.received_at.isoformat(),
            "wants_online": m.wants_online, "group_size": m.group_size, "channel": m.channel}


@router.get("/communes/{ward_code}/matters", response=list[MatterRow],
            summary="Matters of a commune the user may see")
def list_matters(request: HttpRequest, ward_code: Id) -> list[dict[str, Any]]:
    commune = commune_get(ward_code)
    if not (has_perm(request.user, Perm.VIEW_MATTERS, commune)
            or has_perm(request.user, Perm.REGISTER_ASSISTED, commune)):
        raise Forbidden(_("Bạn không có quyền xem hồ sơ của xã này."))
    rows = [_row(m) for m in
            matters_in_commune(request.user, commune).order_by("-received_at")[:LIST_LIMIT]]
    access_log.log_access("intake.inbox.listed_via_api", actor=request.user, commune=commune,
                          request=request, object_type="intake.inbox",
                          object_id=str(commune.ward_code), data={"count": len(rows)})
    return rows


@router.get("/communes/{ward_code}/matters/{matter_id}", response=MatterDetail,
            summary="One matter")
def get_matter(request: HttpRequest, ward_code: Id, matter_id: Id) -> dict[str, Any]:
    m = matter_get_for_user(request.user, ward_code, matter_id)
    access_log.log_access("intake.matter.viewed_via_api", m, actor=request.user, commune=m.commune,
                          request=request, data={"tracking_code": m.tracking_code})
    return {**_row(m), "full_name": m.full_name, "id_type": m.id_type, "id_number": m.id_number,
            "phone": m.phone, "content": m.content, "identity_protected": m.identity_sealed,
            "attachments": [{"id": a.pk, "name": a.original_name, "size": a.size,
                             "pages": a.pages, "withheld": a.encrypted}
                            for a in m.attachments.all()]}


@router.post("/communes/{ward_code}/matters/{matter_id}/identity-reveals",
             response={200: IdentityOut},
             summary="Reveal a denouncer's identity (Chairman, receiving officer; reason "
                     "required, audited)")
def reveal(request: HttpRequest, response: HttpResponse, ward_code: Id, matter_id: Id,
           payload: RevealIn) -> dict[str, Any]:
    matter = matter_get_for_user(request.user, ward_code, matter_id)
    response["Cache-Control"] = "private, no-store"
    identity = reveal_identity(matter, actor=request.user, reason=payload.reason,
                               request=request)
    return {
        **{name: getattr(identity, name) for name in (
            "full_name", "id_type", "id_number", "id_issue_place", "gender", "address",
            "address_province_code", "address_ward_code", "phone", "email", "original_texts")},
        "id_issue_date": identity.id_issue_date.isoformat() if identity.id_issue_date else None,
        "date_of_birth": identity.date_of_birth.isoformat() if identity.date_of_birth else None,
        "representatives": [{"full_name": r.full_name, "phone": r.phone}
                            for r in identity.representatives],
    }


@router.get("/communes/{ward_code}/matters/{matter_id}/redacted-copy",
            response=RedactedCopyOut,
            summary="The petition without the petitioner's identity, for verifiers (audited)")
def get_redacted_copy(request: HttpRequest, ward_code: Id, matter_id: Id) -> dict[str, Any]:
    matter = matter_get_for_user(request.user, ward_code, matter_id)
    copy = redacted_copy(matter, actor=request.user, request=request)
    return {**copy, "received_at": copy["received_at"].isoformat()}
