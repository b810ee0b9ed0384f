"""Staff pages of the register: the commune's Sổ tiếp công dân, its XLSX export, and the
(re)issue of a refused matter's notice 01/TCD. Rules live in services, selectors, export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tiepdan.core import access_log
from tiepdan.core.access import Perm
from tiepdan.core.downloads import ExportFailed, build_file, file_response
from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.core.models import Commune
from tiepdan.core.selectors import commune_get_for_user
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required
from tiepdan.intake.selectors import matter_get_for_user

from .columns import HEADERS, row_of
from .export import write_register_xlsx
from .pdf_export import write_register_pdf
from .refusal_notice import issue_refusal_notice
from .selectors import (
    REGISTER_DENIED,
    RegisterFilter,
    RegisterFilterForm,
    export_records,
    parse_filter,
    register_entries,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "pdf": "application/pdf"}
OBJECT_TYPE = "register.registerentry"


def _commune_for(request: HttpRequest, ward_code: int) -> Commune:
    return commune_get_for_user(request.user, ward_code, Perm.VIEW_MATTERS, REGISTER_DENIED)


@staff_required
@require_GET
def register_page(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    commune = _commune_for(request, ward_code)
    try:
        flt, form = parse_filter(request.GET)
    except InvalidInput:
        form = RegisterFilterForm(request.GET)
        form.is_valid()
        return render(request, "register/register.html", {
            "commune": commune, "form": form, "headers": HEADERS, "rows": [],
        }, status=422)
    page = Paginator(register_entries(commune, flt), PAGE_SIZE).get_page(request.GET.get("page"))
    access_log.log_access("register.register.viewed", actor=request.user, commune=commune,
                          request=request, object_type=OBJECT_TYPE,
                          object_id=str(commune.ward_code),
                          data={"filter": flt.describe(), "page": page.number})
    return render(request, "register/register.html", {
        "commune": commune, "form": form, "filter": flt, "headers": HEADERS,
        "numbers": range(1, len(HEADERS) + 1), "page": page,
        "rows": [row_of(entry) for entry in page], "query": flt.as_query(),
    })


def export_response(request: HttpRequest, commune: Commune, flt: RegisterFilter,
                    fmt: str = "xlsx") -> FileResponse:
    """The XLSX (or PDF) of ``commune``'s register under ``flt``, written whole to a temporary
    file (rows streamed from the database into it, see ``export`` and ``pdf_export``), then
    streamed out; audited as an export. Raises ``ExportFailed`` (nothing is sent) if writing
    fails half-way."""
    writer = write_register_pdf if fmt == "pdf" else write_register_xlsx
    handle, count = build_file(lambda out: writer(
        commune, flt, export_records(commune, flt), out))
    access_log.log_access("register.register.exported", actor=request.user, commune=commune,
                          request=request, object_type=OBJECT_TYPE,
                          object_id=str(commune.ward_code),
                          data={"format": fmt.upper(), "filter": flt.describe(), "rows": count})
    suffix = f"{flt.year}-{flt.month:02d}" if flt.month else f"{flt.year}"
    return file_response(handle, content_type=CONTENT_TYPES[fmt],
                         filename=f"so-tiep-cong-dan-{commune.ward_code}-{suffix}.{fmt}")


def _export_page(request: HttpRequest, ward_code: int, fmt: str) -> HttpResponseBase:
    commune = _commune_for(request, ward_code)
    try:
        flt, _form = parse_filter(request.GET)
    except InvalidInput as exc:
        return HttpResponse(str(exc.message), status=422, content_type="text/plain")
    try:
        return export_response(request, commune, flt, fmt)
    except ExportFailed as exc:
        return render(request, "error.html", {
            "title": _("Không xuất được sổ tiếp công dân"), "text": str(exc.message)},
            status=exc.status)


@staff_required
@require_GET
def register_export(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponseBase:
    return _export_page(request, ward_code, "xlsx")


@staff_required
@require_GET
def register_export_pdf(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponseBase:
    return _export_page(request, ward_code, "pdf")


@staff_required
@require_POST
def issue_notice(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    """Phát hành thông báo 01/TCD: the retry after the automatic issue failed."""
    matter = matter_get_for_user(request.user, ward_code, pk, Perm.TRIAGE)
    try:
        document = issue_refusal_notice(matter, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã phát hành thông báo từ chối tiếp công dân số "
                                    "%(symbol)s.") % {"symbol": document.symbol})
    return HttpResponseRedirect(reverse("intake:matter", args=[ward_code, matter.pk]))
