"""Run Janus as a child process of the app: start it with a generated configuration, wait until
its API answers, check its health, notice a crash, stop it.

:class:`JanusProcess` is for code that owns Janus directly (tests, benchmarks, a future
"restore the rooms after a crash" job): ``start()`` returns once ``GET /janus/info`` answers.
``tiepdan serve`` supervises Janus itself (``tiepdan.ops``: ``janus_service``).
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import IO, Any

from .janus_config import LOOPBACK, JanusSettings, write_config

log = logging.getLogger(__name__)


MISSING_JANUS_MESSAGE = (
    "Chưa cài Janus: phòng tiếp trực tuyến chưa dùng được. / "
    "Janus is not installed: online hearings are unavailable.\n"
    "Cài bằng / install with: sudo scripts/ensure-media-packages"
)


class JanusStartError(RuntimeError):
    """Janus did not come up (binary missing, port taken, bad configuration...)."""


@dataclass(frozen=True)
class JanusHealth:
    running: bool
    api_ok: bool
    returncode: int | None = None

    @property
    def ok(self) -> bool:
        return self.running and self.api_ok


def janus_binary(settings: JanusSettings) -> str | None:
    """The full path of the Janus binary, or None when it is not installed."""
    return shutil.which(settings.binary)


def server_info(settings: JanusSettings, timeout: float = 1.0) -> dict[str, Any] | None:
    """``GET /janus/info`` (needs no secret), or None when the API does not answer."""
    url = f"{settings.api_url}/info"
    try:
        # The URL is always http://127.0.0.1:<port>/janus/info, built from our settings.
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            data = json.load(response)
    except (OSError, ValueError):
        return None
    return data if data.get("janus") == "server_info" else None


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((LOOPBACK, port)) == 0


class JanusProcess:
    """One Janus child process."""

    def __init__(self, settings: JanusSettings, *, output: int | IO[Any] | None = None) -> None:
        self.settings = settings
        self.output = subprocess.DEVNULL if output is None else output
        self.process: subprocess.Popen[bytes] | None = None
        self._stopped = False

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = 10.0) -> float:
        """Write the configuration, start Janus and wait until its API answers.
        Returns the seconds it took."""
        binary = janus_binary(self.settings)
        if binary is None:
            raise JanusStartError(MISSING_JANUS_MESSAGE)
        for port in (self.settings.http_port, self.settings.admin_port):
            # Otherwise we could take another Janus's answers for ours.
            if _port_in_use(port):
                raise JanusStartError(
                    f"port {port} on {LOOPBACK} is already in use (a Janus left over from an "
                    f"earlier run? see `ss -ltnp 'sport = :{port}'`)")
        write_config(self.settings)
        began = time.monotonic()
        self._stopped = False
        self.process = subprocess.Popen(  # noqa: S603 - argv built from our settings
            [binary, *self.settings.command()[1:]],
            stdout=self.output, stderr=self.output, stdin=subprocess.DEVNULL)
        self.wait_ready(timeout)
        elapsed = time.monotonic() - began
        log.info("Janus started (pid %s) in %.2f s", self.process.pid, elapsed)
        return elapsed

    def wait_ready(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                code = self.process.returncode if self.process else None
                raise JanusStartError(f"Janus exited during start (code {code}). "
                                      f"{self._log_tail()}")
            if server_info(self.settings, timeout=0.5) is not None:
                return
            time.sleep(0.05)
        self.stop()
        raise JanusStartError(f"Janus did not answer within {timeout:.0f} s. {self._log_tail()}")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def crashed(self) -> bool:
        """True when the process ended without :meth:`stop` being called."""
        return self.process is not None and not self._stopped and not self.running()

    def health(self, timeout: float = 1.0) -> JanusHealth:
        running = self.running()
        return JanusHealth(
            running=running,
            api_ok=running and server_info(self.settings, timeout) is not None,
            returncode=None if running or self.process is None else self.process.returncode,
        )

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped = True
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self, timeout: float = 10.0) -> float:
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> JanusProcess:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _log_tail(self, lines: int = 15) -> str:
        path = self.settings.log_file
        if not path or not path.exists():
            return ""
        tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return "Last lines of " + str(path) + ":\n" + "\n".join(tail)
