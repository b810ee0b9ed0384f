"""Two documents of one type issued at the same moment get distinct, consecutive numbers,
each rendered under its own (the sequence row is locked with select_for_update)."""

from __future__ import annotations

import threading
import zipfile

import pytest
from django.db import connection

from tests.factories import CommuneFactory, staff_user
from tiepdan.core.models import Role
from tiepdan.documents.models import DocType, DocumentNumber, IssuedDocument
from tiepdan.documents.services import issue_document

from .conftest import ISSUED_ON, SIGNER, invitation_values


def _number_in_docx(document: IssuedDocument) -> str:
    with document.docx_file.open("rb") as stored, zipfile.ZipFile(stored) as docx:
        body = docx.read("word/document.xml").decode()
    return next(f"{n:02d}/GM-UBND" for n in range(1, 10) if f"{n:02d}/GM-UBND" in body)


def test_concurrent_issues_get_distinct_consecutive_numbers(transactional_db, city):
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks are a PostgreSQL matter; the SQLite test database is shared "
            "in memory, where writers fail instead of waiting"
        )
    commune = CommuneFactory(ward_code=11629, name="Xã An Lão", city=city)
    officer = staff_user(Role.OFFICE_OFFICER, commune=commune)
    per_thread = 3
    start, errors = threading.Barrier(2), []

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                issue_document(
                    commune,
                    DocType.INVITATION,
                    invitation_values(),
                    actor=officer,
                    signer=SIGNER,
                    issued_on=ISSUED_ON,
                )
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = list(range(1, 2 * per_thread + 1))
    assert sorted(DocumentNumber.objects.values_list("number", flat=True)) == expected
    documents = IssuedDocument.objects.order_by("number")
    assert [d.number for d in documents] == expected
    # Each file carries its own number, even the one rendered again after losing the race.
    assert [_number_in_docx(d) for d in documents] == [d.symbol for d in documents]
