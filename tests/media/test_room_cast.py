"""The media tests' hearing (RoomCast) is one an office could hold on whatever day the tests
run: confirmed through the planning services, under way now, and on a weekend or holiday only
after the day was recorded as a make-up working day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import CommuneFactory
from tiepdan.hearings.models import HearingStatus
from tiepdan.intake.models import MatterStatus
from tiepdan.workdays.deadlines import VN_TZ
from tiepdan.workdays.models import CalendarOverride
from tiepdan.workdays.services import current_calendar

from .conftest import RoomCast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("now", [
    pytest.param(dt.datetime(2026, 12, 8, 14, 0, tzinfo=VN_TZ), id="tuesday"),
    pytest.param(dt.datetime(2026, 12, 12, 9, 0, tzinfo=VN_TZ), id="saturday"),
    pytest.param(dt.datetime(2026, 9, 2, 8, 30, tzinfo=VN_TZ), id="national-day"),
])
def test_the_cast_hearing_is_confirmed_and_under_way_on_any_day(now):
    working_day = current_calendar().is_working_day(now.date())
    with time_machine.travel(now, tick=False):
        cast = RoomCast(CommuneFactory(ward_code=11629, name="Xã An Lão"))
    hearing = cast.hearing
    assert hearing.status == HearingStatus.CONFIRMED and hearing.confirmed_by == cast.officer
    assert hearing.starts_at == now - dt.timedelta(minutes=5)
    assert hearing.ends_at == now + dt.timedelta(hours=2)
    assert not hearing.late_override_reason  # planned in time: every notice period met
    assert hearing.agenda.get().matter.status == MatterStatus.SCHEDULED
    assert cast.citizen.matter == hearing.agenda.get().matter
    assert CalendarOverride.objects.filter(date=now.date()).exists() is not working_day
