"""A PDF in someone's hands compared with the document the commune issued: the same file, the
same content with intact signatures, or exactly what differs (issue 15 §2)."""

from __future__ import annotations

import difflib
import hashlib
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .models import IssuedDocument
from .signature_check import PdfCheck, check_pdf

MAX_DIFFERENCES = 8


@dataclass
class Comparison:
    matches: bool
    verdict: str
    check: PdfCheck | None = None
    differences: list[str] = field(default_factory=list)


def _versions(document: IssuedDocument) -> dict[str, str]:
    versions = {document.pdf_sha256: _("bản ban hành (trước khi ký số)")}
    for signature in document.signatures.all():
        versions[signature.pdf_sha256] = _("bản sau %(kind)s") % {
            "kind": signature.get_kind_display().lower()}
    return versions


def _page_lines(data: bytes) -> list[list[str]] | None:
    try:
        reader = PdfReader(io.BytesIO(data))
        return [[" ".join(line.split()) for line in (page.extract_text() or "").splitlines()
                 if line.strip()] for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return None


def text_differences(issued: bytes, other: bytes) -> list[str]:
    """Page by page, the lines that differ (at most ``MAX_DIFFERENCES``)."""
    ours, theirs = _page_lines(issued), _page_lines(other)
    if ours is None or theirs is None:
        return [_("Không đọc được nội dung chữ của tệp để so sánh.")]
    found: list[str] = []
    if len(ours) != len(theirs):
        found.append(_("Số trang khác: văn bản đã ban hành có %(a)s trang, tệp này có %(b)s trang.")
                     % {"a": len(ours), "b": len(theirs)})
    for index, (a, b) in enumerate(zip(ours, theirs, strict=False), start=1):
        for line in difflib.unified_diff(a, b, lineterm="", n=0):
            if line.startswith(("---", "+++", "@@")):
                continue
            label = _("Trang %(page)s, bản ban hành: “%(text)s”") if line.startswith("-") else \
                _("Trang %(page)s, tệp này: “%(text)s”")
            found.append(label % {"page": index, "text": line[1:][:200]})
            if len(found) >= MAX_DIFFERENCES:
                return found
    if not found:
        found.append(_("Nội dung chữ giống nhau nhưng tệp khác (hình ảnh, phông chữ hoặc cấu trúc "
                       "tệp đã bị thay đổi)."))
    return found


def compare(document: IssuedDocument, data: bytes) -> Comparison:
    digest = hashlib.sha256(data).hexdigest()
    versions = _versions(document)
    if digest in versions:
        verdict = _("Tệp trùng khớp từng byte với %(version)s của văn bản %(symbol)s.") % {
            "version": versions[digest], "symbol": document.symbol}
        return Comparison(True, verdict, check_pdf(data))
    check = check_pdf(data)
    if not check.is_pdf or check.error:
        return Comparison(False, check.error, check)
    with document.pdf_file.open("rb") as handle:
        issued = handle.read()
    if data.startswith(issued):
        if check.signatures and check.all_valid:
            return Comparison(True, _("Tệp có cùng nội dung với văn bản %(symbol)s đã ban hành; "
                                      "mọi chữ ký số trên tệp đều hợp lệ.")
                              % {"symbol": document.symbol}, check)
        problems = [s.problem for s in check.signatures if s.problem]
        return Comparison(False, _("Tệp có cùng nội dung ban đầu với văn bản %(symbol)s nhưng "
                                   "chữ ký số không hợp lệ hoặc tệp bị sửa sau khi ký.")
                          % {"symbol": document.symbol}, check, problems)
    return Comparison(False, _("Tệp KHÔNG phải là văn bản %(symbol)s đã ban hành.")
                      % {"symbol": document.symbol}, check, text_differences(issued, data))
