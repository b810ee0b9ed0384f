"""The organisation's digital signature, applied by the server (PAdES, pyHanko): the commune's
certificate in a PKCS#12 file or on a PKCS#11 token/HSM (``OrganisationSeal``), a visible stamp
in the field NĐ 30 places it in, and an RFC 3161 timestamp when ``SIGNATURE_TSA_URL`` is set.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import tempfile
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import StaticStampStyle
from weasyprint import HTML

from tiepdan.core.errors import DomainError

from .certificates import CertificateInfo, describe
from .models import OrganisationSeal, SealBackend
from .pdf_writer import offline_url_fetcher
from .signature_fields import SEAL_FIELD
from .trust import validation_context

log = logging.getLogger(__name__)


class SealUnavailable(DomainError):
    """The certificate, its token or its secret cannot be used now (missing, locked, wrong
    PIN): the document stays issued and unsigned, visibly, and the signing is retried."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="seal_unavailable")


@dataclass(frozen=True)
class SealResult:
    pdf: bytes
    certificate: CertificateInfo
    timestamped: bool


def _secret(seal: OrganisationSeal) -> str:
    try:
        return Path(seal.secret_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SealUnavailable(_("Không đọc được tệp mật khẩu/mã PIN của chữ ký số cơ quan "
                                "(%(path)s).") % {"path": seal.secret_file}) from exc


@contextmanager
def organisation_signer(seal: OrganisationSeal) -> Iterator[signers.Signer]:
    """The pyHanko signer of ``seal`` (a PKCS#11 session is closed afterwards)."""
    secret = _secret(seal)
    if seal.backend == SealBackend.PKCS12:
        unusable = SealUnavailable(_("Không mở được tệp chứng thư số của cơ quan (%(path)s): "
                                     "tệp thiếu hoặc sai mật khẩu.") % {"path": seal.pkcs12_path})
        try:
            signer = signers.SimpleSigner.load_pkcs12(seal.pkcs12_path,
                                                      passphrase=secret.encode())
        except (OSError, ValueError) as exc:
            raise unusable from exc
        if signer is None:  # pyHanko logs the reason and returns None
            raise unusable
        yield signer
        return
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    try:
        session = pkcs11.open_pkcs11_session(
            seal.pkcs11_module, token_criteria=TokenCriteria(label=seal.token_label),
            user_pin=secret)
    except Exception as exc:  # noqa: BLE001 - whatever the module raises: missing, locked, PIN
        raise SealUnavailable(_("Không kết nối được thiết bị ký số \"%(label)s\" (thiếu thiết "
                                "bị, bị khóa hoặc sai mã PIN).")
                              % {"label": seal.token_label}) from exc
    try:
        yield pkcs11.PKCS11Signer(session, cert_label=seal.key_label, key_label=seal.key_label,
                                  use_raw_mechanism=True)
    finally:
        session.close()


def _image_data_url(path: str) -> str:
    """The optional stamp image as a data: URL (the renderer fetches nothing else); empty
    when there is none or it cannot be read."""
    if not path:
        return ""
    try:
        data = Path(path).read_bytes()
    except OSError:
        log.warning("stamp image %s cannot be read; the stamp is drawn without it", path)
        return ""
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


def stamp_pdf(certificate: CertificateInfo, when_text: str, image_path: str = "") -> bytes:
    """The visible stamp: who signed, for which organisation, when (red, as seals are), with
    the organisation's seal image on its left when one is configured."""
    image = _image_data_url(image_path)
    html = (
        "<style>@page{size:62mm 21mm;margin:0}"
        "body{margin:0;font-family:'Liberation Serif';font-size:8pt;color:#c00000;"
        "border:0.8pt solid #c00000;height:21mm;padding:1mm 2mm;box-sizing:border-box}"
        "p{margin:0}img{float:left;height:18mm;margin-right:2mm}</style>"
        + (f'<img src="{image}" alt="">' if image else "")
        + f"<p><b>{_('Ký bởi')}: {escape(certificate.common_name)}</b></p>"
        f"<p>{_('Cơ quan')}: {escape(certificate.organisation or certificate.common_name)}</p>"
        f"<p>{_('Thời gian ký')}: {escape(when_text)}</p>"
    )
    return HTML(string=html, url_fetcher=offline_url_fetcher()).write_pdf()


def apply_seal(pdf: bytes, seal: OrganisationSeal, *, reason: str) -> SealResult:
    """``pdf`` signed with the organisation's certificate in the field ``SEAL_FIELD`` (made,
    invisible, when the PDF lacks it).  Raises ``SealUnavailable`` when the key cannot be used."""
    with organisation_signer(seal) as signer:
        certificate = describe(signer.signing_cert)
        now = timezone.localtime()
        timestamper = (HTTPTimeStamper(settings.SIGNATURE_TSA_URL)
                       if settings.SIGNATURE_TSA_URL else None)
        metadata = signers.PdfSignatureMetadata(
            field_name=SEAL_FIELD, reason=reason, location=seal.location or None,
            subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
            # Long-term validation data (chain, OCSP/CRL answers) when they can be fetched.
            embed_validation_info=settings.SIGNATURE_FETCH_REVOCATION,
            validation_context=validation_context(),
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as stamp_file:
            stamp_file.write(stamp_pdf(certificate, now.strftime("%d/%m/%Y %H:%M:%S %z"),
                                       seal.stamp_image))
            stamp_file.flush()
            style = StaticStampStyle.from_pdf_file(stamp_file.name, border_width=0)
            out = io.BytesIO()
            try:
                signers.PdfSigner(metadata, signer=signer, timestamper=timestamper,
                                  stamp_style=style).sign_pdf(
                    IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
            except SealUnavailable:
                raise
            except Exception as exc:
                raise SealUnavailable(_("Ký số bằng chứng thư của cơ quan không thành công: "
                                        "%(error)s") % {"error": type(exc).__name__}) from exc
    return SealResult(out.getvalue(), certificate, timestamper is not None)


_T = TypeVar("_T")


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """pyHanko's CMS calls are coroutines: run one to its end from synchronous code, also from
    a thread that already runs an event loop (asyncio.run refuses that), on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def sign_data(data: bytes, seal: OrganisationSeal) -> bytes:
    """A detached CMS signature (DER) of ``data`` by the organisation's certificate, with its
    chain: for evidence that is not a PDF (the recordings' manifest)."""
    with organisation_signer(seal) as signer:
        try:
            content_info = _run(signer.async_sign_general_data(
                data, "sha256", detached=True,
                timestamper=HTTPTimeStamper(settings.SIGNATURE_TSA_URL)
                if settings.SIGNATURE_TSA_URL else None))
        except Exception as exc:
            raise SealUnavailable(_("Ký số bằng chứng thư của cơ quan không thành công: "
                                    "%(error)s") % {"error": type(exc).__name__}) from exc
    return content_info.dump()


def check_data_signature(data: bytes, signature: bytes) -> tuple[CertificateInfo | None, str]:
    """Who signed ``data`` with the detached CMS ``signature``, and what is wrong with it
    (empty: intact and trusted)."""
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    try:
        content = cms.ContentInfo.load(signature)
        signed_data = content["content"]
        status = _run(async_validate_detached_cms(
            data, signed_data, signer_validation_context=validation_context()))
    except Exception:  # noqa: BLE001 - a damaged signature is a finding, not a crash
        return None, _("chữ ký số của bản kê không đọc được")
    certificate = describe(status.signing_cert)
    if not status.intact or not status.valid:
        return certificate, _("bản kê đã bị sửa sau khi ký")
    if not status.trusted:
        return certificate, _("chứng thư số ký bản kê không được tin cậy")
    return certificate, ""


def sealed_if_configured(pdf: bytes, commune_id: int, *, reason: str) -> bytes:
    """``pdf`` with the organisation's signature when the commune has a certificate (an
    automatic, organisation-only document: the 02/TCD receipt), else as it is; a certificate
    that cannot be used now leaves the PDF unsigned rather than failing the citizen."""
    seal = OrganisationSeal.objects.filter(commune_id=commune_id, is_active=True).first()
    if seal is None:
        return pdf
    try:
        return apply_seal(pdf, seal, reason=reason).pdf
    except SealUnavailable:
        log.exception("receipt of commune %s left unsigned", commune_id)
        return pdf
