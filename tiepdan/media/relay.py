"""One browser's link to Janus: the app relays its SDP to the videoroom and back.

Each browser connection owns one Janus API session with a control handle (requests that need
the room secret), a publisher handle once it publishes, and one subscriber handle per feed it
watches.  The browser never sees Janus's API nor the room secret.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from django.utils.translation import gettext as _

from . import floor
from .janus_client import JanusError, JanusSession, PluginHandle, PluginReply, VideoRoom
from .janus_config import JanusSettings
from .janus_nodes import NodeEndpoint
from .live import LiveRoom, Member

SUBSCRIBE_ATTEMPTS = 40  # x 0.25 s


class RelayError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class MediaRelay:
    def __init__(self, session: JanusSession, control: VideoRoom) -> None:
        self.session = session
        self.control = control
        self.publisher: PluginHandle | None = None
        self.subscribers: dict[int, PluginHandle] = {}

    @classmethod
    async def open(cls, settings: JanusSettings | NodeEndpoint) -> MediaRelay:
        session = JanusSession(settings.api_url, settings.api_secret)
        await session.connect()
        try:
            return cls(session, VideoRoom(await session.attach(), settings.room_admin_key))
        except BaseException:
            await session.close()
            raise

    async def close(self) -> None:
        await self.session.close()  # Janus hangs up every handle: the others see us leave

    async def publish(self, room: LiveRoom, member: Member, offer_sdp: str, *,
                      moderated: bool = True) -> str:
        """Publish the browser's offer; its microphone is muted on the server before the
        answer goes back, so no sound can get out before a grant (``moderated=False``: a
        readiness test room, where nobody else listens).  Returns the answer SDP."""
        publisher = self.publisher
        joined_now = publisher is None
        if publisher is None:
            publisher = self.publisher = await self.session.attach()
            joined = await publisher.send({
                "request": "join", "ptype": "publisher", "room": room.janus_room_id,
                "display": (member.bridge_point_name or member.name)[:100]})
            member.feed_id = int(joined.data["id"])
        try:
            reply = await publisher.send(
                {"request": "publish", "audio": True, "video": True},
                jsep={"type": "offer", "sdp": offer_sdp}, timeout=20)
        except JanusError:
            if joined_now:
                # A refused offer (a bad SDP) must leave no feed behind that others would see
                # in the participant list and try to watch.
                self.publisher = None
                member.feed_id = None
                with contextlib.suppress(JanusError):
                    await publisher.detach()
            raise
        member.audio_mid = next((s["mid"] for s in reply.data.get("streams", [])
                                 if s.get("type") == "audio"), None)
        if moderated:
            await floor.mute_on_publish(self.control, room, member)
        return reply.jsep["sdp"] if reply.jsep else ""

    async def subscribe(self, room: LiveRoom, feed: int) -> str:
        """Start watching ``feed``; returns Janus's offer SDP for the browser to answer."""
        if feed in self.subscribers:
            raise RelayError("bad_message", _("Đã xem nguồn này."))
        handle = await self.session.attach()
        self.subscribers[feed] = handle
        try:
            reply = await self._join_as_subscriber(handle, room, feed)
        except JanusError:
            self.subscribers.pop(feed, None)
            await handle.detach()
            raise
        if not reply.jsep:
            raise RelayError("media_server", _("Máy chủ truyền hình không gửi đề nghị kết nối."))
        return str(reply.jsep["sdp"])

    async def answer(self, feed: int, answer_sdp: str) -> None:
        handle = self.subscribers.get(feed)
        if handle is None:
            raise RelayError("out_of_order", _("Chưa đăng ký xem nguồn này."))
        await handle.send({"request": "start"}, jsep={"type": "answer", "sdp": answer_sdp})

    async def trickle(self, feed: int | None, candidate: dict[str, Any] | None) -> None:
        handle = self.subscribers.get(feed) if feed is not None else self.publisher
        if handle is None:
            raise RelayError("out_of_order", _("Chưa có kết nối để gửi ứng viên ICE."))
        await handle.trickle(candidate)

    @staticmethod
    async def _join_as_subscriber(handle: PluginHandle, room: LiveRoom, feed: int
                                  ) -> PluginReply:
        # Janus knows a feed only once its publisher's PeerConnection is up (a second or so
        # after "publish"); browsers ask as soon as the feed is announced.
        for attempt in range(SUBSCRIBE_ATTEMPTS):
            try:
                return await handle.send({"request": "join", "ptype": "subscriber",
                                          "room": room.janus_room_id,
                                          "streams": [{"feed": feed}]}, timeout=20)
            except JanusError as exc:
                if exc.code != JanusError.NO_SUCH_FEED or attempt == SUBSCRIBE_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(0.25)
        raise AssertionError("unreachable")
