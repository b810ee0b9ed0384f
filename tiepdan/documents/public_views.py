"""The public verification page of an issued document (no sign-in): what the code on a PDF
opens, and the check of a PDF someone holds (rate-limited; the file is not kept)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tiepdan.core.throttling import over_limit
from tiepdan.core.views.errors import too_many_requests

from . import signing
from .comparison import compare
from .forms import CheckPdfForm, CodeForm
from .verification import find, grouped, is_restricted, normalised


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        wait = over_limit(request, "verify_lookup", settings.LOOKUP_PAGE_RATE)
        if wait is not None:
            return too_many_requests(request, wait)
        if form.is_valid():
            document = find(form.cleaned_data["code"])
            if document is not None:
                return redirect("documents:verify", code=document.verification_code)
            form.add_error("code", _("Không có văn bản nào mang mã xác thực này."))
        status = 404 if form.is_bound and "code" in form.errors else 422
    return render(request, "documents/verify_lookup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    document = find(code)
    if document is None:
        return render(request, "documents/verify_lookup.html", {
            "form": CodeForm(initial={"code": normalised(code)[:30]}),
            "not_found": True}, status=404)
    restricted = is_restricted(document)
    form = CheckPdfForm()
    comparison = None
    status = 200
    if request.method == "POST":
        wait = over_limit(request, "verify_upload", settings.VERIFY_UPLOAD_RATE)
        if wait is not None:
            return too_many_requests(request, wait)
        form = CheckPdfForm(request.POST, request.FILES)
        if form.is_valid():
            comparison = compare(document, form.cleaned_data["file"])
            form = CheckPdfForm()
        else:
            status = 422
    state = signing.signature_state(document)
    return render(request, "documents/verify.html", {
        "document": document, "code": grouped(document.verification_code or ""),
        "restricted": restricted, "state": state, "form": form, "comparison": comparison,
        "official_sha256": signing.official_sha256(document),
        "valid": not document.superseded_at,
    }, status=status)
