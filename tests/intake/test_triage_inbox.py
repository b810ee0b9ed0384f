"""The inbox column of each matter's nearest open deadline (rendered from ``inbox_page``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.builders import make_matter
from tiepdan.intake.inbox import InboxQuery, inbox_page
from tiepdan.intake.models import Matter
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


def _rows(commune):
    return inbox_page(Matter.objects.filter(commune=commune), InboxQuery(), 1,
                      ward_code=commune.ward_code).rows


def _render(commune, rows, **extra) -> str:
    request = RequestFactory().get("/")
    return render_to_string("intake/staff/inbox.html",
                            {"commune": commune, "rows": rows, **extra}, request=request)


def test_it_shows_the_nearest_deadline_with_its_mark(an_lao, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 9, 8, tzinfo=VN_TZ))
    late = make_matter(an_lao, "triaged",
                       since=dt.datetime(2026, 2, 13, 9, tzinfo=VN_TZ))  # due 06/03
    soon = make_matter(an_lao, "triaged",
                       since=dt.datetime(2026, 2, 25, 9, tzinfo=VN_TZ))  # due 11/03
    rows = _rows(an_lao)
    assert [row.matter for row in rows] == [late, soon]
    body = _render(an_lao, rows, show_deadlines=True)
    assert "Hạn gần nhất" in body
    assert '06/03/2026 <span class="badge overdue">' in body
    assert '11/03/2026 <span class="badge due-soon">' in body


def test_without_deadlines_from_the_view_the_inbox_is_unchanged(an_lao):
    matter = make_matter(an_lao)
    body = _render(an_lao, _rows(an_lao))
    assert "Hạn gần nhất" not in body
    assert matter.tracking_code in body
