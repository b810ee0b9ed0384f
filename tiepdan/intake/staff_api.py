"""Staff API of intake: the matters of a commune, permission-checked like the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tiepdan.core import audit
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.errors import DomainError, NotFound
from tiepdan.core.models import AuditAction

from .selectors import commune_get, matter_get_for_user, matters_in_commune

router = Router(tags=["Cán bộ: hồ sơ"], auth=StaffAuth())

LIST_LIMIT = 500


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


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


class MatterDetail(MatterRow):
    full_name: str
    id_type: str
    id_number: str
    phone: str
    content: str
    attachments: list[dict[str, Any]]


def _row(m) -> dict[str, Any]:
    return {"id": m.pk, "tracking_code": m.tracking_code, "kind": m.kind, "status": m.status,
            "summary": m.summary, "received_at": m.received_at.isoformat(),
            "wants_online": m.wants_online, "group_size": m.group_size, "channel": m.channel}


def _commune(ward_code: int):
    try:
        return commune_get(ward_code)
    except Http404:
        raise NotFound(_("Không tìm thấy xã này trên hệ thống.")) from None


@router.get("/communes/{ward_code}/matters", response=list[MatterRow],
            summary="Matters of a commune the user may see")
def list_matters(request: HttpRequest, ward_code: int) -> list[dict[str, Any]]:
    commune = _commune(ward_code)
    if not (has_perm(request.user, Perm.VIEW_MATTERS, commune)
            or has_perm(request.user, Perm.REGISTER_ASSISTED, commune)):
        raise Forbidden(_("Bạn không có quyền xem hồ sơ của xã này."))
    qs = matters_in_commune(request.user, commune).order_by("-received_at")[:LIST_LIMIT]
    return [_row(m) for m in qs]


@router.get("/communes/{ward_code}/matters/{matter_id}", response=MatterDetail,
            summary="One matter")
def get_matter(request: HttpRequest, ward_code: int, matter_id: int) -> dict[str, Any]:
    commune = _commune(ward_code)
    try:
        m = matter_get_for_user(request.user, commune, matter_id)
    except Http404:
        raise NotFound(_("Không tìm thấy hồ sơ.")) from None
    audit.record(AuditAction.VIEW, m, actor=request.user, commune=commune, request=request,
                 summary=f"Xem hồ sơ {m.tracking_code} (API)")
    return {**_row(m), "full_name": m.full_name, "id_type": m.id_type, "id_number": m.id_number,
            "phone": m.phone, "content": m.content,
            "attachments": [{"id": a.pk, "name": a.original_name, "size": a.size,
                             "pages": a.pages} for a in m.attachments.all()]}
