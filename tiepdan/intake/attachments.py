"""Attached documents: the type is read from the content (magic bytes and structure), never from
the file name; files are stored under a random name."""

from __future__ import annotations

import hashlib
import io
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


def _count_pdf_pages(data: bytes) -> int:
    try:
        return max(len(PdfReader(io.BytesIO(data)).pages), 1)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            _("Tệp PDF “%(name)s” bị hỏng hoặc không đọc được."), code="broken_file"
        ) from exc


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


def check_file(name: str, stream: IO[bytes], size: int | None = None) -> CheckedFile:
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
            pages = _count_pdf_pages(data)
        except ValidationError as exc:
            exc.params = {"name": display}
            raise
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
