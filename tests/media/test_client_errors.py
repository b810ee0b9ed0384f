"""What a room or readiness page reports as failed (media.client_errors) reaches the server's
log on one line, within a budget per connection; the message is checked like every other."""

from __future__ import annotations

import logging

import pytest

from tiepdan.media import client_errors, protocol, readiness_protocol
from tiepdan.media.client_errors import ClientErrorLog
from tiepdan.media.join_links import Role
from tiepdan.media.live import Stage

LOGGER = "tiepdan.media.client_errors"


def test_a_report_is_logged_with_the_hearing_the_member_and_the_place(caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    assert ClientErrorLog().record(12, "p7", "publish", "OperationError: ICE failed")
    [line] = caplog.records
    assert line.getMessage() == (
        "hearing 12: the page of p7 failed in 'publish': 'OperationError: ICE failed'")


def test_reports_beyond_the_budget_are_counted_not_logged(caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    reports = ClientErrorLog()
    logged = [reports.record(1, "p1", "stats", f"failure {n}") for n in range(50)]
    assert logged.count(True) == client_errors.REPORT_BURST
    assert len(caplog.records) == client_errors.REPORT_BURST
    # Once the budget has refilled, the next line says how many were left out.
    reports.budget.tokens = 1
    assert reports.record(1, "p1", "stats", "again")
    assert caplog.records[-1].getMessage().endswith(
        f"({50 - client_errors.REPORT_BURST} earlier reports not logged)")


@pytest.mark.parametrize("message", [
    pytest.param({"type": "client_error", "where": "x", "message": "a\nb"}, id="a line break"),
    pytest.param({"type": "client_error", "where": "", "message": "m"}, id="no place"),
    pytest.param({"type": "client_error", "where": "x",
                  "message": "m" * (protocol.MAX_CLIENT_ERROR_CHARS + 1)}, id="too long"),
    pytest.param({"type": "client_error", "where": "x", "message": 5}, id="not text"),
])
def test_a_malformed_report_is_refused(message):
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.clean(message)
    assert refused.value.code == "bad_message"


@pytest.mark.parametrize("stage", [Stage.RULES, Stage.DEVICE_CHECK, Stage.LOBBY, Stage.ROOM])
def test_every_member_may_report_at_every_stage_of_the_room(stage):
    message = {"type": "client_error", "where": "device", "message": "NotFoundError"}
    for role in protocol.ANY:
        protocol.check(message, role, stage)
    assert protocol.clean(message) == message


@pytest.mark.parametrize("stage", ["joined", "published", "looped", "done"])
def test_a_tester_may_report_at_every_stage_of_the_test(stage):
    message = {"type": "client_error", "where": "path", "message": "timeout"}
    protocol.check(message, readiness_protocol.TESTER, stage, readiness_protocol.RULES)
    assert protocol.clean(message, readiness_protocol.SCHEMAS) == message


def test_only_a_tester_reports_on_the_test_page():
    with pytest.raises(protocol.ProtocolError):
        protocol.check({"type": "client_error", "where": "x", "message": "m"}, Role.CHAIR,
                       "joined", readiness_protocol.RULES)
