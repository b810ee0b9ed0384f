"""`tiepdan serve --role web|worker` started for real, as two systemd units would run them on
one machine: each role starts only its own process, and the web role's /metrics adds up the
counters of its two uvicorn workers and of the worker role (a delivery that failed there)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.database_copy import copy_for_module
from tests.media.conftest import free_port
from tiepdan.ops import installation

from .scrape import value

REPO = Path(__file__).resolve().parents[2]
TOKEN = "token-for-the-role-tests"
REDIS_URL = "redis://127.0.0.1:6379/6"  # this branch's Redis database


def _get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)  # noqa: S310
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def _children(pid: int) -> list[str]:
    """Command lines of the supervisor's children."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    found = []
    for child in path.read_text().split():
        with contextlib.suppress(OSError):
            found.append(Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


class Role:
    def __init__(self, var: Path, env: dict[str, str], *args: str) -> None:
        log = var / f"serve-{args[1]}.log"
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tiepdan.cli", "serve", *args],
            cwd=REPO,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.log = log

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, django_db_blocker) -> Iterator[dict]:
    var = tmp_path_factory.mktemp("ops-var")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SITE_URL", "PROMETHEUS_MULTIPROC_DIR"}
    }
    env.update(
        TIEPDAN_VAR_DIR=str(var),
        PYTHONPATH=str(REPO),
        METRICS_TOKEN=TOKEN,
        DJANGO_SETTINGS_MODULE="tiepdan.settings",
        HUEY_IMMEDIATE="false",
        SMS_GATEWAY="tests.notify.conftest.FailingSmsGateway",
        NOTIFY_MAX_ATTEMPTS="1",
        # Several web workers need Redis (shared rooms, channel layer); the queue is there too.
        REDIS_URL=REDIS_URL,
    )
    redis.Redis.from_url(REDIS_URL).flushdb()
    installation.prepare(env)
    copied = copy_for_module(django_db_blocker, var / "db.sqlite3")
    if copied is None:  # the suite runs on PostgreSQL: the roles get a database of their own
        subprocess.run(
            [sys.executable, "-m", "tiepdan.cli", "migrate", "--noinput"],  # noqa: S603
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    port = free_port()
    web = Role(
        var, env, "--role", "web", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"
    )
    worker = Role(var, env, "--role", "worker")
    try:
        deadline = time.monotonic() + 60
        while _get(f"http://127.0.0.1:{port}/healthz")[0] != 200:
            assert web.process.poll() is None, web.log.read_text()
            assert time.monotonic() < deadline, "the web role did not answer in 60 s"
            time.sleep(0.3)
        yield {"web": web, "worker": worker, "env": env, "var": var, "port": port}
    finally:
        web.stop()
        worker.stop()


def test_each_role_starts_only_its_own_process(deployment):
    web = _children(deployment["web"].process.pid)
    worker = _children(deployment["worker"].process.pid)
    assert len(web) == 1 and "uvicorn" in web[0], web
    assert len(worker) == 1 and "run_huey" in worker[0], worker
    assert not any("janus" in line for line in web + worker)


def test_metrics_add_up_every_process_of_every_role(deployment):
    url = f"http://127.0.0.1:{deployment['port']}"
    status, before = _get(f"{url}/metrics", TOKEN)
    assert status == 200, before
    for _ in range(20):  # spread over the two uvicorn workers
        assert _get(f"{url}/khong-co-trang-nay/")[0] == 404
    # A delivery queued from a third process fails in the worker role's process.
    script = (
        "from tests.factories import CommuneFactory\n"
        "from tiepdan.notify import services\n"
        "services.queue_sms(commune=CommuneFactory(), to='+84912345678', text='x', purpose='t')\n"
    )
    subprocess.run(
        [sys.executable, "-m", "tiepdan.cli", "shell", "-c", script],  # noqa: S603
        cwd=REPO,
        env=deployment["env"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    final = {"channel": "sms", "final": "true"}
    deadline = time.monotonic() + 60
    while True:
        after = _get(f"{url}/metrics", TOKEN)[1]
        if value(after, "tiepdan_delivery_failures_total", **final) >= 1:
            break
        assert time.monotonic() < deadline, deployment["worker"].log.read_text()[-3000:]
        time.sleep(0.5)
    missing = {"route": "<unmatched>", "method": "GET", "status": "404"}
    assert (
        value(after, "tiepdan_http_requests_total", **missing)
        - value(before, "tiepdan_http_requests_total", **missing)
        == 20
    )
    assert value(after, "tiepdan_jobs_finished_total", task="deliver", outcome="complete") >= 1
    assert value(after, "tiepdan_deliveries_failed", channel="sms") == 1
    web_files = list((deployment["var"] / "metrics" / "web").glob("*.db"))
    assert len({f.stem.rsplit("_", 1)[-1] for f in web_files}) >= 2, web_files  # two workers


def test_a_role_with_nothing_to_run_is_refused(settings):
    from django.core.management import CommandError, call_command

    settings.JANUS_BINARY = "/nonexistent/janus"
    with pytest.raises(CommandError, match="nothing to run"):
        call_command("serve", role="media")
