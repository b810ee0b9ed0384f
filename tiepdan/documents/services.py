"""Ban hành văn bản: render, number, store and audit one document (the number in the
transaction that stores it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import audit
from tiepdan.core.errors import DomainError
from tiepdan.core.models import Commune

from .composer import active_template, check_data, compose
from .layout import Signer
from .models import DocType, DocumentTemplate, IssuedDocument
from .numbering import allocate_number, expected_number
from .registry import RenderedDocument, render, renderer_for
from .signing import schedule_seal_if_due
from .verification import new_code

logger = logging.getLogger(__name__)


@dataclass
class PreparedDocument:
    """A document composed and rendered under the number it is expected to get, not yet
    numbered or stored (``prepare_document``; ``store_document`` issues it)."""

    commune: Commune
    doc_type: DocType
    data: dict[str, Any]
    signer: Signer
    co_signer: Signer | None
    template: DocumentTemplate
    issued_on: dt.date
    number: int
    context: dict[str, Any]
    rendered: RenderedDocument
    verification_code: str = ""

    def render_as(self, number: int) -> None:
        """Compose and render again under ``number`` (the expected one was taken meanwhile)."""
        self.number = number
        self.context, self.rendered = _render(
            self.commune, self.doc_type, self.data, number=number, issued_on=self.issued_on,
            signer=self.signer, template=self.template, co_signer=self.co_signer,
            verification_code=self.verification_code)


def prepare_document(
    commune: Commune, doc_type: DocType | str, context: dict[str, Any], *, signer: Signer,
    issued_on: dt.date | None = None, template: DocumentTemplate | None = None,
    template_key: str = "", co_signer: Signer | None = None,
) -> PreparedDocument:
    """Check ``context`` (the type's variables, see renderers.py) and render the document from
    the active template of ``doc_type`` and ``template_key`` (or ``template``) under the number
    it is expected to get; nothing is written and no number is taken.

    Runs before the numbering transaction: a render takes a second, during which the sequence
    would be locked (under SQLite, the whole database).  Raises ``DomainError`` when the
    document cannot be made (``render_failed`` when the writers fail)."""
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
    number = expected_number(commune, doc_type, issued_on.year)
    code = new_code()
    full_context, rendered = _render(commune, doc_type, context, number=number,
                                     issued_on=issued_on, signer=signer, template=template,
                                     co_signer=co_signer, verification_code=code)
    return PreparedDocument(commune, doc_type, context, signer, co_signer, template, issued_on,
                            number, full_context, rendered, code)


def store_document(prepared: PreparedDocument, *,
                   actor: User | AnonymousUser | None) -> IssuedDocument:
    """Issue ``prepared``: take its number, store both files, the row and its audit entry,
    all in the caller's transaction (required), which the number then belongs to: the
    sequence stays locked until it ends, and a rollback gives the number back, so the
    numbering register stays gapless.  If another document took the expected number
    meanwhile, the document is rendered again under its own.  The caller removes the files
    with ``discard_files`` if it rolls back after this."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("store_document needs the caller's transaction")
    document: IssuedDocument | None = None
    try:
        with transaction.atomic():
            number = allocate_number(prepared.commune, prepared.doc_type,
                                     prepared.issued_on.year, actor=actor)
            if number.number != prepared.number:
                prepared.render_as(number.number)
            signer = prepared.signer
            document = IssuedDocument(
                number_record=number, commune=prepared.commune, doc_type=prepared.doc_type,
                template_key=prepared.template.template_key, number=number.number,
                year=number.year, symbol=number.symbol,
                subject=prepared.context["layout"]["subject"], issued_on=prepared.issued_on,
                signer_name=signer.name,
                signer_position=" ".join(filter(None, [signer.authority, signer.position])),
                template=prepared.template, context=prepared.context,
                created_by=actor if actor is not None and actor.is_authenticated else None,
                verification_code=prepared.verification_code or None,
            )
            _store(document, prepared.rendered, actor)
            schedule_seal_if_due(document)
    except BaseException:
        discard_files(document)
        raise
    return document


def issue_document(
    commune: Commune, doc_type: DocType | str, context: dict[str, Any], *,
    actor: User | AnonymousUser | None, signer: Signer,
    issued_on: dt.date | None = None, template: DocumentTemplate | None = None,
    template_key: str = "", with_caller: bool = False, co_signer: Signer | None = None,
) -> IssuedDocument:
    """Prepare (``prepare_document``) and store (``store_document``) one document: its next
    number in ``commune``, DOCX and PDF files, the row and its audit entry.  ``template_key``
    picks one kind of a type that has several (e.g. the refusal notice 01/TCD among the "TB"
    notices).  If rendering or storing fails, ``DomainError`` is raised and no number, row or
    file remains: the next document gets the number this one would have had.

    Without ``with_caller`` it runs outside any transaction and commits on its own.
    ``with_caller=True``: inside the caller's transaction, which the number and the row then
    belong to (see ``store_document``); the caller removes the files with ``discard_files`` if
    it rolls back after this.
    """
    if with_caller and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("with_caller=True needs the caller's transaction")
    prepared = prepare_document(commune, doc_type, context, signer=signer, issued_on=issued_on,
                                template=template, template_key=template_key,
                                co_signer=co_signer)
    document: IssuedDocument | None = None
    try:
        # durable: inside a caller's transaction that rolled back later, the files would stay.
        with transaction.atomic(durable=not with_caller):
            document = store_document(prepared, actor=actor)
    except BaseException:
        if not with_caller:
            discard_files(document)
        raise
    return document


def _render(commune: Commune, doc_type: DocType, data: dict[str, Any], *, number: int,
            issued_on: dt.date, signer: Signer, template: DocumentTemplate,
            co_signer: Signer | None, verification_code: str = ""
            ) -> tuple[dict[str, Any], RenderedDocument]:
    try:
        full_context = compose(commune, doc_type, data, number=number, issued_on=issued_on,
                               signer=signer, template=template, co_signer=co_signer,
                               verification_code=verification_code)
        return full_context, render(doc_type, full_context)
    except DomainError:
        raise
    except Exception as exc:
        logger.exception("rendering %s number %s failed", doc_type.value, number)
        raise DomainError(_("Không lập được văn bản do lỗi khi dựng tệp; chưa có gì được "
                            "ban hành, chưa cấp số."), code="render_failed") from exc


def _store(document: IssuedDocument, rendered: RenderedDocument,
           actor: User | AnonymousUser | None) -> None:
    """Write both files, then the row and its audit entry (in the numbering transaction)."""
    try:
        document.docx_sha256 = hashlib.sha256(rendered.docx_bytes).hexdigest()
        document.pdf_sha256 = hashlib.sha256(rendered.pdf_bytes).hexdigest()
        document.docx_file.save("van-ban.docx", ContentFile(rendered.docx_bytes), save=False)
        document.pdf_file.save("van-ban.pdf", ContentFile(rendered.pdf_bytes), save=False)
        document.save(force_insert=True)
        audit.record("documents.document.issued", document, actor=actor, commune=document.commune,
                     data={"symbol": document.symbol, "subject": document.subject})
    except Exception as exc:
        logger.exception("storing %s failed", document.symbol)
        raise DomainError(_("Không lưu được văn bản; chưa có gì được ban hành, chưa cấp số."),
                          code="store_failed") from exc


def supersede(document: IssuedDocument, *, actor: User | AnonymousUser | None,
              reason: str, by: IssuedDocument | None = None) -> bool:
    """Mark ``document`` as replaced by ``by`` (or withdrawn when ``by`` is None), with the
    reason; the document and its files are kept.  Inside the caller's transaction; False when
    it was already superseded (compare-and-swap, so twice is harmless)."""
    changed = IssuedDocument.objects.filter(pk=document.pk, superseded_at__isnull=True).update(
        superseded_at=timezone.now(), superseded_by=by, superseded_reason=reason)
    if changed:
        document.refresh_from_db(fields=["superseded_at", "superseded_by", "superseded_reason"])
        kind, data = (("documents.document.replaced", {"symbol": document.symbol, "by": by.symbol})
                      if by is not None else
                      ("documents.document.withdrawn", {"symbol": document.symbol}))
        audit.record(kind, document, actor=actor, commune=document.commune, data=data,
                     reason=reason)
    return bool(changed)


@contextmanager
def discarding_on_rollback() -> Iterator[list[IssuedDocument]]:
    """Around a caller's transaction that stores documents (``store_document``): append each
    one to the list given; if the block fails, their files are removed (the rows and numbers
    went with the rollback).  ``with discarding_on_rollback() as issued, transaction.atomic():``"""
    issued: list[IssuedDocument] = []
    try:
        yield issued
    except BaseException:
        for document in issued:
            discard_files(document)
        raise


def discard_files(document: IssuedDocument | None) -> None:
    """Remove the stored files of a document whose row was rolled back (``with_caller``, or a
    failure inside ``issue_document``)."""
    if document is None:
        return
    document.pk = None
    for field in (document.docx_file, document.pdf_file):
        if field.name:
            try:
                field.storage.delete(field.name)
            except OSError:
                logger.exception("could not remove %s", field.name)
