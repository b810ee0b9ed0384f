"""Minutes and conclusions API (staff); handlers only call the services."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Status

from tiepdan.core import access, access_log
from tiepdan.core.api_types import Id, Ref, one_of
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.errors import NotFound
from tiepdan.core.schemas import InputSchema
from tiepdan.documents.models import IssuedDocument
from tiepdan.hearings.models import Hearing
from tiepdan.hearings.selectors import hearing_get_for_user

from . import drafting, services
from .api_schemas import ConclusionOut, MinutesBodyOut
from .errors import MinutesStateError
from .models import Conclusion, Minutes, Outcome

router = Router(tags=["Cán bộ: biên bản, kết luận buổi tiếp"], auth=StaffAuth())

_BASE = "/communes/{ward_code}/hearings/{hearing_id}"


#: Refusal of the minutes and conclusions of a commune where the user may not.
DENIED = gettext_lazy("Bạn không có quyền với biên bản, kết luận buổi tiếp của xã này.")


def _document(document: IssuedDocument | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return {"id": document.pk, "symbol": document.symbol,
            "pdf_url": reverse("documents:download", args=[document.pk, "pdf"]),
            "docx_url": reverse("documents:download", args=[document.pk, "docx"])}


def _minutes_out(m: Minutes) -> dict[str, Any]:
    return {
        "id": m.pk, "version": m.version, "status": m.status, "opening": m.opening,
        "chair": m.chair, "attendance": m.attendance, "matters": m.matters,
        "timeline": [{**row, "link": drafting.recording_link(m.hearing, row["offset"])}
                     for row in m.timeline],
        **{name: getattr(m, name) for name in services.SECTIONS},
        "missing": services.missing_parts(m) if not m.is_final else {},
        "finalised_at": m.finalised_at.isoformat() if m.finalised_at else None,
        "document": _document(m.document),
    }


def _minutes_body(hearing: Hearing) -> dict[str, Any]:
    versions = list(hearing.minutes.select_related("document"))
    return {"current": _minutes_out(versions[0]) if versions else None,
            "versions": [{"id": v.pk, "version": v.version, "status": v.status,
                          "finalised_at": v.finalised_at.isoformat() if v.finalised_at else None,
                          "document": _document(v.document)} for v in versions]}


def _conclusion_out(c: Conclusion) -> dict[str, Any]:
    return {
        "id": c.pk, "matter": c.matter.tracking_code, "matter_id": c.matter_id,
        "matter_status": c.matter.status, "outcome": c.outcome, "directions": c.directions,
        "responsible_bodies": c.responsible_bodies,
        "deadline_working_days": c.deadline_working_days,
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "deadline_explanation": c.deadline_explanation, "contact_person": c.contact_person,
        "notice": _document(c.notice),
        "notice_issued_at": c.notice_issued_at.isoformat() if c.notice_issued_at else None,
    }


def _current(hearing: Hearing) -> Minutes:
    minutes = services.current_minutes(hearing)
    if minutes is None:
        raise MinutesStateError(_("Buổi tiếp chưa có biên bản; hãy lập dự thảo trước."),
                                code="no_minutes")
    return minutes


class SectionsIn(InputSchema):
    multiline = frozenset({"proceedings", "citizen_opinions", "chair_conclusion"})
    proceedings: str | None = None
    citizen_opinions: str | None = None
    chair_conclusion: str | None = None
    chair_name: str | None = None
    secretary_name: str | None = None


class BodyIn(InputSchema):
    """A body of the commune's list by ``id`` (or, from older clients, by name)."""

    id: Ref | None = None
    name: str = ""
    email: str = ""


class ConclusionIn(InputSchema):
    multiline = frozenset({"directions"})
    matter: str  # tracking code
    outcome: Annotated[str, one_of(Outcome)]
    directions: str
    responsible_bodies: list[Ref | BodyIn] = []  # body ids, or {"id"} / {"name"}
    deadline_working_days: int | None = None
    contact_person: str = ""


@router.get(_BASE + "/minutes", response=MinutesBodyOut,
            summary="Current minutes of a hearing and all their versions")
def get_minutes(request: HttpRequest, ward_code: Id, hearing_id: Id) -> dict[str, Any]:
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, access.READ_MINUTES,
                                   DENIED)
    body = _minutes_body(hearing)
    if body["current"] is not None:
        access_log.log_access("minutes.minutes.viewed_via_api", actor=request.user,
                              commune=hearing.commune, request=request,
                              object_type="minutes.minutes", object_id=str(body["current"]["id"]),
                              data={"hearing": str(hearing.pk)})
    return body


@router.post(_BASE + "/minutes", response={201: MinutesBodyOut},
             summary="Draft the minutes from the hearing's data (or refresh the draft's data)")
def draft(request: HttpRequest, ward_code: Id, hearing_id: Id):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, access.EDIT_MINUTES,
                                   DENIED)
    services.draft_minutes(hearing, actor=request.user)
    return Status(201, _minutes_body(hearing))


@router.put(_BASE + "/minutes", response=MinutesBodyOut,
            summary="Write the officer's sections of the draft")
def put_sections(request: HttpRequest, ward_code: Id, hearing_id: Id,
                 payload: SectionsIn) -> dict[str, Any]:
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, access.EDIT_MINUTES,
                                   DENIED)
    sections = {k: v for k, v in payload.dict().items() if v is not None}
    services.update_sections(_current(hearing), actor=request.user, **sections)
    return _minutes_body(hearing)


@router.post(_BASE + "/minutes/finalise", response=MinutesBodyOut,
             summary="Finalise the draft (immutable afterwards); issues the Biên bản (BB)")
def finalise(request: HttpRequest, ward_code: Id, hearing_id: Id) -> dict[str, Any]:
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, access.EDIT_MINUTES,
                                   DENIED)
    services.finalise(_current(hearing), actor=request.user)
    return _minutes_body(hearing)


@router.post(_BASE + "/minutes/new-version", response={201: MinutesBodyOut},
             summary="Correct final minutes: a new draft version copied from the last one")
def new_version(request: HttpRequest, ward_code: Id, hearing_id: Id):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, access.EDIT_MINUTES,
                                   DENIED)
    services.new_version(_current(hearing), actor=request.user)
    return Status(201, _minutes_body(hearing))


@router.get(_BASE + "/conclusions", response=list[ConclusionOut],
            summary="The chair's conclusions per matter")
def list_conclusions(request: HttpRequest, ward_code: Id,
                     hearing_id: Id) -> list[dict[str, Any]]:
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, access.READ_MINUTES,
                                   DENIED)
    return [_conclusion_out(c)
            for c in hearing.conclusions.select_related("matter", "notice")]


@router.post(_BASE + "/conclusions", response={201: ConclusionOut},
             summary="Record (or correct, until its notice is issued) a conclusion")
def record(request: HttpRequest, ward_code: Id, hearing_id: Id, payload: ConclusionIn):
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, access.CONCLUDE,
                                   DENIED)
    item = hearing.agenda.select_related("matter").filter(
        matter__tracking_code=payload.matter).first()
    if item is None:
        raise NotFound(_("Vụ việc không có trong chương trình buổi tiếp này."))
    conclusion = services.record_conclusion(
        hearing, item.matter, actor=request.user, outcome=payload.outcome,
        directions=payload.directions,
        responsible_bodies=[b if isinstance(b, int) else b.dict()
                            for b in payload.responsible_bodies],
        deadline_working_days=payload.deadline_working_days,
        contact_person=payload.contact_person)
    return Status(201, _conclusion_out(conclusion))


@router.post(_BASE + "/conclusions/{conclusion_id}/issue-notice", response=ConclusionOut,
             summary="Issue and send the Thông báo kết luận việc tiếp công dân (TB)")
def issue_notice(request: HttpRequest, ward_code: Id, hearing_id: Id,
                 conclusion_id: Id) -> dict[str, Any]:
    hearing = hearing_get_for_user(request.user, ward_code, hearing_id, access.CONCLUDE,
                                   DENIED)
    conclusion = hearing.conclusions.filter(pk=conclusion_id).first()
    if conclusion is None:
        raise NotFound(_("Không tìm thấy kết luận."))
    conclusion = services.issue_conclusion_notice(conclusion, actor=request.user)
    return _conclusion_out(Conclusion.objects.select_related("matter", "notice").get(
        pk=conclusion.pk))
