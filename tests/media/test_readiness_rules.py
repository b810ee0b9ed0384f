"""The readiness rules: the thresholds the server judges by, the checks of what a browser
sends, and which results count for which milestone at which time.  Pure: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from tiepdan.core.errors import InvalidInput
from tiepdan.media.readiness_rules import (
    Point,
    Sample,
    clean_metrics,
    judge,
    milestone_met,
    milestone_window,
    not_ready,
    ready_points,
)
from tiepdan.workdays.calendar import WorkCalendar
from tiepdan.workdays.deadlines import VN_TZ

GOOD = {"camera_ok": True, "camera_width": 640, "camera_height": 480, "microphone_ok": True,
        "microphone_level": 0.4, "speakers_confirmed": True, "rtt_ms": 40.5, "jitter_ms": 4.0,
        "loss_pct": 0.0, "bitrate_kbps": 480.0}


def with_(**changes):
    return {**GOOD, **changes}


def test_it_passes_a_point_whose_every_measurement_is_good():
    assert judge(clean_metrics(GOOD)) == []


@pytest.mark.parametrize(("metrics", "expected"), [
    pytest.param(with_(rtt_ms=300), "Độ trễ khứ hồi 300 ms", id="rtt at the limit fails"),
    pytest.param(with_(rtt_ms=299.9), None, id="rtt just under the limit passes"),
    pytest.param(with_(jitter_ms=30), "jitter", id="jitter at the limit fails"),
    pytest.param(with_(loss_pct=2.5), "mất gói 2,5%", id="loss over 2 percent fails"),
    pytest.param(with_(loss_pct=1.9), None, id="loss under 2 percent passes"),
    pytest.param(with_(bitrate_kbps=299), "299 kbps", id="bitrate under 300 fails"),
    pytest.param(with_(bitrate_kbps=300), None, id="bitrate of 300 passes"),
    pytest.param(with_(camera_ok=False), "camera", id="no camera fails"),
    pytest.param(with_(camera_width=320, camera_height=180), "320×180",
                 id="a picture under 240 lines fails"),
    pytest.param(with_(microphone_ok=False), "Không mở được micro", id="no microphone fails"),
    pytest.param(with_(microphone_level=0.0), "không thu được âm thanh",
                 id="a silent microphone fails"),
    pytest.param(with_(speakers_confirmed=False), "loa", id="unconfirmed speakers fail"),
    pytest.param(with_(rtt_ms=None, jitter_ms=None, loss_pct=None, bitrate_kbps=None),
                 "Không đo được đường truyền", id="no path measured fails"),
])
def test_the_thresholds(metrics, expected):
    problems = judge(clean_metrics(metrics))
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected.lower() in problems[0].lower(), problems


def test_it_lists_every_problem_at_once():
    problems = judge(clean_metrics(with_(speakers_confirmed=False, rtt_ms=900, loss_pct=10)))
    assert len(problems) == 3


@pytest.mark.parametrize(("raw", "field"), [
    pytest.param(with_(rtt_ms="40"), "rtt_ms", id="a number as text"),
    pytest.param(with_(camera_width=True), "camera_width", id="a boolean as a number"),
    pytest.param(with_(loss_pct=140), "loss_pct", id="loss over 100 percent"),
    pytest.param(with_(bitrate_kbps=-1), "bitrate_kbps", id="a negative bitrate"),
    pytest.param(with_(microphone_level=float("nan")), "microphone_level", id="not a number"),
    pytest.param(with_(camera_ok=None), "camera_ok", id="a device flag missing"),
    pytest.param({k: v for k, v in GOOD.items() if k != "jitter_ms"}, "jitter_ms",
                 id="a path measurement left out"),
    pytest.param(with_(passed=True), "passed", id="the browser trying to decide"),
])
def test_it_refuses_bad_measurements_field_by_field(raw, field):
    with pytest.raises(InvalidInput) as error:
        clean_metrics(raw)
    assert field in error.value.field_errors


def test_it_refuses_measurements_that_are_not_an_object():
    with pytest.raises(InvalidInput):
        clean_metrics(["rtt_ms", 40])


# -- Windows ------------------------------------------------------------------------------------

START = dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ)  # a Tuesday
CONNECTION_DUE = dt.date(2026, 12, 14)  # 1 working day before
CALENDAR = WorkCalendar()
CENTRAL, DEPARTMENT, CITIZEN = Point(1, True), Point(2, False), Point(3, False)
POINTS = [CENTRAL, DEPARTMENT, CITIZEN]


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=VN_TZ)


def test_the_windows_of_the_three_milestones():
    assert milestone_window("connection_test", START, CONNECTION_DUE, CALENDAR) == (
        at(9, 0), START)  # 3 working days before Monday the 14th: Wednesday the 9th
    assert milestone_window("final_check", START, START.date(), CALENDAR) == (at(15, 5), START)
    assert milestone_window("all_connected", START, START.date(), CALENDAR) == (
        at(15, 7), START)


def passes(*pairs, passed=True):
    return [Sample(point, when, passed) for point, when in pairs]


CASES = [
    # (milestone, samples, now, met, not ready)
    ("connection_test", passes((2, at(10, 9)), (3, at(11, 14))), at(11, 15), True, [],
     "both component points passed in the window; the central one is not needed"),
    ("connection_test", passes((2, at(10, 9))), at(11, 15), False, [3],
     "one component point never tested"),
    ("connection_test", passes((2, at(8, 16)), (3, at(11, 14))), at(11, 15), False, [2],
     "a pass before the window opened does not count"),
    ("connection_test", passes((2, at(10, 9)), (3, at(11, 14))), at(10, 12), False, [3],
     "a result after now does not count yet"),
    ("connection_test", passes((2, at(10, 9)), (3, at(11, 14)))
     + passes((3, at(11, 16)), passed=False), at(11, 17), False, [3],
     "a later failure undoes the earlier pass"),
    ("connection_test", passes((2, at(15, 8, 30)), (3, at(15, 8, 30))), at(15, 9), False, [2, 3],
     "results after the hearing started do not count"),
    ("final_check", passes((1, at(15, 5, 30)), (2, at(15, 6)), (3, at(15, 5, 1))), at(15, 6, 30),
     True, [], "every point within 3 hours of the start"),
    ("final_check", passes((1, at(15, 5, 30)), (2, at(15, 6)), (3, at(14, 16))), at(15, 6, 30),
     False, [3], "yesterday's pass is too old for the final check"),
    ("final_check", passes((2, at(15, 6)), (3, at(15, 6))), at(15, 6, 30), False, [1],
     "the central point is needed on the day"),
    ("all_connected", passes((1, at(15, 7, 10)), (2, at(15, 7, 5)), (3, at(15, 7, 50))),
     at(15, 7, 55), True, [], "every point within the last hour"),
    ("all_connected", passes((1, at(15, 7, 10)), (2, at(15, 6, 55)), (3, at(15, 7, 50))),
     at(15, 7, 55), False, [2], "a pass 65 minutes before the start is too early"),
]


@pytest.mark.parametrize(("key", "samples", "now", "met", "missing"),
                         [pytest.param(*case[:5], id=case[5]) for case in CASES])
def test_which_points_are_ready_for_a_milestone_at_a_time(key, samples, now, met, missing):
    due = CONNECTION_DUE if key == "connection_test" else START.date()
    window = milestone_window(key, START, due, CALENDAR)
    assert milestone_met(key, POINTS, samples, window, now) is met
    assert not_ready(key, POINTS, samples, window, now) == missing


def test_a_hearing_without_component_points_never_meets_the_connection_test():
    window = milestone_window("connection_test", START, CONNECTION_DUE, CALENDAR)
    assert not milestone_met("connection_test", [CENTRAL], passes((1, at(11, 9))), window,
                             at(11, 10))


def test_ready_points_takes_the_latest_result_of_each_point():
    window = milestone_window("final_check", START, START.date(), CALENDAR)
    samples = passes((1, at(15, 6)), passed=False) + passes((1, at(15, 6, 5)))
    assert ready_points(samples, window, at(15, 7)) == {1}
