"""Fixtures of the hearing tests: a matter approved for an online hearing and hearings of
Xã An Lão planned, prepared and confirmed through the services (the staff and the ``clock``,
Tuesday 01/12/2026 09:00, come from ``tests/fixtures``)."""

import datetime as dt

import pytest

from tests.builders import add_points, advance, hold, make_matter
from tiepdan.hearings import planning
from tiepdan.workdays.deadlines import VN_TZ


@pytest.fixture
def accepted_matter(an_lao, officer, clock):
    """Registered, classified and accepted (thụ lý) at the clock's "now", before any hearing
    is planned; the petitioner joins from the village's point with the citizens' bridge
    point."""
    return make_matter(an_lao, "accepted", officer=officer, email="cong.dan@example.org")


@pytest.fixture
def approved_matter(accepted_matter, officer, chairman):
    return advance(accepted_matter, "approved", officer=officer, chairman=chairman)


@pytest.fixture
def make_hearing(an_lao, chairman, officer, approved_matter, clock):
    def make(start=dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ), **extra):
        return planning.create_hearing(
            an_lao, starts_at=start, duration_minutes=120, chair=chairman,
            title="Tiếp công dân định kỳ tháng 12", actor=officer,
            matters=[approved_matter], **extra)

    return make


@pytest.fixture
def ready_hearing(make_hearing, officer):
    """With the central point and the citizens' point, which brings the petitioner of the
    agenda's matter (Trần Thị Bình, cong.dan@example.org, 0912 000 101) as a participant."""
    hearing = make_hearing()
    add_points(hearing, actor=officer)
    return hearing


@pytest.fixture
def confirmed_hearing(ready_hearing, officer):
    """Confirmed: its documents issued, its matter scheduled, its invitations queued."""
    return planning.confirm_hearing(ready_hearing, actor=officer)


@pytest.fixture
def held_hearing(confirmed_hearing, chairman, clock):
    """Ended by the chair at its scheduled end, 10:00 on 15/12/2026 (the clock is left
    there); its matter is heard."""
    return hold(confirmed_hearing, actor=chairman, clock=clock)
