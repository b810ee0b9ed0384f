"""The table of named deadline rules, seeded from the catalogue (domain brief §7)."""

from __future__ import annotations

import pytest

from tiepdan.core.errors import NotFound
from tiepdan.workdays.catalogue import CATALOGUE
from tiepdan.workdays.deadlines import Direction, Rule, Unit
from tiepdan.workdays.models import DeadlineRule
from tiepdan.workdays.services import get_rule, get_rules

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_the_catalogue():
    rows = {row.key: (row.label_vi, row.as_rule()) for row in DeadlineRule.objects.all()}
    assert rows == {entry.key: (entry.label_vi, entry.rule) for entry in CATALOGUE}


def test_every_rule_cites_its_legal_source():
    assert all(row.legal_source.strip() for row in DeadlineRule.objects.all())


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("notify_outcome", (10, Unit.WORKING_DAYS, Direction.FORWARD), id="tcd-28-1"),
        pytest.param("complaint_acceptance", (7, Unit.WORKING_DAYS, Direction.FORWARD), id="nd155"),
        pytest.param(
            "denunciation_initial_processing",
            (7, Unit.WORKING_DAYS, Direction.FORWARD),
            id="tc-24",
        ),
        pytest.param(
            "denunciation_forwarding", (5, Unit.WORKING_DAYS, Direction.FORWARD), id="tc-24-2"
        ),
        pytest.param("refusal_notice", (3, Unit.WORKING_DAYS, Direction.FORWARD), id="nd154-4"),
        pytest.param("publish_schedule", (5, Unit.WORKING_DAYS, Direction.BACKWARD), id="tcd-24-4"),
        pytest.param("forward_result", (7, Unit.WORKING_DAYS, Direction.FORWARD), id="tcd-27-2"),
        pytest.param("petition_processing", (10, Unit.WORKING_DAYS, Direction.FORWARD), id="tt05"),
        pytest.param("notify_parties", (5, Unit.WORKING_DAYS, Direction.BACKWARD), id="ql-5-1"),
        pytest.param("report_to_city", (5, Unit.CALENDAR_DAYS, Direction.BACKWARD), id="ql-6-1a"),
        pytest.param("invitations_issued", (3, Unit.CALENDAR_DAYS, Direction.BACKWARD), id="ql-6"),
        pytest.param("connection_test", (1, Unit.WORKING_DAYS, Direction.BACKWARD), id="ql-5-6"),
        pytest.param("final_check", (2, Unit.HOURS, Direction.BACKWARD), id="ql-6-1a-2h"),
        pytest.param("all_connected", (1, Unit.HOURS, Direction.BACKWARD), id="ql-5-1-1h"),
    ],
)
def test_it_reads_a_rule(key, expected):
    rule = get_rule(key)
    assert (rule.amount, rule.unit, rule.direction) == expected


def test_it_reads_an_edited_rule():
    DeadlineRule.objects.filter(key="complaint_acceptance").update(amount=10)
    assert get_rule("complaint_acceptance").amount == 10


def test_it_reads_several_rules():
    rules = get_rules(["final_check", "all_connected"])
    assert rules == {
        "final_check": Rule(2, Unit.HOURS, Direction.BACKWARD, rules["final_check"].legal_source),
        "all_connected": Rule(
            1, Unit.HOURS, Direction.BACKWARD, rules["all_connected"].legal_source
        ),
    }


def test_it_rejects_an_unknown_key():
    with pytest.raises(NotFound, match="khong_co"):
        get_rule("khong_co")
    with pytest.raises(NotFound, match="khong_co"):
        get_rules(["final_check", "khong_co"])
