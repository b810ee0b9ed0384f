"""Monitoring the connections during the hearing (media.monitoring), without a socket: the
frozen-video alert and the poor-network alert, each raised once per episode, with the limits of
media.rules."""

from __future__ import annotations

from tiepdan.media import monitoring, rules
from tiepdan.media.join_links import Role
from tiepdan.media.live import Member

FREEZE = rules.VIDEO_FREEZE_SECONDS
GOOD = {"fps_out": 20, "loss_pct": 0.0, "rtt_ms": 40}
FROZEN = {"fps_out": 0, "loss_pct": 0.0, "rtt_ms": 40}


def publisher(feed: int | None = 7) -> Member:
    return Member(key="p1", role=Role.PARTICIPANT, name="Nguyễn Văn An", channel_name="c",
                  bridge_point_id=3, bridge_point_name="UBND xã", feed_id=feed)


def reasons(alerts: list[monitoring.Alert]) -> list[str]:
    return [alert.detail["reason"] for alert in alerts]


def test_video_frozen_longer_than_the_limit_is_reported_once():
    me = publisher()
    assert monitoring.observe(me, GOOD, now=100.0) == []
    assert monitoring.observe(me, FROZEN, now=100.0 + FREEZE) == []  # at the limit: not yet
    assert reasons(monitoring.observe(me, FROZEN, now=100.5 + FREEZE)) == ["video_stopped"]
    assert monitoring.observe(me, FROZEN, now=130.0 + FREEZE) == []  # said once


def test_video_that_comes_back_is_watched_again():
    me = publisher()
    monitoring.observe(me, GOOD, now=0.0)
    monitoring.observe(me, FROZEN, now=FREEZE + 1)
    monitoring.observe(me, GOOD, now=FREEZE + 2)
    assert not me.video_alerted
    assert reasons(monitoring.observe(me, FROZEN, now=2 * FREEZE + 3)) == ["video_stopped"]


def test_freezing_counts_from_the_first_stats_after_publishing():
    me = publisher()
    assert monitoring.observe(me, FROZEN, now=50.0) == []  # the clock starts here
    assert monitoring.observe(me, FROZEN, now=50.0 + FREEZE) == []
    assert reasons(monitoring.observe(me, FROZEN, now=51.0 + FREEZE)) == ["video_stopped"]


def test_a_member_not_publishing_has_no_video_to_watch():
    me = publisher(feed=None)
    monitoring.observe(me, FROZEN, now=0.0)
    assert monitoring.observe(me, FROZEN, now=10 * FREEZE) == []


def test_a_poor_network_is_reported_once_and_its_recovery_once():
    me = publisher()
    poor = {**GOOD, "loss_pct": rules.POOR_LOSS_PCT + 1}
    [alert] = monitoring.observe(me, poor, now=0.0)
    assert alert.detail == {"reason": "poor_network", "loss_pct": poor["loss_pct"],
                            "rtt_ms": poor["rtt_ms"]}
    assert monitoring.observe(me, poor, now=2.0) == []
    assert reasons(monitoring.observe(me, GOOD, now=4.0)) == ["network_recovered"]
    assert monitoring.observe(me, GOOD, now=6.0) == []


def test_the_staff_get_the_alert_with_the_members_key_and_name():
    me = publisher()
    [alert] = monitoring.observe(me, {**GOOD, "rtt_ms": rules.POOR_RTT_MS + 1}, now=0.0)
    staff = alert.for_staff(me)
    assert staff["participant"] == "p1" and staff["name"] == "Nguyễn Văn An"
    assert staff["reason"] == "poor_network"


def test_only_plain_values_are_relayed():
    cleaned = monitoring.clean_stats({"kbps_out": 12.5, "state": "connected", "rtt_ms": None,
                                      "nested": {"x": 1}, "list": [1]})
    assert cleaned == {"kbps_out": 12.5, "state": "connected", "rtt_ms": None}
