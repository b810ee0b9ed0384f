"""Report pages: a commune's periodic report, the city dashboard comparing its communes, their
XLSX exports, and the results report the office issues to the city. Figures come from
``figures``; permissions from ``selectors``; views only parse, call and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tiepdan.core import audit
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.downloads import ExportFailed, build_file, file_response
from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.core.models import City, Commune
from tiepdan.core.selectors import commune_get_for_user
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required

from . import charts
from .figures import UNCLASSIFIED, Report, city_report, commune_report
from .forms import NarrativeForm, PeriodForm
from .narrative import Narrative, figure_sentences, issue_results_report, issued_reports
from .periods import Period, current_period, parse_period
from .selectors import ISSUE_DENIED, REPORTS_DENIED, city_get_for_user
from .tables import BY_KEY, COLUMNS, sort_rows
from .xlsx import write_report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _commune_for(request: HttpRequest, ward_code: int) -> Commune:
    return commune_get_for_user(request.user, ward_code, Perm.VIEW_REPORTS, REPORTS_DENIED)


def _city_for(request: HttpRequest, city_id: int) -> City:
    return city_get_for_user(request.user, city_id)


def _period(request: HttpRequest) -> tuple[Period | None, PeriodForm, InvalidInput | None]:
    """The period asked for, the form showing it, and the error if it is not valid."""
    try:
        period = parse_period(request.GET)
    except InvalidInput as exc:
        form = PeriodForm(request.GET)
        form.is_valid()
        for field, errors in exc.field_errors.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error["message"])
        return None, form, exc
    return period, PeriodForm(initial=period.as_query()), None


def commune_charts(report: Report) -> list[Any]:
    """The charts of one report (an empty period gets none: the page says it is empty)."""
    if report.is_empty:
        return []
    total = report.total
    made = [
        charts.bar_chart(_("Đơn tiếp nhận theo loại"),
                         [(label, n) for _code, label, n in total.kinds()]),
        charts.bar_chart(_("Đơn tiếp nhận theo hình thức"),
                         [(_("Trực tuyến"), total.online), (_("Trực tiếp"), total.in_person)]),
    ]
    fields = [(name if name != UNCLASSIFIED else _("Chưa phân loại"), n)
              for name, n in total.fields()[:10]]
    if fields:
        made.append(charts.bar_chart(_("Đơn tiếp nhận theo lĩnh vực"), fields))
    if total.deadlines_counted or total.deadlines_overdue:
        made.append(charts.bar_chart(_("Thời hạn xử lý đến hạn trong kỳ"), [
            (_("Đúng hạn"), total.deadlines_met), (_("Trễ hạn"), total.deadlines_missed),
            (_("Quá hạn, chưa xử lý"), total.deadlines_overdue)]))
    follow = total.follow_up
    if follow.available and follow.total:
        made.append(charts.bar_chart(_("Nhiệm vụ theo dõi kết quả"), [
            (_("Đã hoàn thành"), follow.done), (_("Chưa hoàn thành"), follow.total - follow.done),
            (_("Quá hạn"), follow.overdue)]))
    return made


@staff_required
@require_GET
def commune_report_page(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    commune = _commune_for(request, ward_code)
    period, form, error = _period(request)
    context: dict[str, Any] = {"commune": commune, "form": form, "error": error}
    if period is None:
        return render(request, "reports/commune_report.html", context, status=422)
    report = commune_report(commune, period)
    context.update(report=report, period=period, query=period.as_query(),
                   charts=commune_charts(report), columns=COLUMNS,
                   may_issue=has_perm(request.user, Perm.ISSUE_REPORTS, commune))
    return render(request, "reports/commune_report.html", context)


@staff_required
@require_GET
def city_report_page(request: AuthenticatedHttpRequest, city_id: int) -> HttpResponse:
    city = _city_for(request, city_id)
    period, form, error = _period(request)
    context: dict[str, Any] = {"city": city, "form": form, "error": error}
    if period is None:
        return render(request, "reports/city_report.html", context, status=422)
    report = city_report(city, period)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in BY_KEY or sort == "name" else "name"
    descending = request.GET.get("dir") == "desc"
    rows = sort_rows(report.communes, sort, descending)
    top_received = max((f.received for f in rows), default=0)
    context.update(
        report=report, period=period, query=period.as_query(), columns=COLUMNS,
        sort=sort, descending=descending, charts=commune_charts(report),
        rows=[(f, [c.cell(f) for c in COLUMNS],
               charts.inline_bar(f.received, top_received, label=_(
                   "%(name)s: %(n)s đơn") % {"name": f.name, "n": f.received}),
               charts.inline_bar((f.met_share or 0) * 100, 100, label=_(
                   "%(name)s: tỷ lệ đúng hạn %(share)s") % {
                   "name": f.name, "share": BY_KEY["met_share"].cell(f)}))
              for f in rows],
        total_cells=[c.cell(report.total) for c in COLUMNS],
        comparison=None if report.is_empty else charts.bar_chart(
            _("Đơn tiếp nhận theo xã"),
            [(f.name, f.received) for f in sort_rows(report.communes, "received", True)[:20]]),
    )
    return render(request, "reports/city_report.html", context)


def _xlsx_response(request: HttpRequest, report: Report, *, title: str, issuer: str,
                   filename: str, commune: Commune | None, object_id: str) -> HttpResponseBase:
    try:
        handle, _none = build_file(lambda out: write_report_xlsx(report, title, issuer, out))
    except ExportFailed as exc:
        return render(request, "error.html", {"title": _("Không xuất được báo cáo"),
                                              "text": str(exc.message)}, status=exc.status)
    audit.record("reports.report.exported", actor=request.user, commune=commune,
                 request=request, object_type="reports.report", object_id=object_id,
                 data={"period": str(report.period.label)})
    return file_response(handle, content_type=XLSX, filename=filename)


def report_title() -> str:
    return _("Báo cáo kết quả công tác tiếp công dân")


@staff_required
@require_GET
def commune_report_xlsx(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponseBase:
    commune = _commune_for(request, ward_code)
    try:
        period = parse_period(request.GET)
    except InvalidInput as exc:
        return HttpResponse(str(exc.message), status=422, content_type="text/plain")
    return _xlsx_response(request, commune_report(commune, period), title=report_title(),
                          issuer=commune.committee_name, commune=commune,
                          object_id=str(commune.ward_code),
                          filename=f"bao-cao-{commune.ward_code}-{period.slug}.xlsx")


@staff_required
@require_GET
def city_report_xlsx(request: AuthenticatedHttpRequest, city_id: int) -> HttpResponseBase:
    city = _city_for(request, city_id)
    try:
        period = parse_period(request.GET)
    except InvalidInput as exc:
        return HttpResponse(str(exc.message), status=422, content_type="text/plain")
    return _xlsx_response(request, city_report(city, period), title=report_title(),
                          issuer=city.name, commune=None, object_id=f"city:{city.pk}",
                          filename=f"bao-cao-thanh-pho-{city.province_code}-{period.slug}.xlsx")


@staff_required
@require_http_methods(["GET", "POST"])
def results_report_page(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    """Báo cáo kết quả: the figures of the period and the office's narrative, issued as BC."""
    commune = commune_get_for_user(request.user, ward_code, Perm.ISSUE_REPORTS, ISSUE_DENIED)
    params = request.POST if request.method == "POST" else request.GET
    try:
        period = parse_period(params) if any(params.get(k) for k in ("kind", "year")) \
            else current_period()
    except InvalidInput as exc:
        return render(request, "error.html", {"title": _("Kỳ báo cáo không hợp lệ"),
                                              "text": _format_errors(exc)}, status=422)
    form = NarrativeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        narrative = Narrative(**form.cleaned_data)
        try:
            document = issue_results_report(commune, period, narrative, actor=request.user)
        except InvalidInput as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error["message"])
            status = 422
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = 422
        else:
            messages.success(request, _("Đã ban hành báo cáo số %(symbol)s.") % {
                "symbol": document.symbol})
            url = reverse("reports:results", args=[commune.ward_code])
            return HttpResponseRedirect(
                f"{url}?kind={period.kind}&year={period.year}&number={period.number}")
    report = commune_report(commune, period)
    return render(request, "reports/results_report.html", {
        "commune": commune, "period": period, "report": report, "form": form,
        "sentences": figure_sentences(report), "issued": issued_reports(commune),
    }, status=status)


def _format_errors(exc: InvalidInput) -> str:
    details = [e["message"] for errors in exc.field_errors.values() for e in errors]
    return " ".join([str(exc.message), *details])
