"""Ban hành văn bản: number, render, store and audit one document."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import audit
from tiepdan.core.errors import DomainError
from tiepdan.core.models import AuditAction, Commune

from .composer import active_template, check_data, compose
from .layout import Signer
from .models import DocType, DocumentTemplate, IssuedDocument
from .numbering import allocate_number
from .registry import RenderedDocument, render, renderer_for

logger = logging.getLogger(__name__)


def issue_document(
    commune: Commune, doc_type: DocType | str, context: dict[str, Any], *,
    actor: AbstractBaseUser | AnonymousUser | None, signer: Signer,
    issued_on: dt.date | None = None, template: DocumentTemplate | None = None,
    template_key: str = "",
) -> IssuedDocument:
    """Give ``doc_type`` its next number in ``commune``, render it as DOCX and PDF from the
    active template (or ``template``) and ``context`` (the type's variables, see
    renderers.py), store both files and audit the creation. ``template_key`` picks one kind
    of a type that has several (e.g. the refusal notice 01/TCD among the "TB" notices).

    Must be called outside any transaction (the number commits on its own, see
    ``numbering.allocate_number``). If rendering or storing fails, ``DomainError`` is raised and
    neither a row nor a file remains; the number stays used and is never given again.
    """
    doc_type = DocType(doc_type)
    template_key = template.template_key if template is not None else template_key
    try:
        renderer_for(doc_type, template_key)
    except LookupError as exc:
        raise DomainError(_("Chưa hỗ trợ loại văn bản %(type)s.") % {"type": doc_type.label},
                          code="unknown_type") from exc
    template = template or active_template(doc_type, template_key)
    check_data(doc_type, context, template_key)
    issued_on = issued_on or timezone.localdate()
    number = allocate_number(commune, doc_type, issued_on.year, actor=actor)
    try:
        full_context = compose(commune, doc_type, context, number=number.number,
                               issued_on=issued_on, signer=signer, template=template)
        rendered = render(doc_type, full_context)
    except DomainError:
        raise
    except Exception as exc:
        logger.exception("rendering %s failed", number.symbol)
        raise DomainError(
            _("Không lập được văn bản số %(symbol)s do lỗi khi dựng tệp; số này đã được cấp và "
              "sẽ không dùng lại.") % {"symbol": number.symbol},
            code="render_failed",
        ) from exc
    document = IssuedDocument(
        number_record=number, commune=commune, doc_type=doc_type, template_key=template_key,
        number=number.number,
        year=number.year, symbol=number.symbol, subject=full_context["layout"]["subject"],
        issued_on=issued_on, signer_name=signer.name,
        signer_position=" ".join(filter(None, [signer.authority, signer.position])),
        template=template, context=full_context,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _store(document, rendered, actor)
    return document


def _store(document: IssuedDocument, rendered: RenderedDocument,
           actor: AbstractBaseUser | AnonymousUser | None) -> None:
    """Write both files, then the row and its audit entry; on any failure remove the files."""
    try:
        document.docx_sha256 = hashlib.sha256(rendered.docx_bytes).hexdigest()
        document.pdf_sha256 = hashlib.sha256(rendered.pdf_bytes).hexdigest()
        document.docx_file.save("van-ban.docx", ContentFile(rendered.docx_bytes), save=False)
        document.pdf_file.save("van-ban.pdf", ContentFile(rendered.pdf_bytes), save=False)
        with transaction.atomic():
            document.save(force_insert=True)
            audit.record(AuditAction.CREATE, document, actor=actor, commune=document.commune,
                         summary=f"Ban hành {document.symbol}: {document.subject}"[:500])
    except Exception as exc:
        for field in (document.docx_file, document.pdf_file):
            if field.name:
                field.storage.delete(field.name)
        document.pk = None
        logger.exception("storing %s failed", document.symbol)
        raise DomainError(
            _("Không lưu được văn bản số %(symbol)s; số này đã được cấp và sẽ không dùng lại.")
            % {"symbol": document.symbol}, code="store_failed",
        ) from exc


def supersede(document: IssuedDocument, *, actor: AbstractBaseUser | AnonymousUser | None,
              reason: str, by: IssuedDocument | None = None) -> bool:
    """Mark ``document`` as replaced by ``by`` (or withdrawn when ``by`` is None), with the
    reason; the document and its files are kept.  Inside the caller's transaction; False when
    it was already superseded (compare-and-swap, so twice is harmless)."""
    changed = IssuedDocument.objects.filter(pk=document.pk, superseded_at__isnull=True).update(
        superseded_at=timezone.now(), superseded_by=by, superseded_reason=reason)
    if changed:
        document.refresh_from_db(fields=["superseded_at", "superseded_by", "superseded_reason"])
        summary = (f"{document.symbol} được thay bằng {by.symbol}" if by is not None
                   else f"Thu hồi {document.symbol}")
        audit.record(AuditAction.UPDATE, document, actor=actor, commune=document.commune,
                     summary=summary[:500], reason=reason)
    return bool(changed)
