"""Preparation milestones of online sessions around holidays (sessions at 08:00).

notify_parties: 05 working days before; report_to_city: 05 days before; invitations_issued:
03 days before; connection_test: 01 working day before.  Calendar-day milestones that land on
a day off move back to the previous working day.  Expected values worked out by hand from the
calendars in test_working_days.py.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tiepdan.workdays.deadlines import VN_TZ, Rule, Unit
from tiepdan.workdays.timeline import HEARING_MILESTONES, hearing_timeline

D = date


# fmt: off
SESSIONS = [
    # Tết 2027 is 4–10/2: notify counts 12, 11, 3, 2, 1/2; 10/2 (Tết) moves back to 3/2.
    pytest.param(D(2027, 2, 15), D(2027, 2, 1), D(2027, 2, 3), D(2027, 2, 12), D(2027, 2, 12),
                 id="mon-15-02-2027-after-tet"),
    # First day after Tết 2027: 5 wd back = 3, 2, 1/2, 29, 28/1; 6/2 and 8/2 are Tết.
    pytest.param(D(2027, 2, 11), D(2027, 1, 28), D(2027, 2, 3), D(2027, 2, 3), D(2027, 2, 3),
                 id="thu-11-02-2027-first-day-after-tet"),
    # Tết 2026 is 16–20/2: notify 13, 12, 11, 10, 9/2; 18/2 and 20/2 move back to 13/2.
    pytest.param(D(2026, 2, 23), D(2026, 2, 9), D(2026, 2, 13), D(2026, 2, 13), D(2026, 2, 13),
                 id="mon-23-02-2026-first-day-after-tet"),
    # 23/2 counts; 19/2 (Tết) and 21/2 (Sat) move back to 13/2.
    pytest.param(D(2026, 2, 24), D(2026, 2, 10), D(2026, 2, 13), D(2026, 2, 13), D(2026, 2, 23),
                 id="tue-24-02-2026"),
    # 30/4–1/5/2026 off, 27/4 nghỉ bù: notify 29, 28, 24, 23, 22/4.
    pytest.param(D(2026, 5, 4), D(2026, 4, 22), D(2026, 4, 29), D(2026, 4, 29), D(2026, 4, 29),
                 id="mon-04-05-2026-after-30-4"),
    pytest.param(D(2026, 5, 5), D(2026, 4, 23), D(2026, 4, 29), D(2026, 4, 29), D(2026, 5, 4),
                 id="tue-05-05-2026"),
    # 31/8–2/9/2026 off: notify 28, 27, 26, 25, 24/8; 29/8 (Sat) and 31/8 move to 28/8.
    pytest.param(D(2026, 9, 3), D(2026, 8, 24), D(2026, 8, 28), D(2026, 8, 28), D(2026, 8, 28),
                 id="thu-03-09-2026-after-national-day"),
    # 2/9 (5 days before) is off, back over 1/9, 31/8 and the weekend to 28/8.
    pytest.param(D(2026, 9, 7), D(2026, 8, 26), D(2026, 8, 28), D(2026, 9, 4), D(2026, 9, 4),
                 id="mon-07-09-2026"),
    # Monday after the make-up Saturday 22/8: it counts and is the connection-test day.
    pytest.param(D(2026, 8, 24), D(2026, 8, 18), D(2026, 8, 19), D(2026, 8, 21), D(2026, 8, 22),
                 id="mon-24-08-2026-after-make-up-saturday"),
    # 3 days before is the make-up Saturday 22/8, a working day: no move.
    pytest.param(D(2026, 8, 25), D(2026, 8, 19), D(2026, 8, 20), D(2026, 8, 22), D(2026, 8, 24),
                 id="tue-25-08-2026-invitations-on-make-up-saturday"),
    # Monday after the make-up Saturday 10/1/2026.
    pytest.param(D(2026, 1, 12), D(2026, 1, 6), D(2026, 1, 7), D(2026, 1, 9), D(2026, 1, 10),
                 id="mon-12-01-2026-after-make-up-saturday"),
    # 1–2/1/2026 off: notify 31, 30, 29, 26, 25/12/2025.
    pytest.param(D(2026, 1, 5), D(2025, 12, 25), D(2025, 12, 31), D(2025, 12, 31), D(2025, 12, 31),
                 id="mon-05-01-2026-after-new-year"),
    # 1/1/2027 (Fri) off: notify 31, 30, 29, 28, 25/12/2026.
    pytest.param(D(2027, 1, 4), D(2026, 12, 25), D(2026, 12, 30), D(2026, 12, 31), D(2026, 12, 31),
                 id="mon-04-01-2027-after-new-year"),
    # 24/11/2026 (Culture Day) off: notify 23, 20, 19, 18, 17/11.
    pytest.param(D(2026, 11, 25), D(2026, 11, 17), D(2026, 11, 20), D(2026, 11, 20),
                 D(2026, 11, 23), id="wed-25-11-2026-after-culture-day"),
    # 27/4/2026 nghỉ bù: notify 24, 23, 22, 21, 20/4; 25/4 (Sat) moves to 24/4.
    pytest.param(D(2026, 4, 28), D(2026, 4, 20), D(2026, 4, 23), D(2026, 4, 24), D(2026, 4, 24),
                 id="tue-28-04-2026-after-nghi-bu"),
    # 2025: 30/4–2/5 off, Saturday 26/4 worked: notify 29, 28, 26, 25, 24/4.
    pytest.param(D(2025, 5, 5), D(2025, 4, 24), D(2025, 4, 29), D(2025, 4, 29), D(2025, 4, 29),
                 id="mon-05-05-2025-make-up-saturday-counts"),
    # 2027: 30/4, 1/5 (Sat) and 3/5 (nghỉ bù) off: notify 29, 28, 27, 26, 23/4.
    pytest.param(D(2027, 5, 4), D(2027, 4, 23), D(2027, 4, 29), D(2027, 4, 29), D(2027, 4, 29),
                 id="tue-04-05-2027-after-30-4"),
    # Giỗ Tổ 2027 on Friday 16/4: notify 15, 14, 13, 12, 9/4.
    pytest.param(D(2027, 4, 19), D(2027, 4, 9), D(2027, 4, 14), D(2027, 4, 15), D(2027, 4, 15),
                 id="mon-19-04-2027-after-hung-kings"),
    # 2–3/9/2027 off: notify 1/9, 31, 30, 27, 26/8.
    pytest.param(D(2027, 9, 6), D(2027, 8, 26), D(2027, 9, 1), D(2027, 9, 1), D(2027, 9, 1),
                 id="mon-06-09-2027-after-national-day"),
    pytest.param(D(2026, 3, 2), D(2026, 2, 23), D(2026, 2, 25), D(2026, 2, 27), D(2026, 2, 27),
                 id="mon-02-03-2026-ordinary-week"),
]
# fmt: on


@pytest.mark.parametrize(("session", "notify", "report", "invitations", "test"), SESSIONS)
def test_it_computes_the_timeline(calendar, session, notify, report, invitations, test):
    start = datetime(session.year, session.month, session.day, 8, 0, tzinfo=VN_TZ)
    timeline = hearing_timeline(start, True, calendar)
    assert {key: timeline[key].due for key in timeline} == {
        "notify_parties": notify,
        "report_to_city": report,
        "invitations_issued": invitations,
        "connection_test": test,
        "final_check": datetime(session.year, session.month, session.day, 6, 0, tzinfo=VN_TZ),
        "all_connected": datetime(session.year, session.month, session.day, 7, 0, tzinfo=VN_TZ),
    }


def test_it_leaves_out_the_city_report_without_city_leaders(calendar):
    timeline = hearing_timeline(datetime(2027, 2, 15, 8, tzinfo=VN_TZ), False, calendar)
    assert list(timeline) == [k for k in HEARING_MILESTONES if k != "report_to_city"]


def test_it_reads_a_naive_start_as_vietnam_time(calendar):
    timeline = hearing_timeline(datetime(2027, 2, 15, 8), False, calendar)
    assert timeline["final_check"].due.isoformat() == "2027-02-15T06:00:00+07:00"


def test_it_uses_the_rules_it_is_given(calendar):
    rules = {key: Rule(1, Unit.HOURS) for key in HEARING_MILESTONES}
    rules["connection_test"] = Rule(2, Unit.WORKING_DAYS, "backward")
    timeline = hearing_timeline(datetime(2027, 2, 15, 8, tzinfo=VN_TZ), False, calendar, rules)
    assert timeline["connection_test"].due == D(2027, 2, 11)
