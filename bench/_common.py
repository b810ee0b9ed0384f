"""Pieces shared by the benchmarks: a throw-away PostgreSQL database, a real uvicorn server,
a closed-loop load generator and the figures it reports.

Benchmarks only ever talk to 127.0.0.1 and clean up after themselves (server stopped, database
dropped), also on failure and Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import psycopg
from psycopg import sql

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"  # local server, trust auth
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# Process lifetime ------------------------------------------------------------------------------
class OutOfTime(KeyboardInterrupt):  # noqa: N818 - not an error of the code under test
    """The benchmark's time budget ran out.  A KeyboardInterrupt, because that is what an event
    loop lets out of a signal handler (it logs and swallows ordinary exceptions) and what no
    ``except Exception`` on the way catches; every context manager still cleans up."""


def stop_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt so that every ``finally``/context manager cleans up."""

    def _interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)


def stop_after(seconds: int) -> None:
    """Raise :class:`OutOfTime` after ``seconds`` (``signal.alarm(0)`` cancels), so a benchmark
    always stops by itself, cleaning up on the way."""

    def _out_of_time(signum: int, frame: object) -> None:
        raise OutOfTime(f"time budget of {seconds} s exceeded")

    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(seconds)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Database --------------------------------------------------------------------------------------
@contextlib.contextmanager
def temporary_postgres_database(name: str) -> Iterator[str]:
    """Create database ``name`` on the local server, yield its URL, drop it afterwards."""
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            # FORCE: a server that did not exit cleanly may still hold connections.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run_tiepdan(args: list[str], env: dict[str, str]) -> None:
    """Run ``tiepdan <args>`` (a management command) and fail loudly with its output."""
    result = subprocess.run(
        [PYTHON, "-m", "tiepdan.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=int(os.environ.get("BENCH_SETUP_TIMEOUT") or 120),
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"tiepdan {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


# Staff sessions --------------------------------------------------------------------------------
def staff_session(user) -> str:
    """A signed-in session (password and TOTP done), as the login pages leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tiepdan.core import session_limits

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
    # The clocks and device digest a sign-in starts (core.session_limits.on_sign_in): without
    # them the pages and the room take the session for expired.
    now = int(time.time())
    session[session_limits.SIGNED_IN_AT] = session[session_limits.LAST_SEEN_AT] = now
    session[session_limits.DEVICES_DIGEST] = session_limits.devices_digest(user)
    session.create()
    return session.session_key


def flush_redis(url: str) -> None:
    """Empty the Redis database of ``url`` (a benchmark's own db number)."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


# Server ----------------------------------------------------------------------------------------
@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and all its worker processes."""
        return sum(_cpu_seconds(pid) for pid in _process_tree(self.process.pid))


@contextlib.contextmanager
def uvicorn_server(
    env: dict[str, str],
    workers: int,
    log_path: Path,
    ready_path: str = "/api/v1/health",
    startup_timeout: float = float(os.environ.get("BENCH_STARTUP_TIMEOUT") or 60),
    app: str = "tiepdan.asgi:application",
) -> Iterator[Server]:
    """Start ``uvicorn <app>`` on a free local port, as ``tiepdan serve`` does (no access log, no
    lifespan), wait until ``ready_path`` answers 200, stop it afterwards."""
    port = int(os.environ.get("BENCH_PORT") or 0) or free_port()  # a fixed port if asked
    argv = [
        PYTHON,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--lifespan",
        "off",
        "--log-level",
        "info",
    ]
    with log_path.open("wb") as log:
        # Own session: a Ctrl-C in the terminal reaches only us; we stop the server ourselves.
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, log_path)
    try:
        _wait_ready(server, ready_path, startup_timeout, workers)
        yield server
    finally:
        _stop(process)


def _wait_ready(server: Server, path: str, timeout: float, workers: int) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"server exited with {server.process.returncode}:\n"
                + server.log_path.read_text(errors="replace")[-3000:]
            )
        # uvicorn logs this line in each worker once the application is imported.
        started = server.log_path.read_text(errors="replace").count("Started server process")
        if started >= workers:
            url = server.base_url + path
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310
                if answer.status == 200:  # (OSError: refused, reset, HTTP error...)
                    return
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer {path} within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
    return pids


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    # utime + stime + the same of reaped children (PostgreSQL backends that have exited)
    return sum(int(v) for v in fields[11:15]) / _CLOCK_TICKS


def postgres_cpu_seconds() -> float:
    """CPU time used so far by the local PostgreSQL processes (all of them)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres":
                    total += _cpu_seconds(int(entry.name))
    return total


def machine_busy_seconds() -> float:
    """CPU time all processes of the machine spent busy so far (from /proc/stat)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / _CLOCK_TICKS


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# Load ------------------------------------------------------------------------------------------
class HttpConnection:
    """One keep-alive HTTP/1.1 connection to the local server: just what a benchmark needs.

    httpx (h11, pure Python) spends about as much CPU per request as the server does for the
    health endpoint; on a 2-core machine shared with the server that would cap and distort what
    is measured, so the load generator speaks the protocol itself (Content-Length or chunked).

    The connection is renewed every ``requests_per_connection`` requests, as many different
    people would: with 20 connections opened at once and kept for good, one uvicorn worker
    accepted almost all of them and served ~90% of the registrations while the other idled.
    """

    def __init__(self, host: str, port: int, requests_per_connection: int = 20) -> None:
        self.host, self.port = host, port
        self.requests_per_connection = requests_per_connection
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._sent = 0

    async def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
            self._sent = 0
        reader, writer = self._streams
        self._sent += 1
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        if body:
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        writer.write(head.encode() + b"\r\n" + body)
        try:
            status, headers = _parse_head(await reader.readuntil(b"\r\n\r\n"))
            if "content-length" in headers:
                payload = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding") == "chunked":
                payload = await _read_chunked(reader)
            else:
                raise ValueError("response without Content-Length or chunked body")
        except BaseException:
            self.close()  # the stream is in an unknown state
            raise
        if headers.get("connection") == "close" or self._sent >= self.requests_per_connection:
            self.close()
        return status, payload

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


def _parse_head(raw: bytes) -> tuple[int, dict[str, str]]:
    status_line, *lines = raw.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        if line:
            name, _sep, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
    return int(status_line.split(" ", 2)[1]), headers


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        parts.append((await reader.readexactly(size + 2))[:-2])
    await reader.readuntil(b"\r\n")  # no trailers from our server: just the final CRLF
    return b"".join(parts)


# ``request(connection, index)`` sends the ``index``-th request and returns (status, body).
Request = Callable[[HttpConnection, int], Awaitable[tuple[int, bytes]]]
REQUEST_TIMEOUT = 10.0
NOISE_CORES = 0.2  # CPU used by unrelated processes above which figures are flagged


@dataclass
class LoadResult:
    name: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    failures: dict[str, int] = field(default_factory=dict)  # "status 500" / "TimeoutError" → n
    elapsed: float = 0.0
    timed_out: bool = False
    cpu: dict[str, float] = field(default_factory=dict)  # "server"/"client"/... → cores

    @property
    def attempted(self) -> int:
        return len(self.latencies) + sum(self.failures.values())

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0–100) with linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


async def closed_loop(
    server: Server,
    request: Request,
    *,
    count: int,
    concurrency: int,
    expected_status: int,
    name: str,
    time_limit: float,
) -> LoadResult:
    """``concurrency`` clients, each with its own keep-alive connection and sending its next
    request as soon as the previous answer arrived, until ``count`` requests were sent or
    ``time_limit`` seconds passed."""
    result = LoadResult(name, concurrency)
    next_index = 0
    deadline = time.monotonic() + time_limit

    async def one_client() -> None:
        nonlocal next_index
        connection = HttpConnection("127.0.0.1", server.port)
        try:
            while next_index < count:
                if time.monotonic() > deadline:
                    result.timed_out = True
                    return
                index, next_index = next_index, next_index + 1
                started = time.perf_counter()
                try:
                    status, _body = await asyncio.wait_for(
                        request(connection, index), REQUEST_TIMEOUT
                    )
                except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError) as exc:
                    key = type(exc).__name__
                else:
                    if status == expected_status:
                        result.latencies.append(time.perf_counter() - started)
                        continue
                    key = f"status {status}"
                result.failures[key] = result.failures.get(key, 0) + 1
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result


async def measure(
    server: Server,
    request: Request,
    *,
    name: str,
    warmup: int,
    count: int,
    concurrency: int,
    expected_status: int,
    time_limit: float,
) -> LoadResult:
    """Warm up, then measure one endpoint; also records the CPU used (in cores) by the server,
    this load generator, PostgreSQL and anything else on the machine while measuring."""
    options = {
        "concurrency": concurrency,
        "expected_status": expected_status,
        "name": name,
        "time_limit": time_limit,
    }
    await closed_loop(server, request, count=warmup, **options)
    before = _cpu_snapshot(server)
    result = await closed_loop(server, request, count=count, **options)
    after = _cpu_snapshot(server)
    for key in before:
        result.cpu[key] = (after[key] - before[key]) / result.elapsed if result.elapsed else 0.0
    # Whatever else ran on the machine meanwhile (other people's tests...): it skews the figures.
    result.cpu["other"] = max(0.0, result.cpu.pop("machine") - sum(result.cpu.values()))
    return result


def run_async(main: Awaitable[T]) -> T:
    """Run the load generator on uvloop (as uvicorn does), which costs it less CPU."""
    import uvloop

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


def _cpu_snapshot(server: Server) -> dict[str, float]:
    return {
        "server": server.cpu_seconds(),
        "client": own_cpu_seconds(),
        "postgres": postgres_cpu_seconds(),
        "machine": machine_busy_seconds(),
    }


def print_figure(name: str, value: float | int | str, unit: str) -> None:
    if isinstance(value, float):
        value = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    print(f"{name}: {value} {unit}", flush=True)


def print_result(result: LoadResult) -> None:
    prefix = result.name
    print_figure(f"{prefix}_requests", len(result.latencies), "ok")
    print_figure(f"{prefix}_failures", result.attempted - len(result.latencies), "requests")
    for kind, n in sorted(result.failures.items()):
        print(f"  {kind}: {n}", flush=True)
    print_figure(f"{prefix}_rps", result.throughput, "req/s")
    for p in (50, 95, 99):
        print_figure(f"{prefix}_p{p}", result.percentile_ms(p), "ms")
    for key, cores in result.cpu.items():
        print_figure(f"{prefix}_cpu_{key}", cores, "cores")
    if result.attempted:
        # CPU time per request: steadier than latency when the machine is shared.
        per_request = result.cpu["server"] * result.elapsed / result.attempted * 1000
        print_figure(f"{prefix}_server_cpu_per_request", per_request, "ms")
    if result.cpu.get("other", 0.0) > NOISE_CORES:
        print(
            f"warning: other processes used {result.cpu['other']:.2f} cores while {prefix} was "
            "measured; its figures are pessimistic (run again on a quiet machine)",
            flush=True,
        )
