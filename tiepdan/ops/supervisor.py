"""A small process supervisor for the embedded mode: the ASGI server, the Huey worker (and, with
the media app, Janus) run as child processes, restarted when they die."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Children get SIGTERM when the supervisor dies, even by SIGKILL: no orphaned server keeps
    the ports (Linux prctl; a no-op elsewhere)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Service:
    name: str
    argv: list[str]
    restart_delay: float = 1.0
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)
    env: dict[str, str] | None = None  # added to the supervisor's environment
    #: Run before every (re)start, e.g. to write the program's configuration afresh.
    prepare: Callable[[], object] | None = None

    def start(self) -> None:
        if self.prepare is not None:
            self.prepare()
        env = {**os.environ, **self.env} if self.env else None
        self.process = subprocess.Popen(self.argv, preexec_fn=_die_with_parent,  # noqa: S603, PLW1509
                                        env=env)
        self.started_at = time.monotonic()
        log.info("started %s (pid %s)", self.name, self.process.pid)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Supervisor:
    def __init__(self, services: list[Service]) -> None:
        self.services = services
        self._stopping = False

    def _handle_signal(self, signum: int, frame: object) -> None:
        self._stopping = True

    def run(self, poll_interval: float = 0.5) -> None:
        signal.signal(signal.SIGTERM, self._handle_signal)
        signal.signal(signal.SIGINT, self._handle_signal)
        for service in self.services:
            service.start()
        try:
            while not self._stopping:
                for service in self.services:
                    if not service.alive() and not self._stopping:
                        code = service.process.returncode if service.process else None
                        # Back off when a service keeps dying right after start.
                        quick = time.monotonic() - service.started_at < 5
                        delay = min(service.restart_delay * (2 ** min(service.restarts, 5)), 30)
                        log.warning("%s exited (code %s); restarting in %.0fs",
                                    service.name, code, delay if quick else 0)
                        if quick:
                            time.sleep(delay)
                        service.restarts += 1
                        service.start()
                time.sleep(poll_interval)
        finally:
            for service in reversed(self.services):
                service.stop()
