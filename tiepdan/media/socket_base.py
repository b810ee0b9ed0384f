"""What every hearing-scoped WebSocket of the media app does the same way: take the hearing
from the URL, always release what it holds (also when a handler failed), and never fail on a
send to a browser that has already gone."""

from __future__ import annotations

import logging
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

log = logging.getLogger(__name__)


class HearingSocket(AsyncJsonWebsocketConsumer):
    hearing_id: int

    async def connect(self) -> None:
        self.hearing_id = int(self.scope["url_route"]["kwargs"]["hearing_id"])
        await self.accept()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Also when a handler failed: a ghost in a room, a seat or a Janus session held
            # forever would lock the bridge point out of its own hearing.
            await self.release()

    async def disconnect(self, code: int) -> None:
        await self.release()

    async def release(self) -> None:
        """Give back whatever the connection holds; must be safe to call twice."""

    async def send(self, message: dict[str, Any]) -> None:
        try:
            await super().send(message)
        except OSError:  # the browser is gone (uvicorn's ClientDisconnected); its
            # websocket.disconnect follows and cleans up
            log.debug("hearing %s: a browser went away before a message", self.hearing_id)
