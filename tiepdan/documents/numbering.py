"""Số văn bản: one sequence per commune, type and year, starting at 01 each year
(NĐ 30/2020 Đ15 k1). A number is never given twice, even if the document it was taken for
failed to render or was deleted later."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Max

from tiepdan.core.models import Commune

from .dates import number_line
from .models import DocType, DocumentNumber, NumberSequence


def allocate_number(
    commune: Commune, doc_type: DocType | str, year: int,
    *, actor: AbstractBaseUser | AnonymousUser | None = None, with_caller: bool = False,
) -> DocumentNumber:
    """Take the next number and record it, in a transaction of its own that commits at once.

    ``durable=True`` refuses to run inside a caller's transaction: a rollback there would give
    the same number out again, and a slow render after it would hold the database lock.

    ``with_caller=True`` takes the number inside the caller's transaction instead, for a
    document that must be issued together with other changes or not at all (the conclusion
    notice and its tasks): a rollback then gives the number back, as it was never issued, and
    the sequence stays locked until the caller commits.
    """
    doc_type = DocType(doc_type)
    if with_caller and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("with_caller=True needs the caller's transaction")
    with transaction.atomic(durable=not with_caller):
        sequence, created = NumberSequence.objects.select_for_update().get_or_create(
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


def next_number(commune: Commune, doc_type: DocType | str, year: int) -> int:
    """The next number of ``doc_type`` in ``commune`` for ``year`` (taken for good)."""
    return allocate_number(commune, doc_type, year).number


def format_number(number: int, doc_type: DocType | str) -> str:
    """"Số: 05/GM-UBND"."""
    return number_line(number, DocType(doc_type).value)


def _highest_recorded(commune: Commune, doc_type: str, year: int) -> int:
    # A lost sequence row must not restart the numbering below numbers already given.
    found = DocumentNumber.objects.filter(commune=commune, doc_type=doc_type, year=year).aggregate(
        top=Max("number"))["top"]
    return found or 0
