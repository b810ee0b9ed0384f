"""Số văn bản: sequential per commune, type and year; never given twice."""

import pytest
from django.db import IntegrityError, transaction

from tiepdan.documents.models import DocType, DocumentNumber
from tiepdan.documents.numbering import allocate_number, next_number

pytestmark = pytest.mark.django_db


def test_it_numbers_sequentially_from_one(an_lao):
    assert [next_number(an_lao, DocType.INVITATION, 2026) for _ in range(3)] == [1, 2, 3]


def test_it_keeps_one_sequence_per_commune_type_and_year(an_lao, lac_phuong):
    next_number(an_lao, DocType.INVITATION, 2026)
    next_number(an_lao, DocType.INVITATION, 2026)
    assert next_number(lac_phuong, DocType.INVITATION, 2026) == 1
    assert next_number(an_lao, DocType.NOTICE, 2026) == 1
    assert next_number(an_lao, DocType.INVITATION, 2027) == 1
    assert next_number(an_lao, DocType.INVITATION, 2026) == 3


def test_it_records_every_number_with_its_symbol(an_lao):
    record = allocate_number(an_lao, DocType.INVITATION, 2026)
    assert record.symbol == "01/GM-UBND"
    assert DocumentNumber.objects.filter(commune=an_lao).count() == 1


def test_it_does_not_reuse_a_number_whose_record_was_deleted(an_lao):
    first = allocate_number(an_lao, DocType.REPORT, 2026)
    first.delete()
    assert next_number(an_lao, DocType.REPORT, 2026) == 2


def test_it_refuses_a_duplicate_number_in_the_database(an_lao):
    allocate_number(an_lao, DocType.NOTICE, 2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentNumber.objects.create(commune=an_lao, doc_type=DocType.NOTICE, year=2026,
                                      number=1)


def test_it_refuses_to_run_inside_a_callers_transaction(an_lao):
    # A rollback of the caller's transaction would give the same number out again.
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate_number(an_lao, DocType.NOTICE, 2026)
