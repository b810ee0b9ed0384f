"""Gaps in a hearing's recording: a pause between two segments of one point, its cause read
from the room's timeline (media.gaps; the manifest lists them)."""

from __future__ import annotations

import pytest

from tiepdan.media import gaps
from tiepdan.media.gaps import Event, Gap, Segment

A, B = 1, 2  # two bridge points


def seg(point: int | None, offset: float, duration: float) -> Segment:
    return Segment(point, f"point {point}", offset, duration)


@pytest.mark.parametrize(
    ("segments", "events", "expected"),
    [
        pytest.param([seg(A, 0, 60), seg(B, 5, 55)], [], [], id="recorded-throughout-no-gap"),
        pytest.param(
            [seg(A, 0, 10), seg(A, 10.4, 50)], [], [], id="a-pause-under-a-second-is-no-gap"
        ),
        pytest.param(
            [seg(A, 0, 10), seg(A, 14, 46), seg(B, 0, 10), seg(B, 13.5, 46)],
            [Event("leave", 11.0, A, "process_lost"), Event("leave", 11.0, B, "process_lost"),
             Event("join", 12.0, A), Event("join", 12.5, B)],
            [Gap(A, "point 1", 10, 14, gaps.WEB_PROCESS_LOST),
             Gap(B, "point 2", 10, 13.5, gaps.WEB_PROCESS_LOST)],
            id="web-process-killed-each-point-its-gap",
        ),
        pytest.param(
            [seg(A, 0, 10), seg(A, 16, 44), seg(B, 0, 10), seg(B, 15, 45)],
            [Event("leave", 10.2, A), Event("leave", 10.2, B), Event("janus_restart", 13.0)],
            [Gap(A, "point 1", 10, 16, gaps.JANUS_RESTART),
             Gap(B, "point 2", 10, 15, gaps.JANUS_RESTART)],
            id="janus-restart-names-the-room-wide-cause",
        ),
        pytest.param(
            [seg(A, 0, 30), seg(A, 35, 25), seg(B, 0, 60)],
            [Event("leave", 29.0, A)],
            [Gap(A, "point 1", 30, 35, gaps.CONNECTION_LOST)],
            id="a-dropped-connection-concerns-its-point-only",
        ),
        pytest.param(
            [seg(A, 0, 30), seg(A, 35, 25)],
            [Event("leave", 31.0, B, "process_lost"), Event("leave", 31.0, None)],
            [Gap(A, "point 1", 30, 35, gaps.UNKNOWN)],
            id="another-points-departure-explains-nothing",
        ),
        pytest.param(
            [seg(A, 0, 30), seg(A, 35, 25)],
            [Event("leave", 20.0, A, "process_lost")],
            [Gap(A, "point 1", 30, 35, gaps.UNKNOWN)],
            id="an-event-long-before-the-pause-explains-nothing",
        ),
        pytest.param(
            [seg(A, 40, 20), seg(A, 0, 30)],
            [Event("leave", 30.5, A, "process_lost")],
            [Gap(A, "point 1", 30, 40, gaps.WEB_PROCESS_LOST)],
            id="segments-in-any-order",
        ),
        pytest.param(
            [seg(None, 0, 10), seg(None, 20, 10)], [], [], id="a-feed-of-no-point-has-no-gap"
        ),
    ],
)
def test_it_finds_each_gap_and_its_cause(segments, events, expected):
    assert gaps.find(segments, events) == expected
