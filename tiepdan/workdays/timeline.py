"""Milestones before an online reception session (tiếp công dân trực tuyến).

Pure: the hearings app calls :func:`hearing_timeline` with the rules from the database
(``tiepdan.workdays.models.get_rules``); without them the shipped catalogue is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from tiepdan.workdays.calendar import WorkCalendar
from tiepdan.workdays.catalogue import DEFAULT_RULES
from tiepdan.workdays.deadlines import VN_TZ, Deadline, Rule, compute

# In chronological order for a typical session.
HEARING_MILESTONES: tuple[str, ...] = (
    "notify_parties",
    "report_to_city",
    "invitations_issued",
    "connection_test",
    "final_check",
    "all_connected",
)
CITY_LEADERS_ONLY = frozenset({"report_to_city"})


def milestone_keys(city_leaders: bool) -> tuple[str, ...]:
    return tuple(k for k in HEARING_MILESTONES if city_leaders or k not in CITY_LEADERS_ONLY)


def hearing_timeline(
    start: datetime,
    city_leaders: bool,
    calendar: WorkCalendar,
    rules: Mapping[str, Rule] | None = None,
) -> dict[str, Deadline]:
    """Due dates of the preparation milestones of a session starting at ``start``.

    ``start`` is taken as Vietnam time when naive.  ``report_to_city`` only applies when city
    leaders attend (An Lão regulation Đ6 k1 a).  Day-based milestones give a date, hour-based
    ones an aware datetime.
    """
    if start.tzinfo is None:
        start = start.replace(tzinfo=VN_TZ)
    rules = DEFAULT_RULES if rules is None else rules
    return {key: compute(rules[key], start, calendar) for key in milestone_keys(city_leaders)}
