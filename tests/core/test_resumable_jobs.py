"""``core.jobs``: a resumable job whose worker died is put back on the queue when a consumer of
the same host starts, once; finished jobs, live workers and other hosts are left alone.  (The
real kill -9 of a real consumer is tests/faults/test_worker_killed.py.)"""

from __future__ import annotations

import subprocess
import sys

import pytest
from huey import signals
from huey.contrib.djhuey import HUEY, db_task

from tiepdan.core import jobs

CALLS: list[int] = []


@jobs.resumable
@db_task()
def resumable_job(n: int) -> None:
    CALLS.append(n)


@db_task()
def plain_job(n: int) -> None:
    CALLS.append(n)


@pytest.fixture(autouse=True)
def _clean():
    CALLS.clear()
    HUEY.storage.flush_results()
    yield
    HUEY.storage.flush_results()


def _markers() -> list[str]:
    return [k for k in HUEY.storage.result_items() if str(k).startswith(jobs.PREFIX)]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _leave_marker(task, host: str, pid: int, boot: str = "00000000") -> str:
    key = f"{jobs.PREFIX}:{host}:{pid}:{boot}:{task.id}"
    HUEY.storage.put_data(key, HUEY.serialize_task(task))
    return key


def test_a_finished_job_leaves_no_marker():
    resumable_job(1)
    assert CALLS == [1] and _markers() == []


def test_a_running_job_has_a_marker_and_only_if_resumable():
    task = resumable_job.s(2)
    HUEY._emit(signals.SIGNAL_EXECUTING, task)  # what the consumer does before it runs it
    HUEY._emit(signals.SIGNAL_EXECUTING, plain_job.s(3))
    assert len(_markers()) == 1
    HUEY._emit(signals.SIGNAL_INTERRUPTED, task)  # the supervisor's SIGTERM: not finished
    assert len(_markers()) == 1
    HUEY._emit(signals.SIGNAL_COMPLETE, task)
    assert _markers() == []


def test_the_job_of_a_dead_worker_runs_again_once():
    _leave_marker(resumable_job.s(4), jobs._HOST, _dead_pid())
    assert jobs.redrive_interrupted() == 1
    assert CALLS == [4] and _markers() == []
    assert jobs.redrive_interrupted() == 0
    assert CALLS == [4]


def test_an_earlier_life_of_this_very_pid_counts_as_dead():
    import os

    _leave_marker(resumable_job.s(5), jobs._HOST, os.getpid(), boot="earlier1")
    assert jobs.redrive_interrupted() == 1 and CALLS == [5]


@pytest.mark.parametrize("where", ["live worker of this host", "another host", "this process"])
def test_jobs_that_may_still_be_running_are_left_alone(where):
    import os

    task = resumable_job.s(6)
    if where == "live worker of this host":
        _leave_marker(task, jobs._HOST, os.getppid())
    elif where == "another host":
        _leave_marker(task, "another-host", _dead_pid())
    else:
        _leave_marker(task, jobs._HOST, os.getpid(), boot=jobs._BOOT)
    assert jobs.redrive_interrupted() == 0
    assert CALLS == [] and len(_markers()) == 1
