"""The figures of a periodic report, per commune and city-wide, against data made here: matters
by kind, field and channel, hearings held, deadlines met on time, follow-up, overdue items."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.builders import staff
from tests.factories import CommuneFactory
from tiepdan.core.models import Role
from tiepdan.hearings.models import HearingStatus
from tiepdan.intake.models import MatterKind, MatterStatus
from tiepdan.intake.register.columns import row_of
from tiepdan.intake.register.models import RegisterEntry
from tiepdan.intake.triage import state_machine as triage
from tiepdan.reports.figures import city_report, commune_report, follow_up_figures
from tiepdan.reports.periods import Period

from .conftest import TODAY, at, decided_on, received

pytestmark = pytest.mark.django_db

Q4 = Period.of("quarter", 2026, 4, today=TODAY)


@pytest.fixture
def quarter_data(an_lao, lac_phuong):
    """Quý IV năm 2026 in An Lão: 3 online (form, API), 2 in person; one matter before the
    quarter and one in Lạc Phượng that must not be counted for An Lão."""
    received(an_lao, at("2026-10-01", 0), kind="khieu_nai", field_of_law="Đất đai")
    received(an_lao, at("2026-10-20"), kind="khieu_nai", channel="api", field_of_law="Đất đai")
    received(an_lao, at("2026-11-05"), kind="to_cao", field_of_law="Cán bộ, công chức")
    received(an_lao, at("2026-11-30", 23), kind="kien_nghi", channel="assisted")
    received(an_lao, at("2026-11-06"), kind="phan_anh", channel="assisted")
    received(an_lao, at("2026-09-30", 23), kind="khieu_nai")  # Quý III
    received(lac_phuong, at("2026-10-10"), kind="to_cao", channel="assisted")


def test_matters_are_counted_by_kind_field_and_channel(quarter_data, an_lao):
    total = commune_report(an_lao, Q4, today=TODAY).total

    assert total.received == 5
    assert total.by_kind == {"khieu_nai": 2, "to_cao": 1, "kien_nghi": 1, "phan_anh": 1}
    assert total.fields() == [("Đất đai", 2), ("Cán bộ, công chức", 1), ("", 2)]
    assert (total.online, total.in_person) == (3, 2)


def test_the_city_report_has_every_commune_and_their_sum(quarter_data, city, an_lao,
                                                         lac_phuong):
    idle = CommuneFactory(name="Xã Yên Tĩnh", city=city)
    report = city_report(city, Q4, today=TODAY)

    by_name = {f.name: f for f in report.communes}
    assert set(by_name) == {an_lao.name, lac_phuong.name, idle.name}
    assert by_name[lac_phuong.name].received == 1
    assert by_name[lac_phuong.name].in_person == 1
    assert by_name[idle.name].is_empty
    assert report.total.received == 6
    assert report.total.by_kind["to_cao"] == 2


def test_a_commune_of_another_city_is_not_in_the_city_report(quarter_data, city, other_city):
    far = CommuneFactory(ward_code=277, name="Phường Bạch Mai", city=other_city)
    received(far, at("2026-10-10"))

    report = city_report(city, Q4, today=TODAY)

    assert far.name not in {f.name for f in report.communes}
    assert report.total.received == 6


def _due(matter, rule_key: str = "notify_outcome") -> dt.date:
    return matter.deadlines.get(rule_key=rule_key).due


def test_deadlines_met_on_time_are_shared_among_those_that_fell_due(an_lao):
    # Recommendations have one deadline: notifying the outcome within 10 working days.
    on_time = received(an_lao, at("2026-10-01"))
    decided_on(on_time, at(_due(on_time).isoformat(), 16))  # met on the due day (local time)
    late = received(an_lao, at("2026-10-02"))
    decided_on(late, at((_due(late) + dt.timedelta(days=1)).isoformat()))  # met late
    received(an_lao, at("2026-11-02"))  # open, past due
    # A complaint reclassified as a recommendation: its acceptance deadline (due 04/12) is
    # cancelled, its notice deadline (09/12) is not due yet.
    reclassified = received(an_lao, at("2026-11-25"), kind="khieu_nai")
    with time_machine.travel(at("2026-11-26"), tick=False):
        triage.classify(reclassified, kind=MatterKind.KIEN_NGHI, field_of_law="Giao thông",
                        actor=staff(an_lao, Role.OFFICE_OFFICER), reason="Phân loại lại")
    assert not reclassified.deadlines.get(rule_key="complaint_acceptance").open
    before = received(an_lao, at("2026-09-10"))
    decided_on(before, at("2026-09-15"))  # Quý III
    assert _due(before) < dt.date(2026, 10, 1) < _due(on_time)

    total = commune_report(an_lao, Q4, today=TODAY).total

    assert total.deadlines_counted == 3
    assert total.deadlines_met == 1
    assert total.deadlines_missed == 2
    assert total.deadlines_overdue == 1
    assert total.met_share == pytest.approx(1 / 3)
    assert total.overdue_items == 1


def test_an_empty_period_is_reported_as_empty(an_lao):
    report = commune_report(an_lao, Period.of("month", 2026, 3, today=TODAY), today=TODAY)

    assert report.is_empty
    assert report.total.met_share is None


def test_follow_up_figures_count_the_tasks_due_in_the_period(an_lao, lac_phuong):
    from tiepdan.followup.models import Body, FollowUpTask, TaskStatus

    body = Body.objects.create(commune=an_lao, name="Phòng Kinh tế")
    matter = received(an_lao, at("2026-10-05"))

    def task(due: str, status: str = TaskStatus.OPEN, commune_matter=matter) -> None:
        FollowUpTask.objects.create(matter=commune_matter, title="Kiểm tra", body=body,
                                    due_date=dt.date.fromisoformat(due), status=status,
                                    due_explanation="hạn")

    task("2026-11-02", TaskStatus.DONE)
    task("2026-11-10")  # open and past due on TODAY: overdue
    task("2026-12-28", TaskStatus.IN_PROGRESS)  # still ahead
    task("2026-11-12", TaskStatus.CANCELLED)  # not counted
    task("2027-01-15")  # due in another period
    task("2026-11-20", commune_matter=received(lac_phuong, at("2026-10-06")))
    found = follow_up_figures([an_lao, lac_phuong], Q4, TODAY)
    ours = found[an_lao.pk]
    assert ours.available
    assert (ours.total, ours.done, ours.overdue) == (3, 1, 1)
    assert (found[lac_phuong.pk].total, found[lac_phuong.pk].done) == (1, 0)


def test_a_hearing_held_counts_and_the_register_follows_it(held_hearing, an_lao):
    hearing, matter = held_hearing
    assert hearing.status == HearingStatus.HELD
    december = Period.of("month", 2026, 12, today=TODAY)

    total = commune_report(an_lao, december, today=TODAY).total
    previous = commune_report(an_lao, Period.of("month", 2026, 11, today=TODAY),
                              today=TODAY).total

    assert total.hearings_held == 1
    assert previous.hearings_held == 0
    assert total.received == 1  # the matter was received on 01/12/2026
    # The register line of the matter: accepted by the commune, then heard (column 12).
    entry = RegisterEntry.objects.select_related("matter", "refusal_notice").get(matter=matter)
    cells = row_of(entry).cells
    assert matter.status == MatterStatus.HEARD
    assert cells[10] == an_lao.committee_name  # (11) cơ quan thụ lý
    assert cells[11] == "Đã tiếp (15/12/2026)"  # (12) theo dõi kết quả
