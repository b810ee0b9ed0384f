"""The citizen's page to read and confirm a Biên bản (a personal signed link, no login), and
the staff's views of the answers: the Phiếu xác nhận PDF and the section of the document page.
The rules are in ``confirmation``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tiepdan.core import access, access_log, audit
from tiepdan.core.errors import DomainError, NotFound
from tiepdan.core.selectors import commune_get_for_user
from tiepdan.core.throttling import over_limit
from tiepdan.core.views.auth import staff_required
from tiepdan.documents.models import IssuedDocument
from tiepdan.documents.signing import official_pdf, official_sha256

from . import confirmation, paperwork
from .confirmation_sheet import sheet_pdf
from .forms import ConfirmationForm
from .models import ConfirmationRequest, Minutes

#: Per client address: codes asked for, and answers tried (on top of the per-link limits).
SEND_RATE = "10/h"
ANSWER_RATE = "30/h"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    # The link is personal: no other site learns it ("no-referrer" would make the browser
    # send "Origin: null" with the page's own forms, which CSRF protection refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _private(
        render(
            request,
            "error.html",
            {"title": _("Không mở được biên bản"), "text": str(exc.message)},
            status=404,
        )
    )


def _page(
    request: HttpRequest,
    token: str,
    person: ConfirmationRequest,
    form: ConfirmationForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    minutes = person.minutes
    document = minutes.document
    response = getattr(person, "response", None)
    sha = official_sha256(document)
    return _private(
        render(
            request,
            "minutes/confirm.html",
            {
                "token": token,
                "person": person,
                "minutes": minutes,
                "document": document,
                "hearing": minutes.hearing,
                "commune": minutes.hearing.commune,
                "data": paperwork.minutes_data(minutes),
                "sha256": sha,
                "answer": response,
                "form": form or ConfirmationForm(initial={"document_sha256": sha}),
                "code_sent": bool(person.code_digest),
                "error": error,
                "superseded": response is None and confirmation.is_superseded(person),
                "superseded_message": confirmation.superseded_message(),
            },
            status=status,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person = confirmation.request_from_token(token)
    except NotFound as exc:
        return _not_found(request, exc)
    if request.method == "GET":
        return _page(request, token, person)
    again = HttpResponseRedirect(request.path + "#answer")
    if request.POST.get("action") == "send":
        if over_limit(request, "minutes.confirmation.send", SEND_RATE):
            return _page(
                request,
                token,
                person,
                status=429,
                error=_("Bạn đã yêu cầu quá nhiều mã; vui lòng thử lại sau."),
            )
        try:
            confirmation.send_code(person)
        except DomainError as exc:
            return _page(request, token, person, status=exc.status, error=str(exc.message))
        messages.success(
            request,
            _(
                "Đã gửi mã xác nhận qua tin nhắn đến số điện thoại của hồ "
                "sơ; mã có hiệu lực 10 phút."
            ),
        )
        return _private(again)
    form = ConfirmationForm(request.POST)
    if over_limit(request, "minutes.confirmation.answer", ANSWER_RATE):
        return _page(
            request,
            token,
            person,
            form,
            status=429,
            error=_("Bạn đã thử quá nhiều lần; vui lòng thử lại sau."),
        )
    if not form.is_valid():
        return _page(request, token, person, form, status=422)
    try:
        confirmation.respond(person, **form.cleaned_data)
    except DomainError as exc:
        person.refresh_from_db()
        return _page(request, token, person, form, status=exc.status, error=str(exc.message))
    messages.success(request, _("Đã ghi nhận ý kiến của bạn về biên bản. Cảm ơn bạn."))
    return _private(again)


@never_cache
@require_GET
def confirm_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The official (signed) PDF of the Biên bản, for the holder of the link."""
    try:
        person = confirmation.request_from_token(token)
    except NotFound as exc:
        return _not_found(request, exc)
    document = person.minutes.document
    audit.record(
        "minutes.minutes.downloaded_by_citizen",
        document,
        actor=None,
        commune=document.commune,
        request=request,
        data={"participant": str(person.participant_ref), "symbol": document.symbol},
    )
    response = HttpResponse(official_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-{document.year}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


def _staff_minutes(request: HttpRequest, ward_code: int, pk: int, minutes_id: int) -> Minutes:
    commune = commune_get_for_user(request.user, ward_code, access.READ_MINUTES)
    minutes = (
        Minutes.objects.select_related("hearing__commune", "document")
        .filter(pk=minutes_id, hearing_id=pk, hearing__commune=commune)
        .first()
    )
    if minutes is None or minutes.document is None:
        raise Http404
    return minutes


@staff_required
@require_GET
def confirmation_sheet(
    request: HttpRequest, ward_code: int, pk: int, minutes_id: int
) -> HttpResponse:
    """Phiếu xác nhận của công dân (PDF) of one issued Biên bản, as of now."""
    minutes = _staff_minutes(request, ward_code, pk, minutes_id)
    pdf, _signed = sheet_pdf(minutes)
    document = minutes.document
    access_log.log_access(
        "minutes.confirmations.downloaded",
        minutes,
        actor=request.user,
        commune=document.commune,
        request=request,
        data={"symbol": document.symbol},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    code = document.symbol.replace("/", "-").replace("Đ", "D")
    response["Content-Disposition"] = f'attachment; filename="{document.year}-{code}-xac-nhan.pdf"'
    return _private(response)


def section_html(request: HttpRequest, minutes: Minutes) -> SafeString:
    return render_to_string(
        "minutes/_confirmations.html",
        {
            "minutes": minutes,
            "rows": confirmation.rows_of(minutes),
            "ward_code": minutes.hearing.commune.ward_code,
        },
        request=request,
    )


def document_section(request: HttpRequest, document: IssuedDocument) -> SafeString | None:
    """The citizens' confirmations on the page of a Biên bản (documents:detail)."""
    minutes = (
        Minutes.objects.select_related("hearing__commune", "document")
        .filter(document=document)
        .first()
    )
    if minutes is None:
        return None
    return section_html(request, minutes)
