"""Files built for download (exports, reports) are written whole to a temporary file first and
only then sent: a failure half-way never reaches the client as a file that looks complete.

    response = complete_file_response(lambda out: write_xlsx(..., out),
                                      content_type=XLSX, filename="so-2026.xlsx")

``ExportFailed`` (a ``DomainError``) is raised instead when writing fails; pages show it as an
error page, the API as its JSON error. The response carries ``Content-Length``, so a transfer
cut off on the network is seen as incomplete by the client, too.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from typing import IO, TypeVar

from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import DomainError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class ExportFailed(DomainError):
    status = 500
    code = "export_failed"


def build_file(write: Callable[[IO[bytes]], T]) -> tuple[IO[bytes], T]:
    """Run ``write(out)`` on a new temporary file; the file rewound and what ``write``
    returned. On any error the file is closed (and so deleted) and ``ExportFailed`` raised."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the response or below)
    try:
        result = write(handle)
        handle.flush()
        handle.seek(0)
    except Exception as exc:
        handle.close()
        logger.exception("building a download failed")
        raise ExportFailed(_("Không tạo được tệp do có lỗi trong khi xuất dữ liệu; không có tệp "
                             "nào được tải về. Vui lòng thử lại sau ít phút.")) from exc
    return handle, result


def file_response(handle: IO[bytes], *, content_type: str, filename: str) -> FileResponse:
    """Send the complete file ``handle`` (from ``build_file``) as a private attachment."""
    size = os.fstat(handle.fileno()).st_size
    response = FileResponse(handle, content_type=content_type, as_attachment=True,
                            filename=filename)
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
