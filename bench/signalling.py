"""A scripted hearing-room member: the browser's signalling protocol over a real WebSocket, with
a fixed SDP offer (Janus answers it and moderates its audio; no media flows).

Used by the multi-process room tests (tests/media/processes.py) and by bench/city.py; it
imports nothing of the project, so that both a test (``bench.signalling``) and a benchmark
script (``signalling``, next to it) can load it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any


def sdp_offer() -> str:
    """What a browser offers to publish (audio mid 0, video mid 1), minus real ICE."""
    lines = [
        "v=0",
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=msid-semantic: WMS s",
    ]
    for mid, kind, pt, codec, ssrc in (
        ("0", "audio", 111, "opus/48000/2", 1001),
        ("1", "video", 96, "VP8/90000", 2001),
    ):
        lines += [
            f"m={kind} 9 UDP/TLS/RTP/SAVPF {pt}",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:abcd",
            "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 " + ":".join(["AB"] * 32),
            "a=setup:actpass",
            f"a=mid:{mid}",
            "a=sendonly",
            f"a=msid:s {kind}0",
            "a=rtcp-mux",
            f"a=rtpmap:{pt} {codec}",
            f"a=ssrc:{ssrc} cname:t",
        ]
    return "\r\n".join(lines) + "\r\n"


class SeatNeverFreed(RuntimeError):
    """The room kept saying this link is in use on another device."""


class Member:
    """One browser's signalling, scripted.  ``observe`` sees every message as it arrives (with
    its ``time.perf_counter()``), before it is queued in ``inbox``."""

    def __init__(
        self, name: str, hearing: int, *, token: str | None = None, cookie: str | None = None
    ) -> None:
        self.name, self.hearing, self.token, self.cookie = name, hearing, token, cookie
        self.key: str | None = None
        self.port: int | None = None
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.state: dict[str, Any] = {}  # the last "participants" and "floor" messages
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self.closed: asyncio.Event = asyncio.Event()

    async def connect(self, port: int, *, attempts: int = 40) -> dict[str, Any]:
        """Connect and say hello; like room.js, retry while the seat is still held."""
        from websockets.asyncio.client import connect

        for _ in range(attempts):
            headers = {"Origin": f"http://127.0.0.1:{port}"}
            if self.cookie:
                headers["Cookie"] = f"sessionid={self.cookie}"
            self._ws = await connect(
                f"ws://127.0.0.1:{port}/ws/phong-tiep/{self.hearing}/", additional_headers=headers
            )
            self.port, self.inbox, self.closed = port, asyncio.Queue(), asyncio.Event()
            self._reader = asyncio.create_task(self._read(self._ws))
            await self.send({"type": "hello", **({"token": self.token} if self.token else {})})
            first = await self.next("welcome", "error", timeout=20)
            if first["type"] == "welcome":
                self.key = first["key"]
                return first
            if first["code"] != "already_connected":
                raise RuntimeError(f"{self.name}: refused: {first}")
            await self.close()
            await asyncio.sleep(0.5)
        raise SeatNeverFreed(f"{self.name}: the seat was never freed")

    def observe(self, message: dict[str, Any], at: float) -> None:
        """Called for every message received (``at``: when, by ``time.perf_counter()``)."""

    async def _read(self, ws: Any) -> None:
        try:
            async for text in ws:
                at = time.perf_counter()
                message = json.loads(text)
                if message["type"] == "participants":
                    self.state["participants"] = message
                elif message["type"] == "floor":
                    self.state["floor"] = message
                self.observe(message, at)
                await self.inbox.put(message)
        except Exception:  # noqa: S110 - the connection died with its process: the caller sees it
            pass
        finally:
            self.closed.set()

    async def send(self, message: dict[str, Any]) -> None:
        await self._ws.send(json.dumps(message))

    async def next(self, *kinds: str, timeout: float = 10) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                message = await self.inbox.get()
                if message["type"] in kinds:
                    return message

    async def enter(self) -> dict[str, Any]:
        """Rules, device check: staff are in the room, points in the lobby (or in, when
        admitted before)."""
        await self.send({"type": "rules_accepted"})
        await self.next("stage")
        await self.send({"type": "device_check_ok"})
        return await self.next("stage")

    async def publish(self) -> None:
        await self.send({"type": "publish", "sdp": sdp_offer()})
        await self.next("answer", timeout=30)

    async def until(self, what: str, check: Any, timeout: float = 15) -> dict[str, Any]:
        """Wait until the last state this member was sent satisfies ``check``."""
        deadline = time.monotonic() + timeout
        while True:
            if check(self.state):
                return self.state
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{self.name} never saw {what}: {self.state}")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self.inbox.get()

    async def close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()


def participants(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["key"]: p for p in state.get("participants", {}).get("participants", [])}


def floor_of(state: dict[str, Any]) -> tuple:
    floor = state.get("floor", {})
    return floor.get("holder"), floor.get("until"), tuple(floor.get("queue", ()))
