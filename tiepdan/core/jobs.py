"""Jobs that survive the death of their worker.

Huey takes a message off the queue before it runs the task: a worker killed mid-job (kill -9,
out of memory, the machine losing power — or the supervisor's SIGTERM, which Huey treats as an
immediate shutdown) loses the job for good.  An idempotent task marked :func:`resumable`
leaves a "running" marker in Huey's own result store while it runs (the message itself, keyed by
host, process and task id); the marker is removed whatever way the run ends, except an
interrupted one.  When a consumer starts, it puts back on the queue every marker left by a
process of this host that is gone, so the job runs again — once: the task must be idempotent
(e.g. ``media.tasks.process_recordings`` only does what is left).

Markers of other hosts (several consumers on one Redis) are left alone: their own consumer
re-drives them when it starts again.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from typing import Any

from huey import signals
from huey.constants import EmptyData
from huey.contrib.djhuey import HUEY

log = logging.getLogger(__name__)

PREFIX = "tiepdan.running"
_RESUMABLE: set[type] = set()
_BOOT = secrets.token_hex(4)  # this process's life: a reused pid is still another process
_HOST = socket.gethostname()
_redriven = threading.Event()
_redrive_lock = threading.Lock()


def resumable(task: Any) -> Any:
    """Mark a Huey task (``@db_task`` wrapper) as safe to run again after its worker died."""
    _RESUMABLE.add(task.task_class)
    return task


def _key(task: Any) -> str:
    return f"{PREFIX}:{_HOST}:{os.getpid()}:{_BOOT}:{task.id}"


@HUEY.signal(signals.SIGNAL_EXECUTING)
def _mark_running(signal: str, task: Any, *args: Any) -> None:
    if type(task) in _RESUMABLE:
        HUEY.storage.put_data(_key(task), HUEY.serialize_task(task))


@HUEY.signal(signals.SIGNAL_COMPLETE, signals.SIGNAL_ERROR, signals.SIGNAL_CANCELED,
             signals.SIGNAL_LOCKED, signals.SIGNAL_TIMEOUT, signals.SIGNAL_RATE_LIMITED)
def _mark_done(signal: str, task: Any, *args: Any) -> None:
    # A failed run that Huey retries is put back on the queue by Huey itself.
    # SIGNAL_INTERRUPTED keeps the marker: the task did not finish.
    if type(task) in _RESUMABLE:
        HUEY.storage.delete_data(_key(task))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_markers() -> dict[str, bytes]:
    """Markers left by processes of this host that no longer run (or by an earlier life of
    this very pid)."""
    found = {}
    for key, value in HUEY.storage.result_items().items():
        parts = str(key).split(":")
        if len(parts) != 5 or parts[0] != PREFIX or parts[1] != _HOST:
            continue
        pid, boot = int(parts[2]), parts[3]
        if boot == _BOOT:
            continue  # this process's own running jobs
        if pid == os.getpid() or not _alive(pid):
            found[str(key)] = value
    return found


def redrive_interrupted() -> int:
    """Put the jobs of dead workers back on the queue; returns how many."""
    count = 0
    for key, message in stale_markers().items():
        # pop first: two consumers starting together re-drive a marker once.
        if HUEY.storage.pop_data(key) is EmptyData:
            continue
        task = HUEY.deserialize_task(message)
        log.warning("re-queueing %s %s: its worker died before it finished", task.name, task.id)
        HUEY.enqueue(task)
        count += 1
    return count


@HUEY.on_startup()
def _redrive_at_start() -> None:
    # Called by every worker thread of the consumer; once per process is enough.
    with _redrive_lock:
        if _redriven.is_set():
            return
        _redriven.set()
        redrive_interrupted()
