"""Web processes for the room tests: uvicorn serving tiepdan.asgi on this suite's ports, sharing
one database (a copy of the test's SQLite database, or its PostgreSQL database), one Janus and,
when given, one Redis; and scripted signalling clients speaking the browser's protocol (a fixed
SDP offer: Janus answers it and moderates its audio; no media flows; bench/signalling.py,
shared with bench/city.py)."""

from __future__ import annotations

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

from bench.signalling import Member, floor_of, participants

__all__ = ["Member", "floor_of", "participants"]  # shared with bench/city.py

REPO = Path(__file__).resolve().parents[2]
PORTS = (8250, 8251, 8252)  # this suite's ports for the processes of one hearing ...
RESTART_PORT = 8253  # ... and for the web process restarted (its own: tests may run in parallel)
REDIS_URL = os.environ.get("TIEPDAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


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


def staff_cookie(user: Any, login_staff: Any) -> str:
    client = Client()
    login_staff(client, user)
    return client.cookies["sessionid"].value


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
