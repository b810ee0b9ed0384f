"""The room's and the readiness test's thresholds live in media.rules; the live alerts are
looser than the readiness pass, so a point that passed its test is not reported as poor on the
same path."""

from __future__ import annotations

import pytest

from tiepdan.media import rules


def test_a_point_that_passes_readiness_is_not_alerted_as_poor_on_the_same_path():
    limits = rules.THRESHOLDS
    at_the_readiness_limits = {"loss_pct": limits.max_loss_pct, "rtt_ms": limits.max_rtt_ms}
    assert not rules.network_is_poor(at_the_readiness_limits)


@pytest.mark.parametrize(("stats", "poor"), [
    pytest.param({"loss_pct": 5.0, "rtt_ms": 600}, False, id="at both limits: not poor"),
    pytest.param({"loss_pct": 5.1, "rtt_ms": 20}, True, id="loss above 5%"),
    pytest.param({"loss_pct": 0, "rtt_ms": 601}, True, id="round trip above 600 ms"),
    pytest.param({"loss_pct": None, "rtt_ms": "x"}, False, id="missing or not numbers"),
])
def test_the_live_network_alert(stats, poor):
    assert rules.network_is_poor(stats) is poor
