"""The hearing-room signalling WebSocket: thin.  It parses and checks each message
(protocol.py), calls a service (admission and the lobby: lobby.py; the floor: floor.py;
monitoring the connections: monitoring.py; the room and its timeline: room_service.py; the
browser's Janus relay: relay.py) and sends what it answered."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from tiepdan.core.errors import DomainError

from . import (
    ending,
    floor,
    live,
    lobby,
    monitoring,
    placement,
    protocol,
    room_keeper,
    room_service,
    room_state,
    turn,
)
from .janus_client import JanusError
from .join_links import JoinRefused
from .live import LiveRoom, Member, Stage
from .models import EventKind, JanusNode
from .relay import MediaRelay, RelayError
from .socket_base import HearingSocket

log = logging.getLogger(__name__)

CLOSE_MEDIA_SERVER_LOST = 4503  # the browser reconnects after it
CLOSE_ENDED = 4000  # the hearing is over: the browser does not reconnect


def message_type(text: str | None) -> str | None:
    """The type of a refused message, if it is one of the protocol's (never other client text)."""
    try:
        kind = json.loads(text or "").get("type")
    except (ValueError, AttributeError):
        return None
    return kind if kind in protocol.RULES else None


class RoomChanged(Exception):
    """The room's state no longer has this connection (ended, or taken over elsewhere)."""


class HearingRoomConsumer(HearingSocket):
    #: The room as last read from the room store (refreshed before every message).
    room: LiveRoom | None = None
    member: Member | None = None  # this connection's member: shared fields + local ones
    relay: MediaRelay | None = None
    node: JanusNode | None = None  # the Janus node the relay talks to
    _watcher: asyncio.Task[None] | None = None
    _seen_version: int = -1

    def authenticated(self) -> bool:
        return self.member is not None

    # After hello (``receive`` refuses any other message before it) the connection has its
    # room, member and relay; a handler reads them through these, which say so to the reader
    # and the type checker, and treat a connection that lost them as one whose room changed.
    @property
    def _joined_room(self) -> LiveRoom:
        if self.room is None:
            raise RoomChanged
        return self.room

    @property
    def _joined_member(self) -> Member:
        if self.member is None:
            raise RoomChanged
        return self.member

    @property
    def _joined_relay(self) -> MediaRelay:
        if self.relay is None:
            raise RoomChanged
        return self.relay

    def janus_control(self) -> Any:
        return self.relay.control if self.relay is not None else None

    async def release(self) -> None:
        await self._leave()

    async def _watch_media_server(self, relay: MediaRelay) -> None:
        """Janus died (the supervisor restarts it): close, so that the browser rejoins and
        the room is recreated on the new Janus (room_service.open_room)."""
        await relay.session.lost.wait()
        if self.relay is relay:
            log.warning("hearing %s: Janus lost under %s", self.hearing_id, self.who())
            await self.close(code=CLOSE_MEDIA_SERVER_LOST)

    async def _leave(self) -> None:
        room, member, relay = self.room, self.member, self.relay
        self.room = self.member = self.relay = None  # once only
        watcher, self._watcher = self._watcher, None
        if watcher is not None and watcher is not asyncio.current_task():
            watcher.cancel()
        try:
            if room is not None and member is not None:
                await self._leave_room(room, member)
        finally:
            if relay is not None:
                await relay.close()

    async def _leave_room(self, room: LiveRoom, member: Member) -> None:
        live.detach(room.hearing_id, self.channel_name)
        left = None
        try:
            async with room_state.store().update(room.hearing_id) as current:
                if current is not None and lobby.leave(current, member.key, self.channel_name):
                    left = current
        except room_state.RoomBusy:  # the others' keepers drop us once our heartbeat stops
            log.warning("hearing %s: %s left a busy room", room.hearing_id, member.key)
        if left is not None:
            await database_sync_to_async(room_service.record_event)(
                room.room_pk, EventKind.LEAVE, actor=member.name,
                bridge_point_id=member.bridge_point_id)
            await room_keeper.broadcast(left)
        await database_sync_to_async(room_service.release_seat)(
            room.room_pk, member.key, self.channel_name)
        await self.channel_layer.group_discard(room.group, self.channel_name)

    # -- Incoming -----------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None,
                      **kwargs: Any) -> None:
        try:
            message = protocol.parse(text_data)
            if message["type"] == "hello":
                await self.on_hello(protocol.clean(message))
                return
            if self.member is None:
                raise protocol.ProtocolError("not_joined", _("Chưa chào (hello) với máy chủ."))
            await self._refresh()
            protocol.check(message, self.member.role, self.member.stage)
            message = protocol.clean(message)
            await getattr(self, "on_" + message["type"])(message)
        except (protocol.ProtocolError, lobby.LobbyError) as exc:
            await self._refuse(exc.code, exc.message, message_type(text_data))
        except (floor.FloorError, RelayError) as exc:
            await self.send_json({"type": "error", "code": exc.code, "message": exc.message})
        except RoomChanged:
            # Ended (the "ended" message is on its way) or this device was taken for gone:
            # the browser rejoins and finds its place.
            await self.close(code=CLOSE_MEDIA_SERVER_LOST)
        except room_state.RoomBusy:
            await self.send_json({"type": "error", "code": "busy",
                                  "message": _("Phòng đang bận, vui lòng thử lại.")})
        except JanusError as exc:
            log.warning("Janus refused a request of %s: %s", self.who(), exc)
            await self.send_json({
                "type": "error", "code": "media_server",
                "message": _("Máy chủ truyền hình không thực hiện được yêu cầu.")})
            if self.member is None:  # could not even join: the browser retries later
                await self.close(code=CLOSE_MEDIA_SERVER_LOST)

    async def _refuse(self, code: str, message: str, kind: str | None) -> None:
        if code == "forbidden" and self.room is not None and self.member is not None:
            # A forbidden message has a known type (unknown types are refused before).
            await self._event(EventKind.REFUSED, {"code": code, "message": kind})
        await self.refused(code, message)

    async def on_hello(self, message: dict[str, Any]) -> None:
        if self.member is not None:
            raise protocol.ProtocolError("out_of_order", _("Đã chào rồi."))
        try:
            joiner = await database_sync_to_async(lobby.joiner)(
                self.hearing_id, message.get("token"), self.scope.get("user"),
                self.scope.get("session"))
        except JoinRefused as exc:
            await self._refuse(exc.code, exc.message, None)
            if exc.code == "ended":
                # A page rejoining after the end (it was reconnecting when the chair ended
                # the hearing and missed the broadcast) is told, and does not retry.
                await self.room_ended({})
                return
            await self.close(code=4403)
            return
        await room_keeper.ensure_heartbeat()
        if self.relay is None:  # on the Janus node the room is placed on (or moved to)
            self.node, where = await placement.node_for_hearing(self.hearing_id)
            self.relay = await MediaRelay.open(where)
            self._watcher = asyncio.create_task(self._watch_media_server(self.relay))
        opens = lobby.opens_session(joiner)
        room = await room_service.open_room(self.relay.control, self.hearing_id,
                                            f"Hearing {self.hearing_id}", chair=opens,
                                            node=self.node)
        if opens:  # recording starts
            await room_service.start_recording(self.relay.control, room)
        if not await room_service.take_seat(room.room_pk, joiner.key, self.channel_name):
            await self._refuse("already_connected",
                               _("Đường dẫn này đang được dùng trên một thiết bị khác."), None)
            await self.close(code=4409)
            return
        member = lobby.member_for(joiner, self.channel_name)
        # Served here before it is in the state: this process's keeper never takes it for a
        # member left behind (room_keeper.tick).
        local = live.attach(self.hearing_id, self.channel_name, self)
        try:
            async with room_state.store().update(self.hearing_id) as current:
                if current is None:
                    raise RoomChanged
                lost = lobby.enter(current, member)
        except BaseException:
            live.detach(self.hearing_id, self.channel_name)
            await database_sync_to_async(room_service.release_seat)(
                room.room_pk, joiner.key, self.channel_name)
            raise
        self.room, self.member = current, member
        if lost is not None:
            await room_keeper.record_lost(current, lost)
        room_keeper.start(self.hearing_id, local)
        await self.channel_layer.group_add(current.group, self.channel_name)
        await self._event(EventKind.JOIN, {"role": joiner.role})
        # Fresh TURN credentials at every (re)join: they expire by themselves (media.turn).
        ice = turn.ice_servers(turn.from_django(), turn.member_key(self.hearing_id, joiner.key))
        await self.send_json({"type": "welcome", "key": joiner.key, "role": joiner.role,
                              "name": joiner.name, "point": joiner.bridge_point_name,
                              "stage": self.member.stage,
                              "ice_servers": ice})
        await self._broadcast_state()

    async def on_rules_accepted(self, message: dict[str, Any]) -> None:
        await self._move_to(lobby.stage_after_rules)

    async def on_device_check_ok(self, message: dict[str, Any]) -> None:
        await self._move_to(lobby.stage_after_device_check)

    async def on_identity_checked(self, message: dict[str, Any]) -> None:
        async with self._change() as (room, _me):
            target = lobby.check_identity(room, message["participant"])
        await self._event(EventKind.IDENTITY_CHECKED, {"participant": target.key},
                          target=target)
        await self._broadcast_state()

    async def on_admit(self, message: dict[str, Any]) -> None:
        async with self._change() as (room, _me):
            target = lobby.admit(room, message["participant"])
        await self._event(EventKind.ADMIT, {"participant": target.key}, target=target)
        await self.channel_layer.send(target.channel_name, {"type": "room.admitted"})
        await self._broadcast_state()

    async def on_publish(self, message: dict[str, Any]) -> None:
        # Muted on Janus under the room's lease (as the floor stands now) before the answer
        # goes back: no sound gets out before a grant.
        answer = await self._joined_relay.publish(self._joined_room, self._joined_member,
                                                  message["sdp"], moderated=False)
        feed, mid = self._joined_member.feed_id, self._joined_member.audio_mid
        async with self._change() as (room, me):
            me.feed_id, me.audio_mid = feed, mid
            await floor.mute_on_publish(self._joined_relay.control, room, me)
        self._joined_member.published_at, self._joined_member.recording_alerted = time.time(), False
        await self._event(EventKind.PUBLISH, {"feed": self._joined_member.feed_id})
        await self.send_json({"type": "answer", "sdp": answer})
        await self._broadcast_state()

    async def on_subscribe(self, message: dict[str, Any]) -> None:
        feed = message["feed"]
        lobby.check_watchable(self._joined_room, self._joined_member, feed)
        offer = await self._joined_relay.subscribe(self._joined_room, feed)
        await self.send_json({"type": "offer", "feed": feed, "sdp": offer})

    async def on_answer(self, message: dict[str, Any]) -> None:
        await self._joined_relay.answer(message["feed"], message["sdp"])

    async def on_trickle(self, message: dict[str, Any]) -> None:
        await self._joined_relay.trickle(message.get("feed"), message.get("candidate"))

    async def on_raise_hand(self, message: dict[str, Any]) -> None:
        async with self._change() as (room, me):
            floor.raise_hand(room, me)
        await self._event(EventKind.HAND_RAISE)
        await self._broadcast_state()

    async def on_lower_hand(self, message: dict[str, Any]) -> None:
        async with self._change() as (room, me):
            floor.lower_hand(room, me)
        await self._broadcast_state()

    async def on_grant_floor(self, message: dict[str, Any]) -> None:
        # The budget is a deadline in the room's state: whichever process's keeper gets
        # there first revokes it, once (room_keeper.tick).
        async with self._change() as (room, _me):
            target = await floor.grant(self._joined_relay.control, room, message["participant"],
                                       message.get("seconds"))
        await self._event(EventKind.GRANT, {"participant": target.key,
                                            "seconds": message.get("seconds")}, target=target)
        await self._broadcast_state()

    async def on_revoke_floor(self, message: dict[str, Any]) -> None:
        async with self._change() as (room, _me):
            holder = await floor.revoke(self._joined_relay.control, room)
        await self._event(EventKind.REVOKE, {"participant": holder.key if holder else None},
                          target=holder)
        await self._broadcast_state()

    async def on_mute_all(self, message: dict[str, Any]) -> None:
        async with self._change() as (room, _me):
            await floor.mute_all(self._joined_relay.control, room)
        await self._event(EventKind.MUTE_ALL)
        await self._broadcast_state()

    async def on_end_hearing(self, message: dict[str, Any]) -> None:
        """The chair ends the hearing: it is held; like every other end, that ends the room
        (ending.close_room: pages told, Janus room destroyed, recordings processed)."""
        try:
            await database_sync_to_async(ending.end_hearing)(
                self.hearing_id, self.scope.get("user") or AnonymousUser(),
                actor_name=self._joined_member.name)
        except DomainError as exc:
            await self.send_json({"type": "error", "code": exc.code, "message": str(exc.message)})
            return

    async def room_ended(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "ended",
                              "message": _("Buổi tiếp công dân đã kết thúc. Cảm ơn quý vị.")})
        await self.close(code=CLOSE_ENDED)

    async def on_unmute(self, message: dict[str, Any]) -> None:  # pragma: no cover - refused
        raise protocol.ProtocolError("forbidden", _("Chỉ chủ trì mới cho phép phát biểu."))

    async def on_stats(self, message: dict[str, Any]) -> None:
        stats = monitoring.clean_stats(message["stats"])
        for alert in monitoring.observe(self._joined_member, stats):
            await self._event(EventKind.ALERT, alert.detail)
            await self.channel_layer.group_send(self._joined_room.group, {
                "type": "room.alert", "alert": alert.for_staff(self._joined_member)})
        await self.channel_layer.group_send(self._joined_room.group, {
            "type": "room.stats", "participant": self._joined_member.key, "stats": stats})

    # -- From the group -----------------------------------------------------------------------

    async def room_state(self, event: dict[str, Any]) -> None:
        if self._joined_room is None or self._joined_member is None:
            return
        snapshot, version = event.get("state"), event.get("version")
        if snapshot is None:
            room = await room_state.store().get(self.hearing_id)
            if room is None:
                return
            snapshot, version = room.snapshot(), room.version
        if version is not None:
            if version < self._seen_version:  # an older state overtaken by a newer one
                return
            self._seen_version = version
        key = self._joined_member.key
        own = next((p for p in snapshot["participants"] if p["key"] == key), None)
        stage = own["stage"] if own is not None else self._joined_member.stage
        state = lobby.visible_state(snapshot, self._joined_member.key, stage)
        await self.send_json({"type": "participants", **state})
        await self.send_json({"type": "floor", "holder": state["floor"],
                              "until": state["floor_until"],
                              "left": floor.seconds_left(state["floor_until"]),
                              "queue": state["queue"]})

    async def room_admitted(self, event: dict[str, Any]) -> None:
        if self._joined_member is not None:
            self._joined_member.stage = Stage.ROOM
            await self.send_json({"type": "admitted"})

    async def room_stats(self, event: dict[str, Any]) -> None:
        if self._joined_member is not None and self._joined_member.role in protocol.STAFF_IN_ROOM:
            await self.send_json({"type": "stats", "participant": event["participant"],
                                  "stats": event["stats"]})

    async def room_alert(self, event: dict[str, Any]) -> None:
        if self._joined_member is not None and self._joined_member.role in protocol.STAFF_IN_ROOM:
            await self.send_json({"type": "alert", **event["alert"]})

    # -- Helpers ------------------------------------------------------------------------------

    async def _refresh(self) -> None:
        """The room as it is now (others on other processes may have changed it)."""
        room = await room_state.store().get(self.hearing_id)
        shared = room.members.get(self._joined_member.key) if room is not None else None
        if room is None or shared is None or shared.channel_name != self.channel_name:
            raise RoomChanged
        if self.node is not None and room.node and room.node != self.node.name:
            raise RoomChanged  # its node was taken for dead and the room moved: follow it
        self._joined_member.take_shared(shared)
        self.room = room

    @contextlib.asynccontextmanager
    async def _change(self) -> AsyncIterator[tuple[LiveRoom, Member]]:
        """Change the room under its lease: ``async with self._change() as (room, me)``."""
        async with room_state.store().update(self.hearing_id) as room:
            me = room.members.get(self._joined_member.key) if room is not None else None
            if room is None or me is None or me.channel_name != self.channel_name:
                raise RoomChanged
            yield room, me
        self.room = room
        self._joined_member.take_shared(me)

    async def _move_to(self, stage_of: Callable[[LiveRoom, Member], str]) -> None:
        async with self._change() as (room, me):
            me.stage = stage = stage_of(room, me)
        await self.send_json({"type": "stage", "stage": stage})
        if stage == Stage.ROOM:
            await self.send_json({"type": "admitted"})
        await self._broadcast_state()

    async def _broadcast_state(self) -> None:
        await room_keeper.broadcast(self._joined_room)

    async def _event(self, kind: str, detail: dict[str, Any] | None = None, *,
                     target: Member | None = None) -> None:
        subject = target or self._joined_member
        await database_sync_to_async(room_service.record_event)(
            self._joined_room.room_pk, kind, actor=self._joined_member.name,
            bridge_point_id=subject.bridge_point_id if subject else None, detail=detail)

    def who(self) -> str:
        return self.member.key if self.member else "anonymous"
