"""Gaps in a hearing's recording (issue 12 §9): where a bridge point that was being recorded
has nothing on record for a while, from when to when and why.  The signed manifest lists them
(custody.build_manifest); no gap, an empty list.  Django-free.

A point's recording is a series of segments: a page publishes again each time it rejoins,
and Janus starts new files.  Between two segments of one point nothing was recorded; the
room's timeline says why:

- ``janus_restart``: Janus died and was restarted, or the room moved to another Janus node
  (a ``janus_restart`` event: the room was recreated, every page published again);
- ``web_process_lost``: the web process serving the point died; its members were taken
  over (a ``leave`` with reason ``process_lost``) and the pages rejoined a new process;
- ``connection_lost``: the point's own connection dropped (a ``leave``) and it came back;
- ``unknown``: nothing on the timeline explains it.

A point that leaves for good, or joins late, has no gap: only a pause between two of its
segments is one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

#: Shorter pauses are the grain of the media (the last packet before a key frame), not gaps.
MIN_GAP_SECONDS = 1.0
#: An event explains a gap that begins up to this long after it: media stops a little after
#: the server notices a dropped connection, and a file's last packet is written late.
EVENT_LEAD_SECONDS = 3.0

JANUS_RESTART = "janus_restart"
WEB_PROCESS_LOST = "web_process_lost"
CONNECTION_LOST = "connection_lost"
UNKNOWN = "unknown"
#: When several events fall in one gap, the first cause of this list is the reason.
CAUSES = (JANUS_RESTART, WEB_PROCESS_LOST, CONNECTION_LOST, UNKNOWN)


@dataclass(frozen=True)
class Segment:
    """One recorded file of a point: from ``offset`` seconds into the recording, ``duration``
    long."""

    point: int | None
    label: str
    offset: float
    duration: float

    @property
    def end(self) -> float:
        return self.offset + self.duration


@dataclass(frozen=True)
class Event:
    """One entry of the room's timeline: its kind, offset, point and ``detail["reason"]``."""

    kind: str
    offset: float
    point: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class Gap:
    point: int | None
    label: str
    start: float
    end: float
    cause: str


def cause_of(event: Event, point: int) -> str | None:
    """The cause ``event`` gives a gap of ``point`` (None: it says nothing of that point)."""
    if event.kind == "janus_restart":  # the whole room was recreated
        return JANUS_RESTART
    if event.kind == "leave" and event.point == point:
        return WEB_PROCESS_LOST if event.reason == "process_lost" else CONNECTION_LOST
    return None


def find(segments: Iterable[Segment], events: Iterable[Event]) -> list[Gap]:
    """Every gap between two segments of the same point, in time order, with its cause."""
    by_point: dict[int, list[Segment]] = defaultdict(list)
    for segment in segments:
        if segment.point is not None:  # a feed that was never a point's (no gap to speak of)
            by_point[segment.point].append(segment)
    events = list(events)
    gaps = []
    for point, own in by_point.items():
        own.sort(key=lambda s: s.offset)
        recorded_until = own[0].end
        for segment in own[1:]:
            if segment.offset - recorded_until >= MIN_GAP_SECONDS:
                causes = {
                    cause
                    for event in events
                    if recorded_until - EVENT_LEAD_SECONDS <= event.offset <= segment.offset
                    and (cause := cause_of(event, point)) is not None
                }
                cause = next((c for c in CAUSES if c in causes), UNKNOWN)
                gaps.append(Gap(point, segment.label, recorded_until, segment.offset, cause))
            recorded_until = max(recorded_until, segment.end)
    return sorted(gaps, key=lambda g: (g.start, g.point or 0))
