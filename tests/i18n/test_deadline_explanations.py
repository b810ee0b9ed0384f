"""Deadline explanations, deadline names and the monthly reception warning in English.

The engine stores its explanation in Vietnamese (the record); ``workdays.explain`` reads it back
and says it again in the reader's language (``|explanation`` in templates)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from tiepdan.hearings.schedule import MonthWarning
from tiepdan.workdays import explain
from tiepdan.workdays.calendar import Override, OverrideKind, WorkCalendar
from tiepdan.workdays.catalogue import CATALOGUE, DEFAULT_RULES
from tiepdan.workdays.deadlines import VN_TZ, Direction, Rule, Unit, compute
from tiepdan.workdays.names import SHIPPED_NAMES, deadline_name

CALENDAR = WorkCalendar()
# A make-up Saturday (ngày làm bù) worked for a swapped Monday off.
SWAPPED = WorkCalendar(
    overrides=[
        Override(dt.date(2026, 11, 14), OverrideKind.WORKING_DAY, "Làm bù"),
        Override(dt.date(2026, 11, 16), OverrideKind.DAY_OFF, ""),
    ]
)


def in_english(text: str) -> str:
    with translation.override("en"):
        return explain.explain(text)


@pytest.mark.parametrize(
    ("rule", "trigger", "calendar", "english"),
    [
        pytest.param(
            Rule(5, Unit.WORKING_DAYS),
            dt.date(2026, 12, 28),
            CALENDAR,
            "05 working days after 28/12/2026 (Monday): due 05/01/2027 (Tuesday); "
            "skipping 01/01/2027 (New Year's Day)",
            id="working days over New Year",
        ),
        pytest.param(
            Rule(10, Unit.WORKING_DAYS),
            dt.date(2027, 2, 1),
            CALENDAR,
            "10 working days after 01/02/2027 (Monday): due 22/02/2027 (Monday); "
            "skipping 04/02–10/02 (Lunar New Year)",
            id="working days over Tết",
        ),
        pytest.param(
            Rule(5, Unit.WORKING_DAYS, Direction.BACKWARD),
            dt.date(2026, 5, 4),
            CALENDAR,
            "05 working days before 04/05/2026 (Monday): due 22/04/2026 (Wednesday); "
            "skipping 26/04–27/04 (Hùng Kings' Commemoration Day; Day off in lieu of "
            "Hùng Kings' Commemoration Day); 30/04–01/05 (Reunification Day; "
            "International Labour Day)",
            id="at least N working days before",
        ),
        pytest.param(
            Rule(3, Unit.CALENDAR_DAYS, Direction.BACKWARD),
            dt.date(2026, 5, 4),
            CALENDAR,
            "03 days before 04/05/2026 (Monday) is 01/05/2026 (Friday, International "
            "Labour Day), moved back to the previous working day: due 29/04/2026 "
            "(Wednesday); skipping 30/04–01/05 (Reunification Day; International Labour "
            "Day)",
            id="calendar days landing on a holiday",
        ),
        pytest.param(
            Rule(5, Unit.CALENDAR_DAYS),
            dt.date(2026, 12, 7),
            CALENDAR,
            "05 days after 07/12/2026 (Monday) is 12/12/2026 (Saturday, weekend), moved "
            "to the next working day: due 14/12/2026 (Monday)",
            id="calendar days on a weekend",
        ),
        pytest.param(
            Rule(3, Unit.CALENDAR_DAYS, Direction.BACKWARD),
            dt.date(2026, 12, 28),
            CALENDAR,
            "03 days before 28/12/2026 (Monday) is 25/12/2026 (Friday): due 25/12/2026 (Friday)",
            id="calendar days on a working day",
        ),
        pytest.param(
            Rule(2, Unit.HOURS, Direction.BACKWARD),
            dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ),
            CALENDAR,
            "02 hours before 08:00 on 15/12/2026: due 06:00 on 15/12/2026",
            id="hours",
        ),
        pytest.param(
            Rule(3, Unit.WORKING_DAYS),
            dt.date(2026, 11, 12),
            SWAPPED,
            "03 working days after 12/11/2026 (Thursday): due 17/11/2026 (Tuesday); "
            "skipping 16/11 (Swapped day off); counting the make-up working day "
            "Saturday 14/11",
            id="a make-up Saturday",
        ),
    ],
)
def test_each_kind_of_count_is_explained_in_english(rule, trigger, calendar, english):
    stored = compute(rule, trigger, calendar).explanation
    assert in_english(stored) == english


def every_explanation_the_engine_writes() -> list[str]:
    triggers = [dt.date(2026, 4, 20) + dt.timedelta(days=n) for n in range(0, 320, 3)]
    texts = []
    for rule in [*DEFAULT_RULES.values(), Rule(5, Unit.CALENDAR_DAYS), Rule(0, Unit.WORKING_DAYS)]:
        for day in triggers:
            trigger = (
                dt.datetime.combine(day, dt.time(8), VN_TZ) if rule.unit == Unit.HOURS else day
            )
            for calendar in (CALENDAR, SWAPPED):
                texts.append(compute(rule, trigger, calendar).explanation)
    return texts


def test_every_explanation_the_engine_writes_is_understood():
    """Read back and said again in Vietnamese, each is exactly what the engine wrote: nothing
    of the count is lost in translation, and in English no Vietnamese word is left."""
    texts = every_explanation_the_engine_writes()
    assert len(set(texts)) > 300
    with translation.override("vi"):
        lost = [t for t in texts if (p := explain.parse(t)) is None or explain.render(p) != t]
    assert not lost
    left = [
        e
        for e in map(in_english, texts)
        if any(word in e for word in ("ngày", "hạn chót", "thứ", "bỏ qua", "Tết"))
    ]
    assert not left


def test_a_vietnamese_reader_sees_the_stored_text():
    stored = compute(Rule(5, Unit.WORKING_DAYS), dt.date(2026, 12, 28), CALENDAR).explanation
    with translation.override("vi"):
        assert explain.explain(stored) == stored


def test_an_unknown_text_is_shown_as_written():
    assert in_english("Theo quyết định của Chủ tịch UBND xã") == (
        "Theo quyết định của Chủ tịch UBND xã"
    )
    assert in_english("") == ""


def test_a_local_holiday_keeps_its_own_name():
    local = WorkCalendar(
        overrides=[Override(dt.date(2026, 12, 9), OverrideKind.DAY_OFF, "Lễ hội làng An Lão")]
    )
    stored = compute(Rule(3, Unit.WORKING_DAYS), dt.date(2026, 12, 7), local).explanation
    assert in_english(stored) == (
        "03 working days after 07/12/2026 (Monday): due 11/12/2026 "
        "(Friday); skipping 09/12 (Lễ hội làng An Lão)"
    )


def test_the_template_filter_explains_in_the_active_language():
    stored = compute(Rule(5, Unit.WORKING_DAYS), dt.date(2026, 12, 28), CALENDAR).explanation
    template = Template("{% load explanations %}{{ text|explanation }}")
    with translation.override("en"):
        assert template.render(Context({"text": stored})).startswith("05 working days after")
    with translation.override("vi"):
        assert template.render(Context({"text": stored})) == stored
    assert template.render(Context({"text": None})) == ""


def test_every_shipped_deadline_has_an_english_name():
    assert {entry.label_vi for entry in CATALOGUE} == set(SHIPPED_NAMES)
    with translation.override("en"):
        names = {entry.key: deadline_name(entry.label_vi) for entry in CATALOGUE}
        assert names["notify_outcome"] == "Notify the citizen of the outcome"
        assert all(name not in SHIPPED_NAMES for name in names.values())
        assert deadline_name("Thời hạn riêng của xã") == "Thời hạn riêng của xã"


@pytest.mark.parametrize(
    ("days", "english"),
    [
        pytest.param(
            0,
            "12/2026 has only 0 periodic reception days; the Chairman of the Commune "
            "People's Committee must receive citizens on at least 2 days a month "
            "(Law 136/2025/QH15).",
            id="none",
        ),
        pytest.param(1, "12/2026 has only 1 periodic reception day; the Chairman", id="one"),
    ],
)
def test_the_monthly_reception_warning_is_in_english(days, english):
    warning = MonthWarning(2026, 12, days)
    with translation.override("en"):
        assert warning.text.startswith(english)
    with translation.override("vi"):
        assert warning.text.startswith(f"Tháng 12/2026 mới có {days} ngày tiếp định kỳ")
