"""Which Janus node a hearing's room lives on.

A new room goes to the healthy node with the most headroom (capacity minus the open rooms
placed on it) and stays there (``HearingRoom.node``).  When its node stops answering, the
next member to join (the browsers rejoin when their Janus session is lost) moves it to
another node, where ``room_service.open_room`` recreates it: the same path as a Janus
restart, with the gap in the recording reported in the manifest.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.db.models import Count, Q

from . import janus_nodes
from .janus_client import JanusError
from .janus_nodes import NodeEndpoint
from .models import HearingRoom, JanusNode, RoomState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NodeLoad:
    pk: int
    name: str
    capacity_rooms: int
    open_rooms: int
    healthy: bool

    @property
    def headroom(self) -> int:
        return self.capacity_rooms - self.open_rooms


def pick(loads: Iterable[NodeLoad]) -> NodeLoad | None:
    """The node for a new room: one with room to spare, the healthy ones first, then the
    most headroom; ties by name so that every process picks the same."""
    candidates = [load for load in loads if load.headroom > 0]
    if not candidates:
        return None
    return min(candidates, key=lambda load: (not load.healthy, -load.headroom, load.name))


def loads(exclude: Collection[int] = ()) -> list[NodeLoad]:
    rows = (
        JanusNode.objects.filter(enabled=True)
        .exclude(pk__in=list(exclude))
        .annotate(open_rooms=Count("rooms", filter=Q(rooms__state=RoomState.OPEN)))
    )
    return [NodeLoad(n.pk, n.name, n.capacity_rooms, n.open_rooms, n.healthy) for n in rows]


def current_node(hearing_id: int) -> JanusNode | None:
    """The node the hearing's room is placed on (None: no room yet, or placed before nodes
    existed)."""
    room = HearingRoom.objects.filter(hearing_id=hearing_id).select_related("node").first()
    return room.node if room is not None else None


def assign(hearing_id: int, node_pk: int, previous_pk: int | None) -> JanusNode:
    """Move the hearing's room (if it exists) from ``previous_pk`` to ``node_pk``; a process
    that moved it first wins (compare-and-swap) and its node is returned.  A room not created
    yet gets its node from ``room_service.room_record``."""
    HearingRoom.objects.filter(hearing_id=hearing_id, node_id=previous_pk).update(node_id=node_pk)
    return current_node(hearing_id) or JanusNode.objects.get(pk=node_pk)


def prepare() -> None:
    janus_nodes.ensure_embedded_node()


async def node_for_hearing(hearing_id: int) -> tuple[JanusNode, NodeEndpoint]:
    """The node to open the hearing's room on: where it is, while that node answers;
    otherwise (a new room, or its node is gone) the best node that answers."""
    await sync_to_async(prepare)()
    current = await sync_to_async(current_node)(hearing_id)
    tried: set[int] = set()
    if current is not None:
        where = await sync_to_async(janus_nodes.endpoint)(current)
        if current.enabled and await janus_nodes.answers(where):
            return current, where
        log.error(
            "hearing %s: Janus node %s does not answer: moving the room", hearing_id, current.name
        )
        await sync_to_async(janus_nodes.mark_down)(current.pk, "no answer to the room's probe")
        tried.add(current.pk)
    while True:
        best = pick(await sync_to_async(loads)(tried))
        if best is None:
            raise JanusError(None, "no Janus node available")
        node = await JanusNode.objects.aget(pk=best.pk)
        try:
            where = await sync_to_async(janus_nodes.endpoint)(node)
        except janus_nodes.NodeSecretsMissing as exc:
            log.error("Janus node %s skipped: %s", node.name, exc)
            tried.add(node.pk)
            continue
        if await janus_nodes.answers(where):
            await sync_to_async(janus_nodes.mark_up)(node.pk)
            placed = await sync_to_async(assign)(
                hearing_id, node.pk, current.pk if current else None
            )
            if placed.pk != node.pk:  # another process moved it first: follow
                return placed, await sync_to_async(janus_nodes.endpoint)(placed)
            return node, where
        await sync_to_async(janus_nodes.mark_down)(node.pk, "no answer to placement's probe")
        tried.add(node.pk)


async def endpoint_of_room(hearing_id: int) -> NodeEndpoint | None:
    """The endpoint of the node the hearing's room is on (None: not placed)."""
    node = await sync_to_async(current_node)(hearing_id)
    if node is None:
        return None
    try:
        return await sync_to_async(janus_nodes.endpoint)(node)
    except janus_nodes.NodeSecretsMissing:
        return None
