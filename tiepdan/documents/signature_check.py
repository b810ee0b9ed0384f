"""Check the digital signatures of a PDF (PAdES) against the configured trust roots: for each
signature, who signed and when, whether it is intact, trusted, still valid, and whether the file
was changed after it.  Used when a signed PDF is uploaded (by its signer or by anyone on the
public verification page) and by ``tiepdan documents verify``."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from .certificates import CertificateInfo, describe
from .trust import validation_context

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
#: What may be added after a signature without changing what was signed: later signatures
#: into prepared fields, validation data, timestamps.
ALLOWED_LATER_CHANGES = {"NONE", "LTA_UPDATES", "FORM_FILLING"}


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    certificate: CertificateInfo
    signed_at: dt.datetime | None
    timestamped: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    #: What stops this signature from being valid, in words (empty: it is valid).
    problem: str

    @property
    def valid(self) -> bool:
        return not self.problem


@dataclass
class PdfCheck:
    sha256: str
    is_pdf: bool = True
    error: str = ""
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def all_valid(self) -> bool:
        return self.is_pdf and not self.error and bool(self.signatures) and all(
            s.valid for s in self.signatures)


TRUST_PROBLEMS = {
    "EXPIRED": gettext_lazy("chứng thư số đã hết hạn"),
    "REVOKED": gettext_lazy("chứng thư số đã bị thu hồi"),
    "REVOKED_NO_POE": gettext_lazy("chứng thư số đã bị thu hồi"),
    "REVOKED_CA_NO_POE": gettext_lazy("chứng thư số đã bị thu hồi"),
    "NOT_YET_VALID": gettext_lazy("chứng thư số chưa có hiệu lực"),
    "NO_CERTIFICATE_CHAIN_FOUND": gettext_lazy("chứng thư số không do tổ chức được tin cậy cấp"),
    "CHAIN_CONSTRAINTS_FAILURE": gettext_lazy("chuỗi chứng thư số không hợp lệ"),
    "TRY_LATER": gettext_lazy("chưa xác minh được tình trạng thu hồi của chứng thư số"),
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": gettext_lazy("chứng thư số đã bị thu hồi"),
    "OUT_OF_BOUNDS_NO_POE": gettext_lazy("chứng thư số đã hết hạn"),
}


def _trust_problem(status: object) -> str:
    indication = getattr(status, "trust_problem_indic", None)
    name = getattr(indication, "name", "") if indication is not None else ""
    return str(TRUST_PROBLEMS.get(name, _("chứng thư số không được tin cậy")))


def check_pdf(data: bytes) -> PdfCheck:
    """Every signature of ``data`` checked; ``is_pdf``/``error`` when it cannot be read."""
    result = PdfCheck(sha256=hashlib.sha256(data).hexdigest())
    if not data.startswith(PDF_MAGIC):
        result.is_pdf = False
        result.error = _("Tệp không phải là tệp PDF.")
        return result
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        log.info("unreadable PDF: %s", type(exc).__name__)
        result.error = _("Không đọc được tệp PDF (tệp hỏng hoặc không đúng định dạng).")
        return result
    context = validation_context()
    for signature in embedded:
        certificate = describe(signature.signer_cert)
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as exc:  # noqa: BLE001 - a hostile file must give a report, not a 500
            log.info("signature %s not checkable: %s", signature.field_name, type(exc).__name__)
            result.signatures.append(SignatureReport(
                signature.field_name, certificate, None, False, False, False, False,
                _("Không kiểm tra được chữ ký số này.")))
            continue
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        later = status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        problem = ""
        if not status.intact or not status.valid:
            problem = _("Chữ ký số không toàn vẹn: nội dung đã bị sửa sau khi ký.")
        elif not status.trusted:
            problem = _("Chữ ký số không hợp lệ: %(reason)s.") % {"reason": _trust_problem(status)}
        elif not (whole or later):
            problem = _("Chữ ký số không bao trùm toàn bộ văn bản.")
        elif later and status.modification_level is not None \
                and status.modification_level.name not in ALLOWED_LATER_CHANGES:
            problem = _("Văn bản đã bị sửa nội dung sau khi ký.")
        signed_at = status.signer_reported_dt
        timestamp = status.timestamp_validity
        if timestamp is not None:
            signed_at = timestamp.timestamp
        result.signatures.append(SignatureReport(
            signature.field_name, certificate, signed_at, timestamp is not None,
            bool(status.intact and status.valid), bool(status.trusted), whole, str(problem)))
    return result
