"""Running deadlines of matters, computed with the real working calendar (package baseline plus
the seeded overrides) and recomputed when the calendar changes."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import COMPLAINT, make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake import matter_deadlines as md
from tiepdan.intake.models import Matter, MatterDeadline, MatterKind
from tiepdan.workdays import services
from tiepdan.workdays.calendar import OverrideKind
from tiepdan.workdays.deadlines import VN_TZ
from tiepdan.workdays.marks import Mark

pytestmark = pytest.mark.django_db

# Friday 13/02/2026, the last working day before Tết (16–20/02/2026 off).
FRIDAY_BEFORE_TET = dt.datetime(2026, 2, 13, 9, 30, tzinfo=VN_TZ)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    services.invalidate_calendar_cache()
    yield
    services.invalidate_calendar_cache()


def _due(matter: Matter) -> dict[str, dt.date]:
    return dict(matter.deadlines.values_list("rule_key", "due"))


@pytest.mark.parametrize(("fields", "expected"), [
    pytest.param(COMPLAINT, {
        "notify_outcome": dt.date(2026, 3, 6), "complaint_acceptance": dt.date(2026, 3, 3)},
        id="khieu-nai-13/02-skips-Tet-16..20/02: 10wd=23/02..06/03 (Fri 06/03), 7wd=Tue 03/03"),
    pytest.param({"kind": MatterKind.TO_CAO}, {
        "notify_outcome": dt.date(2026, 3, 6),
        "denunciation_initial_processing": dt.date(2026, 3, 3)},
        id="to-cao-13/02-skips-Tet: 10wd=Fri 06/03, initial processing 7wd=Tue 03/03"),
    pytest.param({"kind": MatterKind.KIEN_NGHI}, {"notify_outcome": dt.date(2026, 3, 6)},
                 id="kien-nghi-13/02: only the 10wd notice, Fri 06/03"),
])
def test_registration_starts_the_deadlines_of_the_kind(an_lao, fields, expected):
    matter = make_matter(an_lao, since=FRIDAY_BEFORE_TET, **fields)
    assert _due(matter) == expected
    notify = matter.deadlines.get(rule_key="notify_outcome")
    assert notify.trigger == dt.date(2026, 2, 13)
    assert "bỏ qua 16/02–20/02 (Tết Nguyên đán)" in notify.explanation


def test_the_trigger_is_the_vietnamese_date_of_receipt(an_lao):
    # 23:30 UTC on Thursday 12/02 is already Friday 13/02 in Hải Phòng.
    received = dt.datetime(2026, 2, 12, 23, 30, tzinfo=dt.UTC)
    matter = make_matter(an_lao, since=received)
    assert _due(matter) == {"notify_outcome": dt.date(2026, 3, 6)}


def test_starting_twice_keeps_one_deadline(an_lao):
    matter = make_matter(an_lao, kind=MatterKind.TO_CAO, since=FRIDAY_BEFORE_TET)
    md.start_registration_deadlines(matter)  # the registration started them once already
    assert matter.deadlines.count() == 2


def test_an_added_day_off_moves_the_open_deadlines(
    an_lao, django_capture_on_commit_callbacks
):
    matter = make_matter(an_lao, since=FRIDAY_BEFORE_TET, **COMPLAINT)
    met = make_matter(an_lao, since=FRIDAY_BEFORE_TET)
    md.close_deadlines(met, ["notify_outcome"])
    with django_capture_on_commit_callbacks(execute=True):
        services.add_override(date=dt.date(2026, 3, 2), kind=OverrideKind.DAY_OFF,
                              name="Nghỉ đột xuất (thử nghiệm)", legal_reference="QĐ thử nghiệm",
                              actor=staff_user(Role.SYSTEM_ADMIN))
    # Monday 02/03 off: both periods end one working day later.
    assert _due(matter) == {"notify_outcome": dt.date(2026, 3, 9),
                            "complaint_acceptance": dt.date(2026, 3, 4)}
    notify = matter.deadlines.get(rule_key="notify_outcome")
    assert "Nghỉ đột xuất (thử nghiệm)" in notify.explanation
    # A deadline already met stays as it was.
    assert _due(met) == {"notify_outcome": dt.date(2026, 3, 6)}


def test_the_recompute_hook_counts_the_open_deadlines(an_lao):
    matter = make_matter(an_lao, kind=MatterKind.TO_CAO, since=FRIDAY_BEFORE_TET)
    md.close_deadlines(matter, ["denunciation_initial_processing"])
    assert md.recompute_open_deadlines(services.current_calendar(), frozenset()) == 1
    assert md.recompute_open_deadlines in services._hooks  # registered by IntakeConfig.ready


# Marks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "mark"), [
    pytest.param(dt.date(2026, 3, 2), Mark.RUNNING, id="Mon-02/03: 4wd before 06/03"),
    pytest.param(dt.date(2026, 3, 4), Mark.DUE_SOON, id="Wed-04/03: 2wd before 06/03"),
    pytest.param(dt.date(2026, 3, 6), Mark.DUE_SOON, id="Fri-06/03: the last day"),
    pytest.param(dt.date(2026, 3, 7), Mark.OVERDUE, id="Sat-07/03: one day late"),
])
def test_it_marks_overdue_and_due_soon_deadlines(an_lao, today, mark):
    matter = make_matter(an_lao, since=FRIDAY_BEFORE_TET)
    [view] = md.deadlines_for_display(matter, today=today)
    assert (view.label, view.mark) == ("Thông báo kết quả xử lý cho công dân", mark)


def test_a_met_deadline_is_marked_met_even_after_its_due_date(an_lao):
    matter = make_matter(an_lao, since=FRIDAY_BEFORE_TET)
    md.close_deadlines(matter, ["notify_outcome"])
    [view] = md.deadlines_for_display(matter, today=dt.date(2026, 4, 1))
    assert view.mark == Mark.MET


def test_the_inbox_order_puts_new_matters_first_then_the_most_urgent(an_lao):
    def matter(state, received_day):
        return make_matter(an_lao, state,
                           since=dt.datetime(2026, 3, received_day, 9, tzinfo=VN_TZ))

    triaged_late = matter("triaged", 10)
    triaged_early = matter("triaged", 2)
    new_one = matter("new", 12)
    no_deadline = make_matter(an_lao, "accepted")  # its decision met the deadlines
    ordered = list(md.order_for_inbox(Matter.objects.filter(commune=an_lao)))
    assert ordered == [new_one, triaged_early, triaged_late, no_deadline]
    assert md.inbox_marks(ordered, today=dt.date(2026, 3, 16)) == [
        Mark.RUNNING, Mark.DUE_SOON, Mark.RUNNING, None]


def test_closing_is_counted_once(an_lao):
    matter = make_matter(an_lao)
    assert md.close_deadlines(matter, md.MET_BY_DECISION) == 1
    assert md.close_deadlines(matter, md.MET_BY_DECISION) == 0
    assert MatterDeadline.objects.get(matter=matter).met_at is not None
