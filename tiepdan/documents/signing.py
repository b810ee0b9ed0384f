"""Signing an issued document (issue 15 §1): the signatures its type needs
(``signature_policy``), the personal signature an official applies outside the product with
their own token tool and uploads, and the organisation's signature the server applies
(``seal``) as a durable step, retried and alerted on like every legal step after a commit.

Each signature is an incremental update: the signed PDF begins with the exact bytes of the
version before it, so every earlier signature and the issued content stay verifiable.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiepdan.core import access, audit, durable
from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.core.step_models import DurableStep

from .models import DocumentSignature, IssuedDocument, OrganisationSeal, SignatureKind
from .seal import SealUnavailable, apply_seal
from .signature_check import PDF_MAGIC, PdfCheck, check_pdf
from .signature_policy import next_signature, required_signatures

log = logging.getLogger(__name__)

SEAL_STEP = "documents.seal"


#: Refusal of signing to whoever does not issue the commune's documents.
SIGN_DENIED = gettext_lazy("Bạn không có quyền ký, tải lên bản ký số văn bản của xã này.")


def official_pdf(document: IssuedDocument) -> bytes:
    """The bytes of the document's newest version: its last signature's PDF, else the issued."""
    latest = document.signatures.order_by("-created_at", "-id").first()
    stored = latest.pdf_file if latest is not None else document.pdf_file
    with stored.open("rb") as handle:
        return handle.read()


def official_sha256(document: IssuedDocument) -> str:
    latest = document.signatures.order_by("-created_at", "-id").first()
    return latest.pdf_sha256 if latest is not None else document.pdf_sha256


def present_kinds(document: IssuedDocument) -> set[str]:
    return set(document.signatures.values_list("kind", flat=True))


def awaited_signature(document: IssuedDocument) -> SignatureKind | None:
    return next_signature(document.doc_type, document.template_key, present_kinds(document))


def active_seal(document: IssuedDocument) -> OrganisationSeal | None:
    return OrganisationSeal.objects.filter(commune_id=document.commune_id, is_active=True).first()


def schedule_seal_if_due(document: IssuedDocument) -> bool:
    """In the caller's transaction: have the worker apply the organisation's signature when it
    is the one the document waits for and the commune has a certificate configured."""
    if awaited_signature(document) != SignatureKind.SEAL:
        return False
    if active_seal(document) is None:
        return False
    durable.schedule(SEAL_STEP, key=f"seal:{document.pk}", commune=document.commune,
                     args={"document_id": document.pk},
                     label=_("Ký số %(symbol)s bằng chứng thư của cơ quan")
                     % {"symbol": document.symbol})
    return True


@durable.durable_step(SEAL_STEP, label=gettext_lazy("Ký số văn bản bằng chứng thư của cơ quan"),
                      max_attempts=5, base_delay=60)
def seal_document(document_id: int) -> None:
    """Apply the organisation's signature (idempotent: once it is there, nothing happens)."""
    document = IssuedDocument.objects.select_related("commune").get(pk=document_id)
    if awaited_signature(document) != SignatureKind.SEAL:
        return
    seal = active_seal(document)
    try:
        if seal is None:
            raise SealUnavailable(_("Xã chưa cấu hình chứng thư số của cơ quan."))
        result = apply_seal(official_pdf(document), seal,
                            reason=_("Ban hành văn bản %(symbol)s") % {"symbol": document.symbol})
    except SealUnavailable as exc:
        IssuedDocument.objects.filter(pk=document.pk).update(signature_error=str(exc))
        raise
    certificate = result.certificate
    with transaction.atomic():
        signature = DocumentSignature(
            document=document, kind=SignatureKind.SEAL, signer_name=certificate.common_name,
            organisation=certificate.organisation, issuer_name=certificate.issuer_name,
            certificate_sha256=certificate.sha256, signed_at=timezone.now(),
            timestamped=result.timestamped, pdf_sha256=hashlib.sha256(result.pdf).hexdigest())
        signature.pdf_file.save("signed.pdf", ContentFile(result.pdf), save=False)
        signature.save()
        IssuedDocument.objects.filter(pk=document.pk).update(signature_error="")
        audit.record("documents.document.sealed", document, actor=None, commune=document.commune,
                     data={"symbol": document.symbol})


def accept_personal_signature(document: IssuedDocument, data: bytes, *,
                              actor: User | AnonymousUser) -> DocumentSignature:
    """Store ``data``, the document signed by its signer with their own token tool, as its
    official version, once checked: a PDF that is the current version with one or more
    signatures added after it (byte-identical up to them), each intact and trusted, the last
    covering the whole file.  Refused with a clear message otherwise, nothing changed."""
    access.check(actor, access.SIGN_DOCUMENTS, document.commune, SIGN_DENIED)
    if awaited_signature(document) != SignatureKind.PERSONAL:
        raise DomainError(_("Văn bản này không chờ chữ ký số của người có thẩm quyền."),
                          code="not_awaiting_personal")
    if len(data) > settings.SIGNED_PDF_MAX_BYTES:
        raise InvalidInput(_("Tệp quá lớn (tối đa %(mb)s MB).")
                           % {"mb": settings.SIGNED_PDF_MAX_BYTES // (1024 * 1024)})
    if not data.startswith(PDF_MAGIC):
        raise InvalidInput(_("Tệp tải lên không phải là tệp PDF."))
    current = official_pdf(document)
    if len(data) <= len(current) or not data.startswith(current):
        raise InvalidInput(_("Tệp đã ký không phải là văn bản %(symbol)s đã ban hành: nội dung "
                             "khác bản do hệ thống phát hành. Hãy tải bản PDF của văn bản trên "
                             "trang này, ký bằng công cụ ký số rồi tải lên đúng tệp đã ký.")
                           % {"symbol": document.symbol})
    check = check_pdf(data)
    if check.error:
        raise InvalidInput(check.error)
    new = _signatures_after(check, current)
    if not new:
        raise InvalidInput(_("Tệp tải lên chưa có chữ ký số mới."))
    for report in new:
        if report.problem:
            raise InvalidInput(report.problem)
    if not new[-1].covers_whole_file:
        raise InvalidInput(_("Tệp đã bị thêm nội dung sau chữ ký số."))
    signer = new[-1].certificate
    with transaction.atomic():
        signature = DocumentSignature(
            document=document, kind=SignatureKind.PERSONAL, signer_name=signer.common_name,
            organisation=signer.organisation, issuer_name=signer.issuer_name,
            certificate_sha256=signer.sha256, signed_at=new[-1].signed_at or timezone.now(),
            timestamped=new[-1].timestamped, pdf_sha256=check.sha256,
            created_by=actor if actor.is_authenticated else None)
        if DocumentSignature.objects.filter(pdf_sha256=check.sha256).exists():
            raise InvalidInput(_("Tệp này đã được tải lên."))
        signature.pdf_file.save("signed.pdf", ContentFile(data), save=False)
        signature.save()
        audit.record("documents.document.signed", document, actor=actor, commune=document.commune,
                     data={"symbol": document.symbol, "signer": signer.common_name})
        schedule_seal_if_due(document)
    return signature


def _signatures_after(check: PdfCheck, current: bytes) -> list:
    """The signatures of ``check`` that the current version does not have yet."""
    existing = len(check_pdf(current).signatures) if b"/ByteRange" in current else 0
    return check.signatures[existing:]


def retry_seal(document: IssuedDocument, *, actor: User | AnonymousUser) -> bool:
    """Try the organisation's signature again (after a token was plugged in, a PIN fixed)."""
    access.check(actor, access.SIGN_DOCUMENTS, document.commune, SIGN_DENIED)
    step = DurableStep.objects.filter(key=f"seal:{document.pk}").first()
    if step is None:
        with transaction.atomic():
            return schedule_seal_if_due(document)
    return durable.retry(step, actor=actor)


def signature_state(document: IssuedDocument) -> dict[str, object]:
    """What the document page and the public page say of the signatures."""
    required = required_signatures(document.doc_type, document.template_key)
    signatures = list(document.signatures.order_by("created_at", "id"))
    present = {s.kind for s in signatures}
    awaited = next(iter(k for k in required if k not in present), None)
    return {
        "required": required, "signatures": signatures, "awaited": awaited,
        "complete": awaited is None, "error": document.signature_error,
    }
