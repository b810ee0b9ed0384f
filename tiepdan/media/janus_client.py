"""An asyncio client for the Janus HTTP API (long-poll sessions) and the videoroom requests the
app needs.

Janus answers a plugin request in one of two ways: synchronous requests (``create``, ``list``,
``moderate``...) come back in the HTTP response; asynchronous ones (``join``, ``configure``...)
get an ``ack`` and their answer later arrives as an event on the session's long-poll ``GET``
carrying the same ``transaction``.  :meth:`PluginHandle.send` hides the difference.

Events that answer nothing (``webrtcup``, ``hangup``, ``media``, publishers joining...) go to the
``on_event`` callback given to :meth:`JanusSession.attach`; signalling will build on that.

No retries: every request here goes to Janus on the loopback interface, and the ones that
change state (create, join, moderate) are not idempotent.  A lost Janus is reported
(``JanusSession.lost``), and the caller decides (restart Janus, restore rooms).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

VIDEOROOM = "janus.plugin.videoroom"
EventCallback = Callable[[dict[str, Any]], None]


class JanusError(Exception):
    """A refusal or failure from Janus, with Janus's own code and reason (``code`` is None
    when Janus could not be reached)."""

    # Janus core codes (janus/apierror.h) and videoroom codes the app reacts to.
    UNAUTHORIZED = 403
    SESSION_NOT_FOUND = 458
    NO_SUCH_ROOM = 426
    ROOM_EXISTS = 427
    NO_SUCH_FEED = 428
    ROOM_UNAUTHORIZED = 433

    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(f"Janus error {code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class PluginReply:
    data: dict[str, Any]
    jsep: dict[str, Any] | None = None


def _transaction() -> str:
    return secrets.token_urlsafe(12)


class JanusSession:
    """One Janus API session, kept alive, with its event long-poll running."""

    def __init__(self, api_url: str, api_secret: str | None = None, *,
                 timeout: float = 10.0, keepalive_interval: float = 25.0) -> None:
        self.api_url = api_url.rstrip("/")
        self.api_secret = api_secret
        self.timeout = timeout
        self.keepalive_interval = keepalive_interval
        self.session_id: int | None = None
        self.lost = asyncio.Event()
        self._http: aiohttp.ClientSession | None = None
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._listeners: dict[int, EventCallback] = {}
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> JanusSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def connect(self) -> None:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        try:
            reply = await self._post("", {"janus": "create"})
        except BaseException:
            await self._http.close()
            raise
        self.session_id = int(reply["data"]["id"])
        self._tasks = [asyncio.create_task(self._poll_events(self._http), name="janus-poll"),
                       asyncio.create_task(self._keepalives(), name="janus-keepalive")]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.session_id is not None and not self.lost.is_set():
            with contextlib.suppress(JanusError):
                await self._post(f"/{self.session_id}", {"janus": "destroy"})
        self._fail_pending(JanusError(None, "session closed"))
        if self._http is not None:
            await self._http.close()

    async def attach(self, plugin: str = VIDEOROOM,
                     on_event: EventCallback | None = None) -> PluginHandle:
        reply = await self._post(f"/{self.session_id}", {"janus": "attach", "plugin": plugin})
        handle = PluginHandle(self, int(reply["data"]["id"]))
        if on_event is not None:
            self._listeners[handle.handle_id] = on_event
        return handle

    async def keepalive(self) -> None:
        await self._post(f"/{self.session_id}", {"janus": "keepalive"})

    # -- Transport ----------------------------------------------------------------------------

    async def _post(self, path: str, body: dict[str, Any],
                    transaction: str | None = None) -> dict[str, Any]:
        if self._http is None:
            raise JanusError(None, "not connected")
        body = {**body, "transaction": transaction or _transaction()}
        if self.api_secret:
            body["apisecret"] = self.api_secret
        try:
            async with self._http.post(self.api_url + path, json=body) as response:
                reply = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise JanusError(None, f"Janus unreachable: {exc!r}") from exc
        _raise_for_error(reply)
        return reply

    async def _request(self, path: str, body: dict[str, Any],
                       timeout: float | None) -> dict[str, Any]:
        """POST, and when Janus only acks, wait for the event carrying our transaction."""
        if self.lost.is_set():
            raise JanusError(None, "session lost")
        transaction = _transaction()
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        # Registered before sending: the event may arrive before the HTTP answer.
        self._pending[transaction] = future
        try:
            reply = await self._post(path, body, transaction)
            if reply.get("janus") != "ack":
                return reply
            async with asyncio.timeout(timeout or self.timeout):
                return await future
        except TimeoutError:
            raise JanusError(None, f"no answer to {body.get('body')!r} in time") from None
        finally:
            self._pending.pop(transaction, None)
            if not future.done():
                future.cancel()
            elif not future.cancelled():
                future.exception()  # retrieved: no "exception was never retrieved" noise

    async def _keepalives(self) -> None:
        while True:
            await asyncio.sleep(self.keepalive_interval)
            try:
                await self.keepalive()
            except JanusError as exc:
                log.warning("Janus keepalive failed: %s", exc)

    async def _poll_events(self, http: aiohttp.ClientSession) -> None:
        url = f"{self.api_url}/{self.session_id}"
        params = {"maxev": "10", **({"apisecret": self.api_secret} if self.api_secret else {})}
        # Janus holds a long-poll for up to 30 s before answering with a keepalive.
        poll_timeout = aiohttp.ClientTimeout(total=None, sock_connect=self.timeout, sock_read=45)
        while True:
            params["rid"] = str(int(time.time() * 1000))
            try:
                async with http.get(url, params=params, timeout=poll_timeout) as response:
                    events = await response.json(content_type=None)
                if isinstance(events, dict):
                    if events.get("transaction") not in self._pending:
                        _raise_for_error(events)  # about the session itself: it is gone
                    events = [events]
                for event in events:
                    self._dispatch(event)
            except Exception as exc:  # network, bad JSON, session gone: the session is over
                log.warning("Janus session %s lost: %r", self.session_id, exc)
                self._fail_pending(JanusError(getattr(exc, "code", None), f"session lost: {exc}"))
                self.lost.set()
                return

    def _dispatch(self, event: dict[str, Any]) -> None:
        future = self._pending.get(event.get("transaction", ""))
        if future is not None and event.get("janus") in {"event", "success", "error"}:
            if future.done():
                return
            try:
                _raise_for_error(event)
                future.set_result(event)
            except JanusError as exc:
                future.set_exception(exc)
            return
        if event.get("janus") == "keepalive":
            return
        listener = self._listeners.get(event.get("sender", 0))
        if listener is None:
            log.debug("unclaimed Janus event: %s", event)
            return
        try:
            listener(event)
        except Exception:  # a listener's bug must not stop the event loop of every handle
            log.exception("Janus event listener failed on %s", event)

    def _fail_pending(self, error: JanusError) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)


class PluginHandle:
    """A session's handle on one plugin."""

    def __init__(self, session: JanusSession, handle_id: int) -> None:
        self.session = session
        self.handle_id = handle_id

    @property
    def _path(self) -> str:
        return f"/{self.session.session_id}/{self.handle_id}"

    async def send(self, body: dict[str, Any], jsep: dict[str, Any] | None = None,
                   timeout: float | None = None) -> PluginReply:
        """Send a plugin request; return the plugin's answer, sync or async."""
        message: dict[str, Any] = {"janus": "message", "body": body}
        if jsep is not None:
            message["jsep"] = jsep
        event = await self.session._request(self._path, message, timeout)
        data = event.get("plugindata", {}).get("data", {})
        if "error_code" in data or "error" in data:
            raise JanusError(data.get("error_code"), data.get("error", "plugin error"))
        return PluginReply(data=data, jsep=event.get("jsep"))

    async def request(self, body: dict[str, Any]) -> dict[str, Any]:
        return (await self.send(body)).data

    async def trickle(self, candidate: dict[str, Any] | None) -> None:
        """Relay one browser ICE candidate (None: gathering completed)."""
        body: dict[str, Any] = {"janus": "trickle",
                                "candidate": candidate or {"completed": True}}
        await self.session._post(self._path, body)

    async def detach(self) -> None:
        self.session._listeners.pop(self.handle_id, None)
        await self.session._post(self._path, {"janus": "detach"})


class VideoRoom:
    """The videoroom requests the app makes on a handle (never on a browser's behalf)."""

    def __init__(self, handle: PluginHandle, admin_key: str | None = None) -> None:
        self.handle = handle
        self.admin_key = admin_key

    async def create_room(self, room_id: int, secret: str, description: str, publishers: int,
                          *, record: bool = True, rec_dir: str | None = None,
                          lock_record: bool = True, pin: str | None = None,
                          bitrate: int = 512_000) -> dict[str, Any]:
        body: dict[str, Any] = {
            "request": "create", "room": room_id, "secret": secret,
            "description": description, "publishers": publishers, "is_private": True,
            "permanent": False, "record": record, "lock_record": lock_record,
            "bitrate": bitrate, "audiocodec": "opus", "videocodec": "vp8",
            "notify_joining": True,
        }
        if rec_dir is not None:
            body["rec_dir"] = rec_dir
        if pin is not None:
            body["pin"] = pin
        if self.admin_key:
            body["admin_key"] = self.admin_key
        return await self.handle.request(body)

    async def destroy_room(self, room_id: int, secret: str) -> None:
        await self.handle.request({"request": "destroy", "room": room_id, "secret": secret,
                                   "permanent": False})

    async def enable_recording(self, room_id: int, secret: str) -> None:
        """Start recording every stream of the room (lock_record: only with the secret; the
        app never asks to stop)."""
        await self.handle.request({"request": "enable_recording", "room": room_id,
                                   "secret": secret, "record": True})

    async def exists(self, room_id: int) -> bool:
        return bool((await self.handle.request({"request": "exists", "room": room_id}))["exists"])

    async def list_rooms(self) -> list[dict[str, Any]]:
        """Every room, private ones included when we hold the admin key."""
        body: dict[str, Any] = {"request": "list"}
        if self.admin_key:
            body["admin_key"] = self.admin_key
        return list((await self.handle.request(body))["list"])

    async def room_info(self, room_id: int) -> dict[str, Any] | None:
        return next((r for r in await self.list_rooms() if r["room"] == room_id), None)

    async def list_participants(self, room_id: int) -> list[dict[str, Any]]:
        reply = await self.handle.request({"request": "listparticipants", "room": room_id})
        return list(reply["participants"])

    async def moderate(self, room_id: int, secret: str, publisher_id: int, mid: str,
                       mute: bool) -> None:
        """Mute (or unmute) one stream of a publisher on the server, whatever its browser does."""
        await self.handle.request({"request": "moderate", "room": room_id, "secret": secret,
                                   "id": publisher_id, "mid": mid, "mute": mute})

    async def kick(self, room_id: int, secret: str, participant_id: int) -> None:
        await self.handle.request({"request": "kick", "room": room_id, "secret": secret,
                                   "id": participant_id})


def _raise_for_error(reply: dict[str, Any]) -> None:
    if reply.get("janus") == "error":
        error = reply.get("error", {})
        raise JanusError(error.get("code"), error.get("reason", "unknown error"))
