"""The worker killed mid-job (issue 12 §9): the Huey consumer, started as ``tiepdan serve``
starts it, is processing a held hearing's recordings (the combined file: a real ffmpeg encode)
when it is killed with SIGKILL; started again, it runs the job again and the job completes
exactly once — one combined file, a manifest that verifies with the deployment's key."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tiepdan.core.jobs import PREFIX

from .processes import REPO, app_env, children, run_python

pytestmark = [pytest.mark.faults, pytest.mark.skipif(
    __import__("shutil").which("ffmpeg") is None, reason="ffmpeg missing")]

SECONDS = 6  # of hearing: what the combined file encodes

SETUP = f"""
import datetime as dt
import django
django.setup()
from django.core.files import File
from django.core.management import call_command
from django.utils import timezone
if {{migrate}}:
    call_command("migrate", verbosity=0)
from pathlib import Path
from tests.factories import CommuneFactory
from tests.media.conftest import RoomCast
from tests.media.test_postprocess import clip
from tiepdan.media import room_service
from tiepdan.media.models import HearingRoom, RecordingFile
from tiepdan.media.tasks import process_recordings

cast = RoomCast(CommuneFactory(ward_code=11629, name="Xã An Lão"))
room, _, _ = room_service.room_record(cast.hearing.pk)
start = timezone.now() - dt.timedelta(minutes=5)
HearingRoom.objects.filter(pk=room.pk).update(
    started_at=start, ended_at=start + dt.timedelta(seconds={SECONDS}), state="ended")
video = clip(Path("{{work}}") / "point.webm", {SECONDS})
for feed, point in ((11, cast.central), (22, cast.department)):
    record = RecordingFile(room=room, bridge_point=point, feed_id=feed, label=point.name,
                           duration_seconds={SECONDS}, has_audio=True,
                           size_bytes=video.stat().st_size)
    with video.open("rb") as handle:
        record.file.save(f"point-{{point.pk}}-feed-{{feed}}-0.webm", File(handle), save=False)
    import hashlib
    record.sha256 = hashlib.sha256(video.read_bytes()).hexdigest()
    record.save()
process_recordings(cast.hearing.pk)  # enqueued: the worker is not running yet
print(cast.hearing.pk)
"""


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tiepdan.cli", "run_huey", "--workers", "2", "--worker-type",
         "thread"], env=env, cwd=REPO, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True)


def _kill(process: subprocess.Popen[bytes]) -> None:
    # The whole process group: the worker and the ffmpeg it started die together, as when
    # the machine or the container goes.
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _rows(db: Path) -> tuple[int, dict | None, str]:
    with sqlite3.connect(db) as conn:
        combined = conn.execute(
            "SELECT count(*) FROM media_recordingfile WHERE is_combined").fetchone()[0]
        manifest, signature = conn.execute(
            "SELECT manifest, manifest_signature FROM media_hearingroom").fetchone()
    return combined, json.loads(manifest) if manifest else None, signature


def _markers(var: Path) -> list[str]:
    with sqlite3.connect(var / "huey.sqlite3") as conn:
        return [k for (k,) in conn.execute("SELECT key FROM kv") if k.startswith(PREFIX)]


def test_a_worker_killed_mid_job_runs_it_again_once(tmp_path, migrated_sqlite):
    var = tmp_path / "var"
    env = app_env(var, f"sqlite:///{var / 'db.sqlite3'}")
    work = tmp_path / "work"
    work.mkdir()
    run_python(env, SETUP.replace("{work}", str(work)).replace(
        "{migrate}", str(migrated_sqlite is None)))
    log = tmp_path / "worker.log"

    worker = _start_worker(env, log)
    try:
        deadline = time.monotonic() + 120
        while not any("ffmpeg" in cmd for _, cmd in children(worker.pid)):
            assert worker.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the job never started: " + log.read_text()
            time.sleep(0.1)
        killed_at = time.monotonic()
        _kill(worker)
    finally:
        _kill(worker)
    assert _rows(var / "db.sqlite3")[0] == 0, "the job finished before the kill"

    worker = _start_worker(env, log)
    try:
        deadline = time.monotonic() + 120
        while _rows(var / "db.sqlite3")[2] == "":
            assert worker.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, ("the job was not run again: "
                                                 + log.read_text()[-3000:])
            time.sleep(0.3)
        done_at = time.monotonic()
        time.sleep(2)  # a second run, if any, would show up here
    finally:
        _kill(worker)
    print(f"\nworker killed mid-job: the job ran again and completed "
          f"{done_at - killed_at:.1f} s after the kill")

    combined, manifest, signature = _rows(var / "db.sqlite3")
    assert combined == 1
    assert sum(f["combined"] for f in manifest["files"]) == 1 and len(manifest["files"]) == 3
    for entry in manifest["files"]:
        data = (var / "files" / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
    key = serialization.load_pem_private_key(
        (var / "keys" / "recordings-ed25519.pem").read_bytes(), password=None)
    canonical = json.dumps(manifest, ensure_ascii=False, sort_keys=True,
                           separators=(",", ":")).encode()
    key.public_key().verify(base64.b64decode(signature), canonical)  # raises if not
    assert _markers(var) == []
    assert "re-queueing" in log.read_text()
