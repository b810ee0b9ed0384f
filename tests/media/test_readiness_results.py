"""Storing readiness results and completing the technical milestones from them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tiepdan.core.errors import InvalidInput
from tiepdan.core.models import Role
from tiepdan.hearings.models import MilestoneStatus, Participant
from tiepdan.media import readiness
from tiepdan.media.models import ReadinessResult
from tiepdan.workdays.deadlines import VN_TZ

from .conftest import RoomCast

START = dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ)  # Tuesday
GOOD = {"camera_ok": True, "camera_width": 640, "camera_height": 480, "microphone_ok": True,
        "microphone_level": 0.4, "speakers_confirmed": True, "rtt_ms": 12.5, "jitter_ms": 3.1,
        "loss_pct": 0.0, "bitrate_kbps": 455.2}
BAD = {**GOOD, "loss_pct": 7.5}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=VN_TZ)


class Setup:
    """The room cast's hearing (planned on 01/12, confirmed) starting at ``START``."""

    def __init__(self, commune, chair_role: Role = Role.CHAIRMAN) -> None:
        cast = RoomCast(commune, starts_at=START, chair_role=chair_role)
        self.chair, self.operator, self.hearing = cast.chair, cast.operator, cast.hearing
        self.central, self.department, self.village = (cast.central, cast.department,
                                                       cast.citizen_point)
        self.official, self.citizen = cast.official, cast.citizen

    def tester(self, participant: Participant) -> readiness.ReadinessTester:
        point = participant.bridge_point
        return readiness.ReadinessTester(
            hearing_id=self.hearing.pk, bridge_point_id=point.pk, bridge_point_name=point.name,
            name=participant.full_name, participant_id=participant.pk)

    def staff(self) -> readiness.ReadinessTester:
        return readiness.tester_for_staff(self.operator, self.hearing)

    def run(self, tester, metrics, when: dt.datetime) -> ReadinessResult:
        with time_machine.travel(when, tick=False):
            return readiness.record_result(tester, metrics, user_agent="Chromium test")

    def status(self, key: str) -> str:
        return self.hearing.milestones.get(key=key).status


@pytest.fixture
def setup(an_lao) -> Setup:
    return Setup(an_lao)


def test_the_server_decides_and_stores_the_result_as_evidence(setup):
    result = setup.run(setup.tester(setup.official), BAD, at(10, 9))
    result.refresh_from_db()
    assert result.passed is False
    assert result.bridge_point == setup.department and result.participant == setup.official
    assert result.metrics["loss_pct"] == 7.5 and result.user_agent == "Chromium test"
    assert result.problems == ["Tỷ lệ mất gói 7,5%, vượt mức cho phép 2%: đường truyền không "
                               "ổn định."]


def test_bad_measurements_store_nothing(setup):
    with pytest.raises(InvalidInput):
        setup.run(setup.tester(setup.official), {**GOOD, "rtt_ms": "fast"}, at(10, 9))
    assert not ReadinessResult.objects.exists()


def test_the_connection_test_completes_when_every_component_point_passes(setup):
    setup.run(setup.tester(setup.official), GOOD, at(10, 9))
    assert setup.status("connection_test") == MilestoneStatus.OPEN  # the village is missing
    setup.run(setup.tester(setup.citizen), GOOD, at(11, 14, 30))
    row = setup.hearing.milestones.get(key="connection_test")
    assert row.status == MilestoneStatus.DONE
    # Through participants' links nobody staff ran it: the chair answers for the hearing.
    assert row.done_by == setup.chair
    assert "Sở Tài nguyên và Môi trường: đạt lúc 09:00 10/12/2026" in row.evidence
    assert "Nhà văn hóa thôn Đông: đạt lúc 14:30 11/12/2026" in row.evidence
    assert "455.2 kbps" in row.evidence
    # The day's checks also need the central point and recent results: still open.
    assert setup.status("final_check") == setup.status("all_connected") == MilestoneStatus.OPEN


def test_a_pass_too_early_or_a_later_failure_does_not_complete_it(setup):
    setup.run(setup.tester(setup.official), GOOD, at(7, 10))  # before the window
    setup.run(setup.tester(setup.citizen), GOOD, at(10, 9))
    assert setup.status("connection_test") == MilestoneStatus.OPEN
    setup.run(setup.tester(setup.citizen), BAD, at(10, 10))
    setup.run(setup.tester(setup.official), GOOD, at(10, 11))
    assert setup.status("connection_test") == MilestoneStatus.OPEN  # the village now fails


def test_the_checks_on_the_day_complete_with_the_operator_as_actor(setup):
    for participant in (setup.official, setup.citizen):
        setup.run(setup.tester(participant), GOOD, at(15, 5, 30))
    assert setup.status("connection_test") == MilestoneStatus.DONE
    assert setup.status("final_check") == MilestoneStatus.OPEN  # central point not tested
    setup.run(setup.staff(), GOOD, at(15, 6))
    final = setup.hearing.milestones.get(key="final_check")
    assert final.status == MilestoneStatus.DONE and final.done_by == setup.operator
    assert "Trụ sở UBND xã: đạt lúc 06:00 15/12/2026" in final.evidence
    assert setup.status("all_connected") == MilestoneStatus.OPEN  # 05:30 is > 1 h before
    for participant in (setup.official, setup.citizen):
        setup.run(setup.tester(participant), GOOD, at(15, 7, 20))
    assert setup.status("all_connected") == MilestoneStatus.OPEN  # the central one: 06:00
    setup.run(setup.staff(), GOOD, at(15, 7, 25))
    assert setup.status("all_connected") == MilestoneStatus.DONE


def test_results_after_the_start_complete_nothing(setup):
    for participant in (setup.official, setup.citizen):
        setup.run(setup.tester(participant), GOOD, at(15, 8, 5))
    assert setup.status("connection_test") == MilestoneStatus.OPEN


def test_a_vice_chairman_chair_cannot_confirm_so_it_waits_for_the_operator(an_lao):
    setup = Setup(an_lao, chair_role=Role.VICE_CHAIRMAN)
    for participant in (setup.official, setup.citizen):
        setup.run(setup.tester(participant), GOOD, at(10, 9))
    assert setup.status("connection_test") == MilestoneStatus.OPEN
    setup.run(setup.staff(), GOOD, at(10, 10))
    row = setup.hearing.milestones.get(key="connection_test")
    assert row.status == MilestoneStatus.DONE and row.done_by == setup.operator


def test_the_table_shows_who_is_not_ready(setup):
    setup.run(setup.tester(setup.official), GOOD, at(10, 9))
    setup.run(setup.tester(setup.citizen), GOOD, at(10, 9))
    setup.run(setup.tester(setup.citizen), BAD, at(10, 10))
    rows = {row.point: row for row in readiness.readiness_rows(setup.hearing, links=True)}
    assert rows[setup.department].ready
    assert not rows[setup.village].ready and rows[setup.village].last.metrics["loss_pct"] == 7.5
    assert rows[setup.central].last is None and not rows[setup.central].ready
    assert "/phong-tiep/kiem-tra/" in rows[setup.department].links[0].url
