"""Staff API of the reports: a commune's figures and the city's (per commune and total) for a
period, as JSON or XLSX; permission-checked like the pages, errors in the API's one shape."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from tiepdan.core import audit
from tiepdan.core.access import Perm
from tiepdan.core.api_types import XLSX as API_XLSX
from tiepdan.core.api_types import Id, file_download
from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.downloads import build_file, file_response
from tiepdan.core.models import Commune
from tiepdan.core.schemas import InputSchema
from tiepdan.core.selectors import commune_get_for_user

from .figures import CommuneFigures, Report, city_report, commune_report
from .periods import parse_period
from .selectors import REPORTS_DENIED, city_get_for_user
from .views import XLSX, report_title
from .xlsx import write_report_xlsx

router = Router(tags=["Cán bộ: báo cáo, thống kê"], auth=StaffAuth())


class PeriodIn(InputSchema):
    kind: str = ""
    year: str = ""
    number: str = ""


class PeriodOut(Schema):
    kind: str
    year: int
    number: int
    label: str
    start: str
    end: str


class DeadlinesOut(Schema):
    counted: int
    met: int
    missed: int
    overdue_open: int
    met_share: float | None


class FollowUpOut(Schema):
    available: bool
    total: int
    done: int
    overdue: int
    completion: float | None


class FiguresOut(Schema):
    ward_code: int | None
    name: str
    received: int
    by_kind: dict[str, int]
    by_field: dict[str, int]
    by_channel: dict[str, int]
    hearings_held: int
    deadlines: DeadlinesOut
    follow_up: FollowUpOut
    overdue_items: int


class ReportOut(Schema):
    period: PeriodOut
    partial: bool
    empty: bool
    message: str | None
    total: FiguresOut
    communes: list[FiguresOut]


def _figures(f: CommuneFigures) -> dict[str, Any]:
    return {
        "ward_code": f.ward_code, "name": f.name, "received": f.received,
        "by_kind": {code: n for code, _label, n in f.kinds()}, "by_field": f.by_field,
        "by_channel": {"online": f.online, "in_person": f.in_person},
        "hearings_held": f.hearings_held,
        "deadlines": {"counted": f.deadlines_counted, "met": f.deadlines_met,
                      "missed": f.deadlines_missed, "overdue_open": f.deadlines_overdue,
                      "met_share": f.met_share},
        "follow_up": {"available": f.follow_up.available, "total": f.follow_up.total,
                      "done": f.follow_up.done, "overdue": f.follow_up.overdue,
                      "completion": f.follow_up.completion},
        "overdue_items": f.overdue_items,
    }


def _report(report: Report, per_commune: bool) -> dict[str, Any]:
    period = report.period
    return {
        "period": {"kind": period.kind.value, "year": period.year, "number": period.number,
                   "label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat()},
        "partial": report.is_partial, "empty": report.is_empty,
        "message": _("Không có số liệu nào trong kỳ %(period)s.") % {"period": period.label}
        if report.is_empty else None,
        "total": _figures(report.total),
        "communes": [_figures(f) for f in report.communes] if per_commune else [],
    }


def _commune(request: HttpRequest, ward_code: int) -> Commune:
    return commune_get_for_user(request.user, ward_code, Perm.VIEW_REPORTS, REPORTS_DENIED)


@router.get("/communes/{ward_code}/reports", response=ReportOut,
            summary="Figures of the commune's periodic report (month, quarter, half, year)")
def commune_figures(request: HttpRequest, ward_code: Id,
                    period: Query[PeriodIn]) -> dict[str, Any]:
    commune = _commune(request, ward_code)
    return _report(commune_report(commune, parse_period(period.dict())), per_commune=False)


@router.get("/cities/{city_id}/reports", response=ReportOut,
            summary="Figures of every commune of the city and the city-wide total")
def city_figures(request: HttpRequest, city_id: Id, period: Query[PeriodIn]) -> dict[str, Any]:
    city = city_get_for_user(request.user, city_id)
    return _report(city_report(city, parse_period(period.dict())), per_commune=True)


def _xlsx(request: HttpRequest, report: Report, issuer: str, filename: str,
          commune: Commune | None, object_id: str) -> HttpResponseBase:
    handle, _none = build_file(lambda out: write_report_xlsx(report, report_title(), issuer,
                                                             out))
    audit.record("reports.report.exported_via_api", actor=request.user, commune=commune,
                 request=request, object_type="reports.report", object_id=object_id,
                 data={"period": str(report.period.label)})
    return file_response(handle, content_type=XLSX, filename=filename)


@router.get("/communes/{ward_code}/reports.xlsx",
            openapi_extra=file_download(API_XLSX, "Báo cáo định kỳ của xã (XLSX)"),
            summary="The commune's periodic report as an XLSX file")
def commune_xlsx(request: HttpRequest, ward_code: Id, period: Query[PeriodIn]) -> HttpResponseBase:
    commune = _commune(request, ward_code)
    chosen = parse_period(period.dict())
    return _xlsx(request, commune_report(commune, chosen), commune.committee_name,
                 f"bao-cao-{commune.ward_code}-{chosen.slug}.xlsx", commune,
                 str(commune.ward_code))


@router.get("/cities/{city_id}/reports.xlsx",
            openapi_extra=file_download(API_XLSX, "Báo cáo định kỳ của thành phố (XLSX)"),
            summary="The city's periodic report (every commune) as an XLSX file")
def city_xlsx(request: HttpRequest, city_id: Id, period: Query[PeriodIn]) -> HttpResponseBase:
    city = city_get_for_user(request.user, city_id)
    chosen = parse_period(period.dict())
    return _xlsx(request, city_report(city, chosen), city.name,
                 f"bao-cao-thanh-pho-{city.province_code}-{chosen.slug}.xlsx", None,
                 f"city:{city.pk}")
