"""Attached documents: the type is read from the content (magic bytes and structure), never from
the file name; files are stored under a random name."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import IndirectObject

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ALLOWED_LABEL = "PDF, JPG, PNG, DOCX"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    pages: int
    sha256: str
    data: bytes


# Names that make a PDF act when it is opened or clicked: scripts and launching programs.
_ACTIVE_PDF_NAMES = {"/JS", "/JavaScript", "/Launch"}
_ACTIVE_PDF_RAW = re.compile(rb"/(?:JS|JavaScript|Launch)(?![A-Za-z0-9#])")
_MAX_PDF_OBJECTS = 50_000  # a bomb of objects is "broken", not walked for ever


def _pdf_is_active(reader: PdfReader, data: bytes) -> bool:
    """True if the PDF carries JavaScript or a launch action anywhere: the document's
    /OpenAction or /AA, a page's or an annotation's action, the /Names JavaScript tree."""
    if _ACTIVE_PDF_RAW.search(data):
        return True
    seen: set[int] = set()
    stack: list[object] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum << 16) | item.generation
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > _MAX_PDF_OBJECTS:
                raise ValueError("too many objects")
            item = item.get_object()
        if isinstance(item, dict):
            if _ACTIVE_PDF_NAMES & {str(k) for k in item}:
                return True
            if str(item.get("/S", "")) in _ACTIVE_PDF_NAMES:
                return True
            stack.extend(v for k, v in item.items() if k != "/Parent")
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _check_pdf(data: bytes) -> int:
    """The page count of a PDF that is readable and passive."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = max(len(reader.pages), 1)
        active = _pdf_is_active(reader, data)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ValidationError(
            _("Tệp PDF “%(name)s” bị hỏng hoặc không đọc được."), code="broken_file"
        ) from exc
    if active:
        raise ValidationError(
            _("Tệp PDF “%(name)s” chứa mã JavaScript hoặc lệnh mở chương trình; vì an toàn, hệ "
              "thống không nhận tệp này. Vui lòng xuất lại tệp PDF (in ra PDF) hoặc gửi ảnh "
              "chụp."), code="active_pdf")
    return pages


def _is_polyglot_image(data: bytes, extension: str) -> bool:
    """An image that is also another file: a ZIP (a .jar, an Office file) appended, a PDF header
    within the first kilobyte (readers look there), or data hidden after a PNG's end."""
    if zipfile.is_zipfile(io.BytesIO(data)) or b"%PDF-" in data[:1024]:
        return True
    if extension == "png":
        end = data.rfind(b"IEND")
        return end == -1 or len(data) > end + 8  # IEND's type + CRC end the file
    return False


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _sniff(data: bytes) -> str | None:
    """The allowed extension that matches the content, or ``None``."""
    kind = filetype.guess(data)
    if kind is None:
        return None
    if kind.extension == "pdf" and data.startswith(b"%PDF-"):
        return "pdf"
    if kind.extension == "jpg":
        return "jpg"
    if kind.extension == "png":
        return "png"
    if kind.extension in {"docx", "zip"} and _is_docx(data):
        return "docx"
    return None


def check_file(name: str | None, stream: IO[bytes], size: int | None = None) -> CheckedFile:
    """Read and check one uploaded file; ``ValidationError`` with a Vietnamese message if it is
    too big, empty, of a type we do not accept, or broken."""
    limit = settings.ATTACHMENT_MAX_BYTES
    display = (name or "tệp").rsplit("/", 1)[-1][:200]
    if size is not None and size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (tối đa %(limit)s)."),
            code="file_too_large",
            params={"name": display, "limit": filesizeformat(limit)},
        )
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (tối đa %(limit)s)."),
            code="file_too_large",
            params={"name": display, "limit": filesizeformat(limit)},
        )
    if not data:
        raise ValidationError(
            _("Tệp “%(name)s” rỗng."), code="empty_file", params={"name": display}
        )
    extension = _sniff(data)
    if extension is None:
        raise ValidationError(
            _("Tệp “%(name)s” không phải %(allowed)s "
              "(kiểm tra theo nội dung tệp, không theo tên)."),
            code="file_type_not_allowed",
            params={"name": display, "allowed": ALLOWED_LABEL},
        )
    pages = 1
    if extension == "pdf":
        try:
            pages = _check_pdf(data)
        except ValidationError as exc:
            exc.params = {"name": display}
            raise
    elif extension in {"jpg", "png"} and _is_polyglot_image(data, extension):
        raise ValidationError(
            _("Tệp ảnh “%(name)s” có chứa dữ liệu khác ẩn bên trong (ví dụ một tệp nén); vì an "
              "toàn, hệ thống không nhận tệp này. Vui lòng chụp hoặc lưu lại ảnh rồi gửi lại."),
            code="polyglot_file", params={"name": display})
    return CheckedFile(
        name=display,
        extension=extension,
        content_type=ALLOWED[extension],
        size=len(data),
        pages=pages,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def check_count(count: int) -> None:
    if count > settings.ATTACHMENT_MAX_COUNT:
        raise ValidationError(
            _("Chỉ được gửi tối đa %(max)s tệp đính kèm."),
            code="too_many_files",
            params={"max": settings.ATTACHMENT_MAX_COUNT},
        )


def new_upload_token() -> str:
    return secrets.token_urlsafe(24)
