"""Monitoring a member's connection during the hearing: from the statistics its browser sends
every few seconds, whether its camera's video has stopped (issue 5 §3: cameras stay on) and
whether its network has turned poor or recovered, with the limits of ``media.rules``.

Each alert is raised once per episode; the room's consumer records it on the timeline and sends
it to the chair and the operator.  Pure: no database, no Janus, no socket.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from . import rules
from .live import Member


@dataclass(frozen=True)
class Alert:
    """``detail`` is what the timeline records; the chair and the operator get it with the
    member's key and name (:meth:`for_staff`)."""

    detail: dict[str, Any]

    def for_staff(self, member: Member) -> dict[str, Any]:
        return {"participant": member.key, "name": member.name, **self.detail}


def clean_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """Only text keys with numbers, text or nothing as values: what is relayed to the staff."""
    return {k: v for k, v in stats.items()
            if isinstance(k, str) and isinstance(v, int | float | str | None)}


def video_alert(member: Member, stats: dict[str, Any], now: float) -> Alert | None:
    """Frames are leaving the member's camera, or have not for ``rules.VIDEO_FREEZE_SECONDS``
    (monotonic ``now``); counted from its first stats after publishing."""
    if member.feed_id is None:
        return None
    if (stats.get("fps_out") or 0) > 0:
        member.last_video_at, member.video_alerted = now, False
    elif member.last_video_at is None:
        member.last_video_at = now
    elif now - member.last_video_at > rules.VIDEO_FREEZE_SECONDS and not member.video_alerted:
        member.video_alerted = True
        return Alert({"reason": "video_stopped"})
    return None


def network_alert(member: Member, stats: dict[str, Any]) -> Alert | None:
    """Once when the member's network turns poor (loss or delay), once more when it has
    recovered."""
    poor = rules.network_is_poor(stats)
    if poor == member.network_poor:
        return None
    member.network_poor = poor
    return Alert({"reason": "poor_network" if poor else "network_recovered",
                  "loss_pct": stats.get("loss_pct"), "rtt_ms": stats.get("rtt_ms")})


def observe(member: Member, stats: dict[str, Any], now: float | None = None) -> list[Alert]:
    """The alerts one round of ``stats`` raises for ``member`` (its local fields remember what
    was already said)."""
    now = time.monotonic() if now is None else now
    return [alert for alert in (video_alert(member, stats, now), network_alert(member, stats))
            if alert is not None]
