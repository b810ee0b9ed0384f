"""Số văn bản: sequential per commune, type and year; never given twice; taken only inside
the transaction that stores its document (a rollback gives it back: no gap)."""

import pytest
from django.db import IntegrityError, transaction

from tiepdan.documents.models import DocType, DocumentNumber
from tiepdan.documents.numbering import allocate_number, expected_number

pytestmark = pytest.mark.django_db


def take(commune, doc_type, year) -> int:
    with transaction.atomic():
        return allocate_number(commune, doc_type, year).number


def test_it_numbers_sequentially_from_one(an_lao):
    assert [take(an_lao, DocType.INVITATION, 2026) for _ in range(3)] == [1, 2, 3]


def test_it_keeps_one_sequence_per_commune_type_and_year(an_lao, lac_phuong):
    take(an_lao, DocType.INVITATION, 2026)
    take(an_lao, DocType.INVITATION, 2026)
    assert take(lac_phuong, DocType.INVITATION, 2026) == 1
    assert take(an_lao, DocType.NOTICE, 2026) == 1
    assert take(an_lao, DocType.INVITATION, 2027) == 1
    assert take(an_lao, DocType.INVITATION, 2026) == 3


def test_it_records_every_number_with_its_symbol(an_lao):
    with transaction.atomic():
        record = allocate_number(an_lao, DocType.INVITATION, 2026)
    assert record.symbol == "01/GM-UBND"
    assert DocumentNumber.objects.filter(commune=an_lao).count() == 1


def test_a_rolled_back_number_is_given_again(an_lao):
    with pytest.raises(RuntimeError, match="render"), transaction.atomic():
        allocate_number(an_lao, DocType.INVITATION, 2026)
        raise RuntimeError("render failed after the number was taken")
    assert not DocumentNumber.objects.exists()
    assert take(an_lao, DocType.INVITATION, 2026) == 1


def test_it_does_not_reuse_a_number_whose_record_was_deleted(an_lao):
    with transaction.atomic():
        first = allocate_number(an_lao, DocType.REPORT, 2026)
    first.delete()
    assert take(an_lao, DocType.REPORT, 2026) == 2


def test_it_refuses_a_duplicate_number_in_the_database(an_lao):
    take(an_lao, DocType.NOTICE, 2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentNumber.objects.create(commune=an_lao, doc_type=DocType.NOTICE, year=2026,
                                      number=1)


def test_the_expected_number_is_read_not_taken(an_lao):
    assert expected_number(an_lao, DocType.NOTICE, 2026) == 1
    assert expected_number(an_lao, DocType.NOTICE, 2026) == 1
    take(an_lao, DocType.NOTICE, 2026)
    assert expected_number(an_lao, DocType.NOTICE, 2026) == 2
    assert not DocumentNumber.objects.filter(number=2).exists()


def test_it_refuses_to_commit_a_number_on_its_own(transactional_db, an_lao):
    # Outside a transaction the number would commit without its document: a gap.
    with pytest.raises(RuntimeError, match="transaction"):
        allocate_number(an_lao, DocType.NOTICE, 2026)
    assert not DocumentNumber.objects.exists()
