"""Staff API of split, duplicate and merge (rules in ``intake.links.splitting``,
``intake.links.duplicates`` and ``intake.links.groups``)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tiepdan.core.access import Perm
from tiepdan.core.api_types import Id, Ref, one_of
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.errors import InvalidInput
from tiepdan.core.schemas import InputSchema

from ..models import Matter, MatterKind
from ..selectors import matter_get_for_user, matters_in_commune
from ..triage.state_machine import TRIAGE_DENIED
from . import duplicates, groups, splitting
from .shared import field_error

router = Router(tags=["Cán bộ: tách đơn, đơn trùng, gộp thành viên nhóm"], auth=StaffAuth())

_BASE = "/communes/{ward_code}/matters/{matter_id}"


class MatterRef(Schema):
    id: int
    tracking_code: str
    status: str
    kind: str


class PartIn(InputSchema):
    multiline = frozenset({"content"})
    kind: Annotated[str, one_of(MatterKind)]
    summary: str
    content: str
    attachment_ids: list[Ref] = []


class RemainingIn(InputSchema):
    multiline = frozenset({"content"})
    kind: Annotated[str, one_of(MatterKind)]
    summary: str
    content: str


class SplitIn(InputSchema):
    multiline = frozenset({"reason"})
    parts: list[PartIn]
    remaining: RemainingIn | None = None
    reason: str


class SplitOut(Schema):
    original: MatterRef
    created: list[MatterRef]


class SuggestionOut(Schema):
    matter: MatterRef
    summary: str
    received_at: str
    reasons: list[str]
    reason_labels: list[str]
    score: float


class PairIn(InputSchema):
    multiline = frozenset({"reason"})
    other_id: Ref
    reason: str = ""


class LinkOut(Schema):
    id: int
    from_matter_id: int
    to_matter_id: int
    kind: str


class DismissalOut(Schema):
    id: int
    matter_ids: list[int]


class MergeIn(InputSchema):
    multiline = frozenset({"reason"})
    member_ids: list[Ref]
    reason: str
    already_counted: bool = False


class MergeOut(Schema):
    group: MatterRef
    group_size: int
    merged: list[MatterRef]


def _ref(matter: Matter) -> dict[str, Any]:
    return {"id": matter.pk, "tracking_code": matter.tracking_code, "status": matter.status,
            "kind": matter.kind}


def _matter(request: HttpRequest, ward_code: int, matter_id: int) -> Matter:
    """The matter, visible to the user and triaged by them (404 / 403 otherwise)."""
    return matter_get_for_user(request.user, ward_code, matter_id, Perm.TRIAGE, TRIAGE_DENIED)


def _others(request: HttpRequest, matter: Matter, ids: list[int], field: str) -> list[Matter]:
    """Other matters of the same commune, by id; an unknown id is an input error."""
    found = matters_in_commune(request.user, matter.commune).in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        message = _("Không tìm thấy hồ sơ số %(ids)s trong xã này.") % {
            "ids": ", ".join(map(str, missing))}
        raise InvalidInput(message, field_errors=field_error(field, message, code="unknown"))
    return [found[pk] for pk in ids]


@router.post(f"{_BASE}/split", response={201: SplitOut}, summary="Split a mixed petition")
def split(request: HttpRequest, ward_code: Id, matter_id: Id,
          payload: SplitIn) -> Status:
    matter = _matter(request, ward_code, matter_id)
    created = splitting.split_matter(
        matter, [p.dict() for p in payload.parts], actor=request.user, reason=payload.reason,
        request=request, remaining=payload.remaining.dict() if payload.remaining else None,
    )
    matter.refresh_from_db()
    return Status(201, {"original": _ref(matter), "created": [_ref(m) for m in created]})


@router.get(f"{_BASE}/duplicate-suggestions", response=list[SuggestionOut],
            summary="Possible duplicates of a matter")
def duplicate_suggestions(request: HttpRequest, ward_code: Id,
                          matter_id: Id) -> list[dict[str, Any]]:
    matter = _matter(request, ward_code, matter_id)
    return [{"matter": _ref(s.matter), "summary": s.matter.summary,
             "received_at": s.matter.received_at.isoformat(), "reasons": list(s.reasons),
             "reason_labels": s.reason_labels, "score": s.score}
            for s in duplicates.suggest(matter, user=request.user)]


@router.post(f"{_BASE}/duplicate-links", response={201: LinkOut},
             summary="Link a matter and its duplicate")
def duplicate_link(request: HttpRequest, ward_code: Id, matter_id: Id,
                   payload: PairIn) -> Status:
    matter = _matter(request, ward_code, matter_id)
    [other] = _others(request, matter, [payload.other_id], "other_id")
    link = duplicates.link(matter, other, actor=request.user, reason=payload.reason,
                           request=request)
    return Status(201, {"id": link.pk, "from_matter_id": link.from_matter_id,
                        "to_matter_id": link.to_matter_id, "kind": link.kind})


@router.post(f"{_BASE}/duplicate-dismissals", response={201: DismissalOut},
             summary="Dismiss a duplicate suggestion for good")
def duplicate_dismissal(request: HttpRequest, ward_code: Id, matter_id: Id,
                        payload: PairIn) -> Status:
    matter = _matter(request, ward_code, matter_id)
    [other] = _others(request, matter, [payload.other_id], "other_id")
    dismissal = duplicates.dismiss(matter, other, actor=request.user, reason=payload.reason,
                                   request=request)
    return Status(201, {"id": dismissal.pk,
                        "matter_ids": [dismissal.matter_a_id, dismissal.matter_b_id]})


@router.post(f"{_BASE}/merge", response=MergeOut,
             summary="Merge members' own registrations into this group matter")
def merge(request: HttpRequest, ward_code: Id, matter_id: Id,
          payload: MergeIn) -> dict[str, Any]:
    group = _matter(request, ward_code, matter_id)
    members = _others(request, group, payload.member_ids, "member_ids")
    group = groups.merge_into(group, members, actor=request.user, reason=payload.reason,
                              request=request, already_counted=payload.already_counted)
    merged = Matter.objects.filter(pk__in=payload.member_ids).order_by("pk")
    return {"group": _ref(group), "group_size": group.group_size,
            "merged": [_ref(m) for m in merged]}
