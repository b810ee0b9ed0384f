"""Staff API of the register: the entries of a commune's Sổ tiếp công dân (paginated JSON) and
its XLSX export; permission-checked and audited like the pages."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Query, Router, Schema

from tiepdan.core import access_log
from tiepdan.core.access import Perm
from tiepdan.core.api_types import PDF, XLSX, Id, file_download, within
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.models import Commune
from tiepdan.core.schemas import InputSchema
from tiepdan.core.selectors import commune_get_for_user

from .columns import row_of
from .selectors import REGISTER_DENIED, parse_filter, register_entries
from .views import OBJECT_TYPE, export_response

router = Router(tags=["Cán bộ: sổ tiếp công dân"], auth=StaffAuth())

PAGE_SIZE = 100


class FilterIn(InputSchema):
    year: Annotated[int, within(1900, 9999)] | None = None
    month: Annotated[int, within(1, 12)] | None = None
    kind: str = ""
    outcome: str = ""


class EntryOut(Schema):
    matter_id: int
    tracking_code: str
    number: int  # (1) STT
    received_on: str  # (2) ngày tiếp
    name_address: str  # (3) — masked for denunciations
    id_number: str  # (4) — masked for denunciations
    summary: str  # (5)
    kind: str  # (6) code; kind_label: its label
    kind_label: str
    group_size: int  # (7)
    prior_agency: str  # (8)
    within_competence: bool | None  # (9)
    guided_to: str  # (10)
    handled_by: str  # (11)
    outcome: str
    follow_up: str  # (12)
    follow_up_status: str
    notes: str  # (13)
    refusal_notice_id: int | None


class EntryPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[EntryOut]


def _commune(request: HttpRequest, ward_code: int) -> Commune:
    return commune_get_for_user(request.user, ward_code, Perm.VIEW_MATTERS, REGISTER_DENIED)


def _item(entry: Any) -> dict[str, Any]:
    cells = row_of(entry).cells
    return {
        "matter_id": entry.matter_id, "tracking_code": entry.matter.tracking_code,
        "number": entry.number, "received_on": entry.received_on.isoformat(),
        "name_address": cells[2], "id_number": cells[3], "summary": entry.summary,
        "kind": entry.kind, "kind_label": cells[5], "group_size": entry.group_size,
        "prior_agency": entry.prior_agency, "within_competence": entry.within_competence,
        "guided_to": cells[9], "handled_by": cells[10], "outcome": entry.outcome,
        "follow_up": cells[11], "follow_up_status": entry.follow_up_status, "notes": cells[12],
        "refusal_notice_id": entry.refusal_notice_id,
    }


@router.get("/communes/{ward_code}/register", response=EntryPage,
            summary="Entries of the commune's Sổ tiếp công dân (03/TCD)")
def list_entries(request: HttpRequest, ward_code: Id, filters: Query[FilterIn],
                 page: Annotated[int, within(1)] = 1) -> dict[str, Any]:
    commune = _commune(request, ward_code)
    flt, _form = parse_filter(filters.dict(exclude_none=True))
    paginator = Paginator(register_entries(commune, flt), PAGE_SIZE)
    current = paginator.get_page(page)
    access_log.log_access("register.register.viewed_via_api", actor=request.user,
                          commune=commune, request=request, object_type=OBJECT_TYPE,
                          object_id=str(commune.ward_code),
                          data={"filter": flt.describe(), "page": current.number})
    return {"count": paginator.count, "page": current.number, "pages": paginator.num_pages,
            "page_size": PAGE_SIZE, "items": [_item(entry) for entry in current]}


@router.get("/communes/{ward_code}/register.xlsx",
            openapi_extra=file_download(XLSX, "Sổ tiếp công dân (XLSX)"),
            summary="The commune's Sổ tiếp công dân as an XLSX file (streamed)")
def export_entries(request: HttpRequest, ward_code: Id,
                   filters: Query[FilterIn]) -> HttpResponseBase:
    commune = _commune(request, ward_code)
    flt, _form = parse_filter(filters.dict(exclude_none=True))
    return export_response(request, commune, flt)


@router.get("/communes/{ward_code}/register.pdf",
            openapi_extra=file_download(PDF, "Sổ tiếp công dân (PDF)"),
            summary="The commune's Sổ tiếp công dân as a PDF file (A4 landscape, 13 columns)")
def export_entries_pdf(request: HttpRequest, ward_code: Id,
                       filters: Query[FilterIn]) -> HttpResponseBase:
    commune = _commune(request, ward_code)
    flt, _form = parse_filter(filters.dict(exclude_none=True))
    return export_response(request, commune, flt, "pdf")
