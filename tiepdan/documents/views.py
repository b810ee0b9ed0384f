"""Download of an issued document's DOCX or PDF, permission-checked and audited."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from tiepdan.core import audit
from tiepdan.core.models import AuditAction
from tiepdan.core.views.auth import staff_required

from .selectors import issued_document_get_for_user

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@staff_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    document = issued_document_get_for_user(request.user, pk)
    audit.record(AuditAction.DOWNLOAD, document, actor=request.user, commune=document.commune,
                 request=request, summary=f"Tải văn bản {document.symbol} ({fmt})")
    stored = document.docx_file if fmt == "docx" else document.pdf_file
    # "05/GM-UBND" (2026) → "2026-05-GM-UBND.pdf": ASCII only, no slash.
    code = document.symbol.replace("/", "-").replace("Đ", "D")
    response = FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[fmt],
                            as_attachment=True, filename=f"{document.year}-{code}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
