"""Số văn bản: one sequence per commune, type and year, starting at 01 each year
(NĐ 30/2020 Đ15 k1). A number is taken only in the transaction that stores its document, so
the register has no gaps (a failed render or store takes none), and it is never given twice,
even if its document is deleted later."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Max

from tiepdan.core.models import Commune

from .dates import number_line
from .models import DocType, DocumentNumber, NumberSequence


def allocate_number(
    commune: Commune, doc_type: DocType | str, year: int,
    *, actor: User | AnonymousUser | None = None,
) -> DocumentNumber:
    """Take the next number and record it, inside the caller's transaction, which must also
    store the document it is for (``services.issue_document``).

    The sequence row stays locked (``select_for_update``) until that transaction ends, so two
    concurrent issues get consecutive numbers; a rollback gives the number back as if it had
    never been taken: the register (sổ đăng ký văn bản đi) has no gaps.
    """
    doc_type = DocType(doc_type)
    if not transaction.get_connection().in_atomic_block:
        # A number committed on its own, without its document, would be a gap in the register.
        raise RuntimeError("allocate_number needs the transaction that stores the document")
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        commune=commune, doc_type=doc_type, year=year,
        defaults={"last_number": _highest_recorded(commune, doc_type, year)},
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    user = actor if actor is not None and actor.is_authenticated else None
    return DocumentNumber.objects.create(
        commune=commune, doc_type=doc_type, year=year, number=sequence.last_number,
        allocated_by=user,
    )


def expected_number(commune: Commune, doc_type: DocType | str, year: int) -> int:
    """The number the next document of ``doc_type`` will most likely get (read, not taken):
    a document is rendered under it before the sequence is locked, and again only if another
    one took it meanwhile."""
    last = (NumberSequence.objects.filter(commune=commune, doc_type=DocType(doc_type), year=year)
            .values_list("last_number", flat=True).first())
    return (last if last is not None else _highest_recorded(commune, DocType(doc_type), year)) + 1


def format_number(number: int, doc_type: DocType | str) -> str:
    """"Số: 05/GM-UBND"."""
    return number_line(number, DocType(doc_type).value)


def _highest_recorded(commune: Commune, doc_type: str, year: int) -> int:
    # A lost sequence row must not restart the numbering below numbers already given.
    found = DocumentNumber.objects.filter(commune=commune, doc_type=doc_type, year=year).aggregate(
        top=Max("number"))["top"]
    return found or 0
