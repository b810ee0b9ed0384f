"""What every hearing-scoped WebSocket of the media app does the same way: take the hearing
from the URL, always release what it holds (also when a handler failed), never fail on a send
to a browser that has already gone, and keep each connection within its limits (protocol.py):
a valid hello within 10 s, at most 5 refused messages, a bounded message rate; log what its
page reports as failed (client_errors.py); and answer each member in their own language
(core.socket_locale)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from tiepdan.core.socket_locale import MemberLanguage

from . import protocol
from .client_errors import ClientErrorLog

if TYPE_CHECKING:
    from asgiref.typing import WebSocketReceiveEvent

log = logging.getLogger(__name__)


class HearingSocket(MemberLanguage, AsyncJsonWebsocketConsumer):
    hearing_id: int
    _bad_messages: int = 0
    _budget: protocol.MessageBudget | None = None
    _hello_timer: asyncio.Task[None] | None = None
    _client_errors: ClientErrorLog | None = None

    def authenticated(self) -> bool:
        """True once a hello was accepted (subclasses say what that means for them)."""
        return False

    def who(self) -> str:
        """Who is connected, for the log (never a name)."""
        return "anonymous"

    async def on_client_error(self, message: dict[str, Any]) -> None:
        """The page reports a failure: logged, within the connection's budget; no answer."""
        if self._client_errors is None:
            self._client_errors = ClientErrorLog()
        self._client_errors.record(self.hearing_id, self.who(), message["where"],
                                   message["message"])

    async def connect(self) -> None:
        self.hearing_id = int(self.scope["url_route"]["kwargs"]["hearing_id"])
        self._budget = protocol.MessageBudget()
        await self.accept()
        self._hello_timer = asyncio.create_task(self._close_unless_authenticated())

    async def _close_unless_authenticated(self) -> None:
        await asyncio.sleep(protocol.AUTH_TIMEOUT_SECONDS)
        if not self.authenticated():
            log.info("hearing %s: no hello within %s s, closed", self.hearing_id,
                     protocol.AUTH_TIMEOUT_SECONDS)
            await self.close(code=protocol.CLOSE_NOT_AUTHENTICATED)

    async def websocket_receive(self, message: WebSocketReceiveEvent) -> None:
        if self._budget is not None and not self._budget.take():
            await self.refused("rate_limited", _("Gửi quá nhiều tin nhắn; vui lòng chậm lại."))
            return
        await super().websocket_receive(message)

    async def refused(self, code: str, message: str) -> None:
        """Answer a refused message with an error and count it; the fifth closes the socket.
        The client's text is never logged (it is the client's to choose)."""
        self._bad_messages += 1
        log.info("hearing %s: refused %s (%s of %s)", self.hearing_id, code,
                 self._bad_messages, protocol.MAX_BAD_MESSAGES)
        await self.send_json({"type": "error", "code": code, "message": message})
        if self._bad_messages >= protocol.MAX_BAD_MESSAGES:
            await self.close(code=protocol.CLOSE_BAD_MESSAGES)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._stop_hello_timer()
            # Also when a handler failed: a ghost in a room, a seat or a Janus session held
            # forever would lock the bridge point out of its own hearing.
            await self.release()

    def _stop_hello_timer(self) -> None:
        timer, self._hello_timer = self._hello_timer, None
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()

    async def disconnect(self, code: int) -> None:
        self._stop_hello_timer()
        await self.release()

    async def release(self) -> None:
        """Give back whatever the connection holds; must be safe to call twice."""

    async def send_json(self, content: Any, close: bool = False) -> None:
        # Every message to the browser goes through here (channels' send_json; an override of
        # ``send`` would be skipped: the JSON consumer calls its base class's directly).
        try:
            await super().send_json(content, close)
        except OSError:  # the browser is gone (uvicorn's ClientDisconnected); its
            # websocket.disconnect follows and cleans up
            log.debug("hearing %s: a browser went away before a message", self.hearing_id)
