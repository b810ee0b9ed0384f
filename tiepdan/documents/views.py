"""Staff pages of an issued document: its page (signatures, versions, the signed PDF upload,
a retry of the organisation's signature) and the permission-checked, audited downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiepdan.core import access, access_log
from tiepdan.core.access import has_perm
from tiepdan.core.errors import DomainError
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required

from . import signing
from .forms import SignedPdfForm
from .page_sections import sections_of
from .selectors import issued_document_get_for_user
from .verification import grouped, is_restricted

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "signed": "application/pdf",
}
@staff_required
@require_http_methods(["GET", "POST"])
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = issued_document_get_for_user(request.user, pk)
    may_sign = has_perm(request.user, access.SIGN_DOCUMENTS, document.commune)
    form = SignedPdfForm()
    status = 200
    if request.method == "POST":
        if not may_sign:
            raise PermissionDenied
        form = SignedPdfForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                signature = signing.accept_personal_signature(
                    document, form.cleaned_data["file"], actor=request.user)
            except DomainError as exc:
                form.add_error("file", str(exc.message))
            else:
                messages.success(request, _(
                    "Đã nhận bản ký số của %(name)s; đây là bản chính thức của văn bản %(symbol)s."
                    "%(next)s") % {"name": signature.signer_name, "symbol": document.symbol,
                                   "next": _(" Hệ thống đang ký số của cơ quan.")
                                   if signing.awaited_signature(document) else ""})
                return redirect("documents:detail", pk=document.pk)
        status = 422
    state = signing.signature_state(document)
    return render(request, "documents/detail.html", {
        "document": document, "commune": document.commune, "state": state, "form": form,
        "may_sign": may_sign and state["awaited"] == "personal",
        "may_retry": may_sign and state["awaited"] == "seal",
        "code": grouped(document.verification_code or ""),
        "restricted": is_restricted(document),
        "sections": sections_of(request, document),
    }, status=status)


@staff_required
@require_POST
def retry_seal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = issued_document_get_for_user(request.user, pk)
    if signing.retry_seal(document, actor=request.user):
        messages.success(request, _("Đã yêu cầu ký số của cơ quan lại cho văn bản %(symbol)s.")
                         % {"symbol": document.symbol})
    else:
        messages.error(request, _("Chưa ký lại được: xã chưa cấu hình chứng thư số của cơ quan, "
                                  "hoặc văn bản không chờ chữ ký của cơ quan."))
    return redirect("documents:detail", pk=document.pk)


@staff_required
@require_GET
def download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> FileResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    document = issued_document_get_for_user(request.user, pk)
    access_log.log_access("documents.document.downloaded", document, actor=request.user,
                          commune=document.commune, request=request,
                          data={"symbol": document.symbol, "format": fmt})
    if fmt == "signed":
        latest = document.signatures.order_by("-created_at", "-id").first()
        stored = latest.pdf_file if latest is not None else document.pdf_file
    else:
        stored = document.docx_file if fmt == "docx" else document.pdf_file
    # "05/GM-UBND" (2026) → "2026-05-GM-UBND.pdf": ASCII only, no slash.
    code = document.symbol.replace("/", "-").replace("Đ", "D")
    suffix = "-da-ky" if fmt == "signed" else ""
    extension = "docx" if fmt == "docx" else "pdf"
    response = FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[fmt],
                            as_attachment=True,
                            filename=f"{document.year}-{code}{suffix}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
