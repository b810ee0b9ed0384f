"""The room store: where the live state of every hearing room is kept, shared by the web
processes serving its members (decision 0003).

One interface, two backends: Redis when ``REDIS_URL`` is set (the channel layer's Redis), memory
in embedded mode (one process).  A change is made under the room's *lease* (one holder at a
time across processes); the write that ends it is fenced (it lands only while the lease is
still held).  Processes announce they are alive with a heartbeat that expires, so members and
seats of a process that died are recognised by the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import time
import weakref
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from . import live
from .live import LiveRoom

#: This web process (seats and members name the process serving them).
PROCESS_ID = secrets.token_hex(16)
#: A process whose heartbeat is older than this is dead; it refreshes every HEARTBEAT_EVERY.
PROCESS_TTL_SECONDS = 5.0
HEARTBEAT_EVERY_SECONDS = 1.5
#: A lease lapses after this (a process that died holding it); a change takes milliseconds.
LEASE_SECONDS = 10.0
#: How long a change waits for a busy room before giving up (RoomBusy).
LEASE_WAIT_SECONDS = 10.0
#: A room's state is dropped this long after its last change (a room left behind).
STATE_TTL_SECONDS = 2 * 24 * 3600


class RoomBusy(Exception):
    """The room's lease could not be taken in time, or was lost before the write."""


class RoomStore:
    """What both backends offer.  ``update`` is the way to change a room."""

    async def get(self, hearing_id: int) -> LiveRoom | None:
        raise NotImplementedError

    def lease(self, hearing_id: int) -> contextlib.AbstractAsyncContextManager[str]:
        raise NotImplementedError

    async def write(self, lease: str, room: LiveRoom) -> None:
        """Store ``room`` (its version incremented) while holding ``lease``."""
        raise NotImplementedError

    async def discard(self, hearing_id: int) -> None:
        raise NotImplementedError

    async def heartbeat(self, process_id: str = PROCESS_ID) -> None:
        raise NotImplementedError

    async def alive(self, process_ids: Iterable[str]) -> set[str]:
        raise NotImplementedError

    async def close(self) -> None:
        """Release connections (tests, end of a loop)."""

    @contextlib.asynccontextmanager
    async def update(self, hearing_id: int) -> AsyncIterator[LiveRoom | None]:
        """``async with store.update(h) as room``: the room as it is now, for this holder
        alone; what the block changes is written when it ends (also when it raised: a Janus
        request may have succeeded before a later one failed, as the state must say)."""
        async with self.lease(hearing_id) as lease:
            room = await self.get(hearing_id)
            before = room.to_dict() if room is not None else None
            try:
                yield room
            finally:
                if room is not None and room.to_dict() != before:
                    await self.write(lease, room)

    async def create(self, room: LiveRoom, lease: str) -> LiveRoom:
        """Store a new room (under its lease, taken by the caller)."""
        await self.write(lease, room)
        return room


# -- Memory (embedded mode) -------------------------------------------------------------------


class MemoryStore(RoomStore):
    """One process's rooms.  With ``directory``, every write is also kept in a file there
    (``<hearing>.json``, replaced atomically), so that a web process restarted by the
    supervisor after a crash finds the floor, the queue and the admitted points again."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._states: dict[int, str] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, str] = {}
        self._beats: dict[str, float] = {}

    def _path(self, hearing_id: int) -> Path | None:
        return self.directory / f"{int(hearing_id)}.json" if self.directory else None

    async def get(self, hearing_id: int) -> LiveRoom | None:
        text = self._states.get(hearing_id)
        path = self._path(hearing_id)
        if text is None and path is not None and path.exists():
            with contextlib.suppress(OSError):
                text = self._states[hearing_id] = path.read_text(encoding="utf-8")
        return LiveRoom.from_dict(json.loads(text)) if text is not None else None

    def _keep(self, hearing_id: int, text: str | None) -> None:
        path = self._path(hearing_id)
        if path is None:
            return
        if text is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds secrets
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)

    @contextlib.asynccontextmanager
    async def lease(self, hearing_id: int) -> AsyncIterator[str]:
        lock = self._locks.setdefault(hearing_id, asyncio.Lock())
        try:
            async with asyncio.timeout(LEASE_WAIT_SECONDS):
                await lock.acquire()
        except TimeoutError:
            raise RoomBusy(hearing_id) from None
        token = secrets.token_hex(8)
        self._holders[hearing_id] = token
        try:
            yield token
        finally:
            self._holders.pop(hearing_id, None)
            lock.release()

    async def write(self, lease: str, room: LiveRoom) -> None:
        if self._holders.get(room.hearing_id) != lease:
            raise RoomBusy(room.hearing_id)
        room.version += 1
        text = self._states[room.hearing_id] = json.dumps(room.to_dict())
        self._keep(room.hearing_id, text)

    async def discard(self, hearing_id: int) -> None:
        self._states.pop(hearing_id, None)
        self._keep(hearing_id, None)

    async def heartbeat(self, process_id: str = PROCESS_ID) -> None:
        self._beats[process_id] = time.monotonic() + PROCESS_TTL_SECONDS

    async def alive(self, process_ids: Iterable[str]) -> set[str]:
        now = time.monotonic()
        return {p for p in process_ids if p == PROCESS_ID or self._beats.get(p, 0.0) > now}


# -- Redis ------------------------------------------------------------------------------------

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
_FENCED_SET = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('set', KEYS[2], ARGV[2], 'EX', ARGV[3])
return 1
"""


class RedisStore(RoomStore):
    def __init__(self, url: str, prefix: str = "tiepdan:") -> None:
        self.url = url
        self.prefix = prefix
        # redis.asyncio connections belong to the event loop that opened them.
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )

    def _client(self) -> Any:
        import redis.asyncio as redis

        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = redis.Redis.from_url(self.url, decode_responses=True)
            self._clients[loop] = client
        return client

    def _state_key(self, hearing_id: int) -> str:
        return f"{self.prefix}room:{hearing_id}:state"

    def _lease_key(self, hearing_id: int) -> str:
        return f"{self.prefix}room:{hearing_id}:lease"

    def _process_key(self, process_id: str) -> str:
        return f"{self.prefix}process:{process_id}"

    async def get(self, hearing_id: int) -> LiveRoom | None:
        text = await self._client().get(self._state_key(hearing_id))
        return LiveRoom.from_dict(json.loads(text)) if text is not None else None

    @contextlib.asynccontextmanager
    async def lease(self, hearing_id: int) -> AsyncIterator[str]:
        client, key = self._client(), self._lease_key(hearing_id)
        token = f"{PROCESS_ID}:{secrets.token_hex(8)}"
        deadline = time.monotonic() + LEASE_WAIT_SECONDS
        delay = 0.002
        while not await client.set(key, token, nx=True, px=int(LEASE_SECONDS * 1000)):
            if time.monotonic() > deadline:
                raise RoomBusy(hearing_id)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)
        try:
            yield token
        finally:
            await client.eval(_RELEASE, 1, key, token)

    async def write(self, lease: str, room: LiveRoom) -> None:
        room.version += 1
        written = await self._client().eval(
            _FENCED_SET,
            2,
            self._lease_key(room.hearing_id),
            self._state_key(room.hearing_id),
            lease,
            json.dumps(room.to_dict()),
            STATE_TTL_SECONDS,
        )
        if not written:
            room.version -= 1
            raise RoomBusy(room.hearing_id)

    async def discard(self, hearing_id: int) -> None:
        await self._client().delete(self._state_key(hearing_id))

    async def heartbeat(self, process_id: str = PROCESS_ID) -> None:
        await self._client().set(
            self._process_key(process_id), "1", px=int(PROCESS_TTL_SECONDS * 1000)
        )

    async def alive(self, process_ids: Iterable[str]) -> set[str]:
        ids = [p for p in dict.fromkeys(process_ids) if p]
        if not ids:
            return set()
        found = await self._client().mget([self._process_key(p) for p in ids])
        return {p for p, value in zip(ids, found, strict=True) if value is not None}

    async def close(self) -> None:
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()


# -- The store of this process ----------------------------------------------------------------

_store: RoomStore | None = None


def store() -> RoomStore:
    """Redis when ``REDIS_URL`` is set, else memory kept in ``ROOM_STATE_DIR`` (chosen on
    first use)."""
    global _store
    if _store is None:
        from django.conf import settings

        url = getattr(settings, "REDIS_URL", "")
        directory = getattr(settings, "ROOM_STATE_DIR", None)
        _store = RedisStore(url) if url else MemoryStore(Path(directory) if directory else None)
    return _store


def use_store(new: RoomStore | None) -> None:
    """Tests: another store (None: chosen again from the settings)."""
    global _store
    _store = new


def forget_all() -> None:
    """Tests: each event loop starts with no live rooms (local registry and memory store)."""
    live.stop_all()
    reset()


def reset() -> None:
    """Tests: a fresh memory store (a Redis store is kept: its data is Redis's)."""
    global _store
    if _store is None or isinstance(_store, MemoryStore):
        _store = None
