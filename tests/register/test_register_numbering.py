"""STT of the register: one sequence per commune and year, without gaps, never given twice."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import MatterKind
from tiepdan.intake.register.models import RegisterEntry, RegisterSequence
from tiepdan.intake.triage import state_machine as triage

from .conftest import decided, registered

VN = dt.timezone(dt.timedelta(hours=7))


def _numbers(commune, year) -> list[int]:
    return list(RegisterEntry.objects.filter(commune=commune, year=year)
                .order_by("number").values_list("number", flat=True))


@pytest.mark.django_db
def test_it_numbers_each_commune_on_its_own(an_lao, lac_phuong, officer):
    other = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong)
    for _ in range(3):
        decided(an_lao, officer, "file")
    decided(lac_phuong, other, "accept")
    assert _numbers(an_lao, timezone.localdate().year) == [1, 2, 3]
    assert _numbers(lac_phuong, timezone.localdate().year) == [1]


@pytest.mark.django_db
def test_it_starts_again_at_one_in_the_year_of_reception(an_lao, officer):
    # 31/12/2025 23:30 in Hải Phòng is still 2025 there, though 2025-12-31 16:30 UTC.
    late = dt.datetime(2025, 12, 31, 23, 30, tzinfo=VN)
    decided(an_lao, officer, "file", received_at=late)
    decided(an_lao, officer, "file", received_at=dt.datetime(2026, 1, 2, 8, 0, tzinfo=VN))
    decided(an_lao, officer, "file", received_at=dt.datetime(2026, 1, 3, 8, 0, tzinfo=VN))
    assert _numbers(an_lao, 2025) == [1] and _numbers(an_lao, 2026) == [1, 2]
    assert RegisterEntry.objects.get(year=2025).received_on == dt.date(2025, 12, 31)


@pytest.mark.django_db
def test_a_rolled_back_outcome_leaves_no_gap(an_lao, officer):
    decided(an_lao, officer, "file")
    matter = registered(an_lao)
    with pytest.raises(RuntimeError), transaction.atomic():
        triage.refuse(matter, ground="out_of_scope", actor=officer, reason="Ngoài phạm vi")
        raise RuntimeError("the caller's transaction fails after the outcome")
    decided(an_lao, officer, "file")
    assert _numbers(an_lao, timezone.localdate().year) == [1, 2]


@pytest.mark.django_db
def test_a_lost_sequence_row_does_not_reuse_numbers(an_lao, officer):
    decided(an_lao, officer, "file")
    decided(an_lao, officer, "file")
    RegisterSequence.objects.all().delete()
    decided(an_lao, officer, "file")
    assert _numbers(an_lao, timezone.localdate().year) == [1, 2, 3]


def test_concurrent_outcomes_get_distinct_consecutive_numbers(transactional_db, city):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers")
    from tests.factories import CommuneFactory

    commune = CommuneFactory(ward_code=11629, name="Xã An Lão", city=city)
    officer = staff_user(Role.OFFICE_OFFICER, commune=commune)
    per_thread = 8
    matters = [[registered(commune) for _ in range(per_thread)] for _ in range(2)]
    for group in matters:
        for matter in group:
            triage.classify(matter, kind=MatterKind.KIEN_NGHI, field_of_law="Đất đai",
                            actor=officer, reason="Phân loại")
    start, errors = threading.Barrier(2), []

    def work(group):
        try:
            start.wait()
            for matter in group:
                triage.decide(matter, outcome="file", within_competence=True, actor=officer,
                              reason="Lưu đơn")
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(group,)) for group in matters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _numbers(commune, timezone.localdate().year) == list(range(1, 2 * per_thread + 1))
