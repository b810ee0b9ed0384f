"""Every threshold of the hearing room and of the readiness test, in one place: what a point's
network must reach before the hearing, when the operator is alerted during it, how long the floor
and a dropped member's place are kept, when a recording counts as stopped, and when the room opens
and closes.  The server decides with these; the pages only show what the server answered.

Why two sets of network limits: the readiness test passes a point with a margin (ITU-T G.114's
natural conversation), so that a point that passed still holds when the hearing's load comes;
during the hearing the operator is alerted only when the conversation really suffers — limits a
point that passed its test does not reach on the same path (``tests/media/test_rules.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

# -- Before the hearing: the readiness test (media.readiness_rules.judge) ----------------------


@dataclass(frozen=True)
class Thresholds:
    # ITU-T G.114: a one-way delay under 150 ms keeps a conversation natural.
    max_rtt_ms: float = 300.0
    max_jitter_ms: float = 30.0
    max_loss_pct: float = 2.0
    # Below this a 640x480 picture turns to blocks; the room asks Janus for up to 512 kbps.
    min_bitrate_kbps: float = 300.0
    min_video_height: int = 240
    # Peak level (0..1) of the microphone over the measurement: below it, nothing was heard.
    min_microphone_level: float = 0.02


THRESHOLDS = Thresholds()

#: How the test page measures: the microphone is listened to this long, the path measured this
#: long once media comes back, and a reply of the server awaited this long at most.
MICROPHONE_SECONDS = 2.5
PATH_MEASURE_SECONDS = 8
REPLY_TIMEOUT_SECONDS = 15
#: A test publishes for about 10 s; a page that keeps Janus busy longer is cut off.
READINESS_SESSION_SECONDS = 90


# -- During the hearing: the operator's alerts (media.monitoring) ------------------------------

#: A point's network is poor above this packet loss or round-trip time (as its browser
#: measures them): speech breaks up and the picture freezes.
POOR_LOSS_PCT = 5.0
POOR_RTT_MS = 600.0
#: A point whose received video stays frozen this long is reported (issue 5 §3: cameras stay on).
VIDEO_FREEZE_SECONDS = 10


#: How often a room page sends its connection statistics: the alerts above judge from them.
STATS_EVERY_SECONDS = 2


def network_is_poor(stats: dict[str, Any]) -> bool:
    def number(key: str) -> float:
        value = stats.get(key)
        return float(value) if isinstance(value, int | float) else 0.0

    return number("loss_pct") > POOR_LOSS_PCT or number("rtt_ms") > POOR_RTT_MS


# -- The floor (media.floor) ---------------------------------------------------------------------

#: The longest floor the chair may grant at once.
MAX_GRANT_SECONDS = 60 * 60
#: A member who drops out keeps its raised hand and the floor this long: the browser rejoins by
#: itself after a network failure and finds its floor state unchanged.
RECONNECT_GRACE_SECONDS = 60.0

# -- The recording (media.recording_watch) -------------------------------------------------------

#: A stream's file may lag behind its packets a little; this much silence is a stop.
RECORDING_STALE_SECONDS = 15.0

# -- The room's window (media.window, media.ending) ----------------------------------------------

#: Without a final-check milestone the room opens this long before the start.
FINAL_CHECK_LEAD = dt.timedelta(hours=2)
#: How long after the scheduled end an open room is ended by the periodic job (the setting
#: ROOM_OVERRUN_MINUTES overrides it).
OVERRUN_MINUTES = 60


# -- What a page reports of its failures (media.client_errors) ----------------------------------

#: The longest text of a page's error report (the page cuts it to this before sending).
MAX_CLIENT_ERROR_CHARS = 500


# -- What the pages need (in the page as JSON: the scripts never copy a threshold) -------------


def room_page_limits() -> dict[str, float]:
    """The limits the hearing room's page shows or keeps to (media/room.html)."""
    return {"video_freeze_seconds": VIDEO_FREEZE_SECONDS, "max_grant_seconds": MAX_GRANT_SECONDS,
            "stats_every_seconds": STATS_EVERY_SECONDS,
            "error_text_chars": MAX_CLIENT_ERROR_CHARS}


def readiness_page_limits() -> dict[str, float]:
    """How the readiness test page measures (media/readiness.html)."""
    return {"microphone_seconds": MICROPHONE_SECONDS, "measure_seconds": PATH_MEASURE_SECONDS,
            "reply_timeout_seconds": REPLY_TIMEOUT_SECONDS,
            "error_text_chars": MAX_CLIENT_ERROR_CHARS}
