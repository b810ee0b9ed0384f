"""Web processes for the room tests: uvicorn serving tiepdan.asgi on this suite's ports, sharing
one database (a copy of the test's SQLite database, or its PostgreSQL database), one Janus and,
when given, one Redis; and scripted signalling clients speaking the browser's protocol (a fixed
SDP offer: Janus answers it and moderates its audio; no media flows)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection
from django.test import Client

REPO = Path(__file__).resolve().parents[2]
PORTS = (8250, 8251, 8252)  # this suite's ports for the processes of one hearing ...
RESTART_PORT = 8253  # ... and for the web process restarted (its own: tests may run in parallel)
REDIS_URL = os.environ.get("TIEPDAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _sdp_offer() -> str:
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


def redis_or_skip() -> None:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL)
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    for key in client.scan_iter("tiepdan:*"):
        client.delete(key)
    client.close()


class WebProcesses:
    """uvicorn serving tiepdan.asgi on each port, sharing one database, Janus and (unless
    ``redis_url`` is None: embedded mode, one process) Redis."""

    def __init__(
        self,
        tmp_path: Path,
        janus: Any,
        database_url: str,
        secret_key: str,
        *,
        redis_url: str | None = REDIS_URL,
    ) -> None:
        var = tmp_path / "var"
        (var / "janus").mkdir(parents=True, exist_ok=True)
        (var / "janus" / "secrets.json").write_text(
            json.dumps(
                {
                    "api_secret": janus.api_secret,
                    "admin_secret": janus.admin_secret,
                    "room_admin_key": janus.room_admin_key,
                }
            )
        )
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("SECRET_KEY", "TIEPDAN_", "DATABASE_URL", "REDIS_URL", "JANUS_", "DJANGO_")
            )
        }
        self.env.update(
            TIEPDAN_VAR_DIR=str(var),
            DATABASE_URL=database_url,
            SECRET_KEY=secret_key,
            JANUS_HTTP_PORT=str(janus.http_port),
            JANUS_REC_DIR=str(janus.rec_dir),
            DJANGO_SETTINGS_MODULE="tiepdan.settings",
            PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        )
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.var_dir = var
        self.logs = tmp_path
        self.processes: dict[int, subprocess.Popen[bytes]] = {}

    def start(self, ports: tuple[int, ...] = PORTS) -> None:
        for port in ports:
            log = (self.logs / f"web-{port}.log").open("ab")
            self.processes[port] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "tiepdan.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-access-log",
                    "--lifespan",
                    "off",
                ],
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        for port in ports:
            process = self.processes[port]
            while True:
                if process.poll() is not None:
                    raise AssertionError(self.log(port))
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(
                        f"http://127.0.0.1:{port}/static/tiepdan/site.css", timeout=5
                    ).status_code:
                        break
                assert time.monotonic() < deadline, f"port {port} did not answer"
                time.sleep(0.2)

    def log(self, port: int) -> str:
        return (self.logs / f"web-{port}.log").read_text(errors="replace")[-4000:]

    def kill(self, port: int) -> None:
        process = self.processes[port]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


class Member:
    """One browser's signalling, scripted."""

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
            assert first["code"] == "already_connected", first
            await self.close()
            await asyncio.sleep(0.5)
        raise AssertionError(f"{self.name}: the seat was never freed")

    async def _read(self, ws: Any) -> None:
        try:
            async for text in ws:
                message = json.loads(text)
                if message["type"] == "participants":
                    self.state["participants"] = message
                elif message["type"] == "floor":
                    self.state["floor"] = message
                await self.inbox.put(message)
        except Exception:  # noqa: S110 - the connection died with its process: that is the test
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
        await self.send({"type": "publish", "sdp": _sdp_offer()})
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


def staff_cookie(user: Any, login_staff: Any) -> str:
    client = Client()
    login_staff(client, user)
    return client.cookies["sessionid"].value


def shared_database(tmp_path: Path) -> str:
    """The processes' database: a copy of this test's SQLite database (with the hearing and
    the staff sessions), or this test's PostgreSQL database itself."""
    if connection.vendor != "sqlite":
        db = connection.settings_dict
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


def time_up_revokes(database_url: str) -> int:
    query = "SELECT count(*) FROM media_roomevent WHERE kind = 'revoke' AND detail LIKE '%time_up%'"
    if database_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(database_url[len("sqlite:///") :])) as db:
            return db.execute(query).fetchone()[0]
    with connection.cursor() as cursor:  # PostgreSQL: the JSON column read as text
        cursor.execute(query.replace("detail LIKE", "detail::text LIKE"))
        return cursor.fetchone()[0]


def lost_with_their_process(database_url: str) -> list[str]:
    """Who the timeline says was lost with its web process (LEAVE, reason process_lost)."""
    query = ("SELECT actor FROM media_roomevent WHERE kind = 'leave' "
             "AND detail LIKE '%process_lost%' ORDER BY actor")
    if database_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(database_url[len("sqlite:///") :])) as db:
            return [actor for (actor,) in db.execute(query)]
    with connection.cursor() as cursor:  # PostgreSQL: the JSON column read as text
        cursor.execute(query.replace("detail LIKE", "detail::text LIKE"))
        return [actor for (actor,) in cursor.fetchall()]
