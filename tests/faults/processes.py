"""Real processes for the fault tests: a throw-away PostgreSQL cluster of its own (initdb +
pg_ctl, never the shared server), the app server and the worker as subprocesses."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tiepdan.ops import installation

REPO = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
# The ports of this suite's fault tests (the shared server stays on 5432).
PG_PORTS = range(55480, 55490)
APP_PORTS = range(8180, 8190)


def free_port(candidates: range) -> int:
    # In random order: two xdist workers looking at once rarely pick the same port.
    for port in random.sample(candidates, len(candidates)):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {candidates}")


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class ThrowawayPostgres:
    """A PostgreSQL 15 cluster in a temporary directory, on its own port, trust auth."""

    def __init__(self) -> None:
        self.port = free_port(PG_PORTS)
        self.base = Path(tempfile.mkdtemp(prefix="tiepdan-faults-pg-"))
        self.data = self.base / "data"
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self.log = self.base / "server.log"

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                                     str(self.log), *args]), check=True, timeout=timeout,
                       capture_output=True)

    def start(self) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U",
                                     "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        options = (f"-c port={self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.base} -c fsync=off "
                   "-c max_connections=50")
        (self.data / "postgresql.auto.conf").write_text("")
        self._options = options
        self._ctl("start", "-w", "-o", options)

    def restart(self, down_for: float = 0.0) -> None:
        """Restart the server; ``down_for`` seconds between the stop and the start (so the
        outage is felt however slowly a busy machine sends requests)."""
        if not down_for:
            self._ctl("restart", "-m", "fast", "-w", "-o", self._options)
            return
        self._ctl("stop", "-m", "fast", "-w")
        time.sleep(down_for)
        self._ctl("start", "-w", "-o", self._options)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._ctl("stop", "-m", "immediate", timeout=30)
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


def app_env(var_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a product process on a machine of its own."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SECRET_KEY", "TIEPDAN_", "MEDIA_ROOT", "JANUS_", "DATABASE_URL",
                                "REDIS_URL", "RECORDINGS_", "DJANGO_"))}
    env.update(TIEPDAN_VAR_DIR=str(var_dir), DATABASE_URL=database_url,
               DJANGO_SETTINGS_MODULE="tiepdan.settings",
               PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]), **extra)
    installation.prepare(env)  # what `tiepdan init` makes on a new machine
    return env


def run_python(env: dict[str, str], code: str, timeout: float = 300) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def start_web(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """uvicorn on tiepdan.asgi as `tiepdan serve` starts it; ready once /api/v1/ answers."""
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tiepdan.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--lifespan", "off"],
        env=env, cwd=REPO, stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the web server exited: {log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/communes", timeout=5).status_code:
                return process
        time.sleep(0.3)
    process.kill()
    raise AssertionError("the web server did not answer within 90 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every direct child of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found
