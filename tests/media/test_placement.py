"""Placing a hearing's room on a Janus node: the healthy node with the most headroom, the room
stays where it is, and a move is a compare-and-swap (two processes never split a room)."""

from __future__ import annotations

import pytest

from tiepdan.media import placement
from tiepdan.media.models import HearingRoom, JanusNode, RoomState
from tiepdan.media.placement import NodeLoad


def load(name: str, capacity: int = 10, open_rooms: int = 0, healthy: bool = True) -> NodeLoad:
    return NodeLoad(
        pk=hash(name) % 1000,
        name=name,
        capacity_rooms=capacity,
        open_rooms=open_rooms,
        healthy=healthy,
    )


@pytest.mark.parametrize(
    ("loads", "expected"),
    [
        pytest.param([load("a", open_rooms=3), load("b", open_rooms=1)], "b", id="most-headroom"),
        pytest.param(
            [load("a", capacity=40, open_rooms=10), load("b", capacity=10)],
            "a",
            id="headroom-in-rooms-not-in-share",
        ),
        pytest.param(
            [load("a", healthy=False), load("b", open_rooms=9)],
            "b",
            id="healthy-before-more-headroom",
        ),
        pytest.param(
            [load("a", open_rooms=10), load("b", capacity=5, open_rooms=5)],
            None,
            id="every-node-full",
        ),
        pytest.param([load("b", open_rooms=2), load("a", open_rooms=2)], "a", id="tie-by-name"),
        pytest.param(
            [load("a", healthy=False, open_rooms=1)],
            "a",
            id="unknown-health-as-a-last-resort-probed-before-use",
        ),
        pytest.param([], None, id="no-node"),
    ],
)
def test_it_picks_the_healthy_node_with_the_most_headroom(loads, expected):
    picked = placement.pick(loads)
    assert (picked.name if picked else None) == expected


def node(name: str, capacity: int = 10, **extra) -> JanusNode:
    return JanusNode.objects.create(
        name=name,
        api_url=f"http://{name}:8088/janus",
        admin_url=f"http://{name}:7088/admin",
        secrets_ref=f"file:/etc/tiepdan/{name}.json",
        capacity_rooms=capacity,
        **extra,
    )


def room_on(
    cast_hearing, janus_node: JanusNode, room_id: int, state: str = RoomState.OPEN
) -> HearingRoom:
    from django.utils import timezone

    return HearingRoom.objects.create(
        hearing=cast_hearing,
        janus_room_id=room_id,
        sealed_secret="x",
        started_at=timezone.now(),
        node=janus_node,
        state=state,
    )


def hearing(commune, hour: int = 8):
    """A confirmed hearing of ``commune`` (tests.builders), ten working days ahead at ``hour``
    for 90 minutes: several fit in one day."""
    from tests.builders import hearing_start, make_hearing

    return make_hearing(commune, "confirmed", starts_at=hearing_start(hour=hour),
                        duration_minutes=90)


@pytest.mark.django_db
def test_it_counts_only_open_rooms_and_skips_disabled_nodes(an_lao):
    a, b = node("a"), node("b")
    node("c", enabled=False)
    room_on(hearing(an_lao, 8), a, 1)
    room_on(hearing(an_lao, 10), a, 2, state=RoomState.ENDED)
    room_on(hearing(an_lao, 14), b, 3, state=RoomState.ENDED)
    found = {n.name: n.open_rooms for n in placement.loads()}
    assert found == {"a": 1, "b": 0}
    assert placement.pick(placement.loads()).name == "b"
    assert {n.name for n in placement.loads(exclude=[b.pk])} == {"a"}


@pytest.mark.django_db
def test_a_move_is_a_compare_and_swap_so_the_first_mover_wins(an_lao):
    a, b, c = node("a"), node("b"), node("c")
    held = hearing(an_lao)
    room_on(held, a, 7)
    # Two processes find node a dead at once; one moves the room to b, the other (still
    # believing it is on a) tries c and must follow to b.
    assert placement.assign(held.pk, b.pk, previous_pk=a.pk) == b
    assert placement.assign(held.pk, c.pk, previous_pk=a.pk) == b
    assert HearingRoom.objects.get(hearing=held).node == b


@pytest.mark.django_db
def test_a_hearing_without_a_room_keeps_no_placement_until_its_room_is_created(an_lao):
    a = node("a")
    held = hearing(an_lao)
    assert placement.assign(held.pk, a.pk, previous_pk=None) == a
    assert not HearingRoom.objects.filter(hearing=held).exists()
    assert placement.current_node(held.pk) is None
