"""The readiness test page's WebSocket: thin.  It checks each message
(readiness_protocol.py), relays the loopback stream through Janus with the hearing room's relay
(relay.MediaRelay) and hands the measurements to the readiness service, which decides."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from tiepdan.core.errors import DomainError

from . import placement, protocol, readiness, readiness_room, rules, turn
from .janus_client import JanusError
from .join_links import JoinRefused
from .live import LiveRoom, Member
from .readiness_protocol import RULES, SCHEMAS, TESTER, Stage
from .relay import MediaRelay, RelayError
from .socket_base import HearingSocket

log = logging.getLogger(__name__)

CLOSE_TIME_UP = 4408


class ReadinessConsumer(HearingSocket):
    tester: readiness.ReadinessTester | None = None
    stage: str = ""
    relay: MediaRelay | None = None
    room: LiveRoom | None = None
    member: Member | None = None
    _timer: asyncio.Task[None] | None = None

    def authenticated(self) -> bool:
        return self.tester is not None

    # What a message after hello (the tester) or after publish (relay, room, member) needs;
    # ``receive`` refuses a message out of that order before its handler runs, and these say
    # so to the reader and the type checker.
    @property
    def _tester(self) -> readiness.ReadinessTester:
        if self.tester is None:
            raise protocol.ProtocolError("not_joined", _("Chưa chào (hello) với máy chủ."))
        return self.tester

    def _published(self) -> tuple[MediaRelay, LiveRoom, Member]:
        if self.relay is None or self.room is None or self.member is None:
            raise protocol.ProtocolError("out_of_order", _("Chưa gửi hình để kiểm tra."))
        return self.relay, self.room, self.member

    def who(self) -> str:
        tester = self.tester
        if tester is None:
            return "anonymous"
        return f"p{tester.participant_id}" if tester.participant_id else f"u{tester.user_id}"

    async def release(self) -> None:
        """Leave the test room and drop the Janus session (Janus hangs up our streams)."""
        relay, room = self.relay, self.room
        self.relay = self.room = self.member = None
        timer, self._timer = self._timer, None
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()
        if relay is None:
            return
        if room is not None:
            with contextlib.suppress(JanusError):
                await readiness_room.leave(relay.control, self.hearing_id)
        await relay.close()

    async def _time_up(self) -> None:
        await asyncio.sleep(rules.READINESS_SESSION_SECONDS)
        await self.send_json({"type": "error", "code": "time_up",
                          "message": _("Đã hết thời gian kiểm tra; vui lòng tải lại trang.")})
        await self.close(code=CLOSE_TIME_UP)

    # -- Incoming -----------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None,
                      **kwargs: Any) -> None:
        try:
            message = protocol.parse(text_data)
            if message["type"] == "hello":
                await self.on_hello(protocol.clean(message, SCHEMAS))
                return
            if self.tester is None:
                raise protocol.ProtocolError("not_joined", _("Chưa chào (hello) với máy chủ."))
            protocol.check(message, TESTER, self.stage, RULES)
            message = protocol.clean(message, SCHEMAS)
            await getattr(self, "on_" + message["type"])(message)
        except protocol.ProtocolError as exc:
            await self.refused(exc.code, exc.message)
        except RelayError as exc:
            await self.send_json({"type": "error", "code": exc.code, "message": exc.message})
        except JanusError as exc:
            log.warning("readiness %s: Janus refused: %s", self.hearing_id, exc)
            await self.send_json({"type": "error", "code": "media_server",
                              "message": _("Máy chủ truyền hình không thực hiện được yêu cầu.")})

    async def on_hello(self, message: dict[str, Any]) -> None:
        if self.tester is not None:
            raise protocol.ProtocolError("out_of_order", _("Đã chào rồi."))
        try:
            tester = await database_sync_to_async(readiness.tester_for_socket)(
                self.hearing_id, message.get("token"), self.scope.get("user"),
                self.scope.get("session"))
        except JoinRefused as exc:
            await self.send_json({"type": "error", "code": exc.code, "message": exc.message})
            await self.close(code=4403)
            return
        self.tester, self.stage = tester, Stage.JOINED
        self._timer = asyncio.create_task(self._time_up())
        await self.send_json({"type": "welcome", "name": tester.name,
                              "point": tester.bridge_point_name,
                              "ice_servers": turn.ice_servers(
                                  turn.from_django(),
                                  turn.member_key(self.hearing_id, "test-" + self.who()))})

    async def on_publish(self, message: dict[str, Any]) -> None:
        if self.relay is None:  # (a publish Janus refused may be tried again)
            # The path tested is the one to the node the hearing is (or would be) placed on.
            _node, where = await placement.node_for_hearing(self.hearing_id)
            self.relay = await MediaRelay.open(where)
        if self.room is None:
            self.room = await readiness_room.enter(self.relay.control, self.hearing_id)
        tester = self._tester
        self.member = self.member or Member(key=f"t{id(self)}", role=TESTER, name=tester.name,
                             channel_name=self.channel_name,
                             bridge_point_id=tester.bridge_point_id,
                             bridge_point_name=tester.bridge_point_name)
        relay, room, member = self._published()
        answer = await relay.publish(room, member, message["sdp"], moderated=False)
        self.stage = Stage.PUBLISHED
        await self.send_json({"type": "answer", "sdp": answer, "feed": member.feed_id})

    async def on_subscribe(self, message: dict[str, Any]) -> None:
        # Only ever our own stream: a tester never sees another point's picture.
        relay, room, member = self._published()
        if member.feed_id is None:
            raise protocol.ProtocolError("out_of_order", _("Chưa gửi hình để kiểm tra."))
        offer = await relay.subscribe(room, member.feed_id)
        self.stage = Stage.LOOPED
        await self.send_json({"type": "offer", "feed": member.feed_id, "sdp": offer})

    async def on_answer(self, message: dict[str, Any]) -> None:
        relay, _room, member = self._published()
        if member.feed_id is None:
            raise protocol.ProtocolError("out_of_order", _("Chưa gửi hình để kiểm tra."))
        await relay.answer(member.feed_id, message["sdp"])

    async def on_trickle(self, message: dict[str, Any]) -> None:
        relay, _room, member = self._published()
        feed = member.feed_id if message.get("loop") else None
        await relay.trickle(feed, message.get("candidate"))

    def _user_agent(self) -> str:
        headers = dict(self.scope.get("headers") or [])
        return headers.get(b"user-agent", b"").decode("utf-8", "replace")[:300]

    async def on_result(self, message: dict[str, Any]) -> None:
        try:
            result = await database_sync_to_async(readiness.record_result)(
                self._tester, message["metrics"], user_agent=self._user_agent())
        except DomainError as exc:
            await self.send_json({"type": "error", "code": "bad_metrics", "message": str(exc),
                              "errors": getattr(exc, "field_errors", {})})
            return
        self.stage = Stage.DONE
        await self.release()
        await self.send_json({"type": "result", "passed": result.passed,
                          "problems": readiness.problems_for(result),
                          "metrics": result.metrics})
