"""``tiepdan backup`` / ``tiepdan restore``: a deployment with a sealed denunciation, an audit
trail and a hearing whose recordings (real ffmpeg output) carry a signed manifest is backed up,
then restored by the real command into a fresh directory and a fresh database (of the suite's
engine: SQLite, or PostgreSQL with ``DATABASE_URL``); a fresh process then verifies the audit
chain and the recordings and reveals the sealed identity with the restored keys."""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files import File
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.intake import identity_helpers
from tests.media.conftest import RoomCast
from tests.media.test_postprocess import clip
from tiepdan.core import audit, backup
from tiepdan.intake.identity.reveal import reveal_identity
from tiepdan.media import custody, room_service
from tiepdan.media.janus_config import load_or_create_secrets
from tiepdan.media.models import RecordingFile

pytestmark = [pytest.mark.faults,
              pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg missing")]

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "Sao lưu An Lão 2026!"

VERIFY = r"""
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from tiepdan.core import audit
from tiepdan.core.models import AuditEntry, PersonalDataAccess
from tiepdan.intake.identity.reveal import reveal_identity
from tiepdan.intake.models import Matter
from tiepdan.intake.digests import citizen_digests
from tiepdan.media import custody
from tiepdan.media.models import HearingRoom

args = json.loads(sys.argv[1])
call_command("audit", "verify")
matter = Matter.objects.get(tracking_code=args["code"])
chair = get_user_model().objects.get(username=args["chair"])
backed_up = AuditEntry.objects.get(object_type="test", object_id="backup")
identity = reveal_identity(matter, actor=chair, reason="Kiểm tra khôi phục")
reveals = list(PersonalDataAccess.objects.filter(
    type="intake.identity.revealed", object_id=str(matter.pk)).order_by("id")
    .values_list("reason", flat=True))
audit.record("core.step.retried", actor=chair, commune=matter.commune, object_type="test",
             object_id="restored", data={"label": "Một mục sau khôi phục"})
after = AuditEntry.objects.get(object_type="test", object_id="restored")
call_command("audit", "verify")  # the entry just appended extends the restored chain
print(json.dumps({
    "backed_up": backed_up.data["label"], "reveals": reveals,
    "extends": [after.chain == backed_up.chain, after.prev_hash != "0" * 64,
                after.seq > backed_up.seq],
    "recordings": {str(r.hearing_id): custody.verify(r.hearing_id)
                   for r in HearingRoom.objects.all()},
    "name": identity.full_name, "id_number": identity.id_number,
    "phone_digest_matches": citizen_digests("", identity_helpers_phone)[1] == matter.phone_digest,
}))
"""


def _clean_env(var_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SECRET_KEY", "TIEPDAN_", "MEDIA_ROOT", "JANUS_", "DATABASE_URL",
                                "RECORDINGS_"))}
    env.update(TIEPDAN_VAR_DIR=str(var_dir), DATABASE_URL=database_url,
               DJANGO_SETTINGS_MODULE="tiepdan.settings",
               PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]))
    return env


def _tiepdan(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tiepdan.cli", *argv], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture
def fresh_database():
    """A database URL nobody uses: a new file for SQLite, a new database on the suite's
    PostgreSQL server (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield lambda path: f"sqlite:///{path / 'db.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"tiepdan_restore_{secrets.token_hex(4)}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432,
              "user": db["USER"] or "postgres", "password": db["PASSWORD"] or None,
              "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield lambda path: f"postgres://{credentials}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def deployment(settings, tmp_path, transactional_db):
    """Everything a deployment keeps, made through the services, under ``tmp_path/source``."""
    source = tmp_path / "source"
    settings.VAR_DIR = source
    settings.MEDIA_ROOT = str(source / "files")
    settings.JANUS_REC_DIR = source / "recordings" / "raw"
    settings.IDENTITY_KEY_FILE = source / "keys" / "identity.key"
    settings.RECORDINGS_SIGNING_KEY_FILE = ""  # the default: VAR_DIR/keys/recordings-ed25519.pem
    load_or_create_secrets(source / "janus" / "secrets.json")

    cast = RoomCast(_commune())
    matter = identity_helpers.register(cast.hearing.commune)
    assert matter.identity_sealed
    audit.record("core.step.retried", actor=cast.chair, commune=cast.hearing.commune,
                 object_type="test", object_id="backup",
                 data={"label": "Một mục nhật ký trước sao lưu"})
    reveal_identity(matter, actor=cast.chair, reason="Giải quyết tố cáo")

    room, _, _ = room_service.room_record(cast.hearing.pk)
    video = clip(tmp_path / "point.webm", 1.0)
    for feed, point in ((11, cast.central), (22, cast.department)):
        record = RecordingFile(room=room, bridge_point=point, feed_id=feed, label=point.name,
                               duration_seconds=1.0, has_audio=True)
        record.size_bytes = video.stat().st_size
        with video.open("rb") as handle:
            record.file.save(f"point-{point.pk}-feed-{feed}-0.webm", File(handle), save=False)
        record.sha256 = custody._sha256(record.file.name)
        record.save()
    custody.sign(room)
    raw = Path(settings.JANUS_REC_DIR)
    raw.mkdir(parents=True)
    (raw / f"videoroom-{room.janus_room_id}-user-1-1700000000000000-video-1.mjr").write_bytes(
        b"MJR00002" + os.urandom(4096))
    assert custody.verify(cast.hearing.pk) == []
    return {"code": matter.tracking_code, "chair": cast.chair.get_username(),
            "hearing": cast.hearing.pk, "source": source}


def _commune():
    from tests.factories import CommuneFactory

    return CommuneFactory(ward_code=11629, name="Xã An Lão")


@pytest.fixture
def archive(deployment, tmp_path) -> Path:
    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "backup.tar"
    call_command("backup", output=str(out), passphrase_file=str(passphrase_file))
    return out


def test_it_restores_everything_on_an_empty_machine_and_only_with_the_passphrase(
        archive, deployment, fresh_database, tmp_path):
    target = tmp_path / "target"
    env = _clean_env(target, fresh_database(tmp_path))
    # A new machine is first installed (`tiepdan init`: its directory and a key of its own,
    # which the restore replaces with the backed-up one).
    assert _tiepdan(env, "init").returncode == 0

    env["TIEPDAN_BACKUP_PASSPHRASE"] = "not the passphrase"
    refused = _tiepdan(env, "restore", str(archive))
    assert refused.returncode != 0
    assert "Sai mật khẩu sao lưu" in refused.stderr
    assert "Wrong backup passphrase" in refused.stderr
    leftovers = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    # Only what any start of the product makes by itself: an empty database and queue.
    assert set(leftovers) <= {"secret_key", "db.sqlite3", "huey.sqlite3"}, leftovers
    if "db.sqlite3" in leftovers:
        with sqlite3.connect(target / "db.sqlite3") as db:
            assert db.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)

    env["TIEPDAN_BACKUP_PASSPHRASE"] = PASSPHRASE
    done = _tiepdan(env, "restore", str(archive))
    assert done.returncode == 0, done.stderr

    # The same files, byte for byte, in the new places.
    for sub in ("files", "recordings/raw"):
        before = {p.relative_to(deployment["source"] / sub): p.read_bytes()
                  for p in (deployment["source"] / sub).rglob("*") if p.is_file()}
        after = {p.relative_to(target / sub): p.read_bytes()
                 for p in (target / sub).rglob("*") if p.is_file()}
        assert before and after == before, sub
    for key in ("keys/identity.key", "keys/recordings-ed25519.pem", "janus/secrets.json"):
        assert (target / key).read_bytes() == (deployment["source"] / key).read_bytes(), key
        assert (target / key).stat().st_mode & 0o777 == 0o600

    # A fresh process on the restored machine: chain, recordings, the sealed identity.
    script = VERIFY.replace("identity_helpers_phone", repr(identity_helpers.PHONE))
    checked = subprocess.run(
        [sys.executable, "-c", script, json.dumps(deployment, default=str)], env=env, cwd=REPO,
        capture_output=True, text=True, timeout=180, check=False)
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    assert result["recordings"] == {str(deployment["hearing"]): []}
    assert (result["name"], result["id_number"]) == (identity_helpers.NAME,
                                                     identity_helpers.ID_NUMBER)
    assert result["phone_digest_matches"]
    assert result["backed_up"] == "Một mục nhật ký trước sao lưu"
    # The reveal before the backup survived in the access log; the new one was logged after it.
    assert result["reveals"] == ["Giải quyết tố cáo", "Kiểm tra khôi phục"]
    assert result["extends"] == [True, True, True]


def test_it_refuses_what_it_cannot_trust(archive, deployment, tmp_path, monkeypatch):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[-1] == "manifest.json"
    assert {m["name"] for m in manifest["members"]} == set(names) - {"manifest.json"}
    assert all(len(m["sha256"]) == 64 for m in manifest["members"])
    assert set(manifest["keys"]["names"]) >= {"secret_key", "identity.key",
                                              "recordings-ed25519.pem", "janus-secrets.json"}
    # The keys are in the archive only encrypted.
    identity_key = (deployment["source"] / "keys" / "identity.key").read_bytes().strip()
    assert identity_key not in archive.read_bytes()
    assert b"PRIVATE KEY" not in archive.read_bytes()
    assert archive.stat().st_mode & 0o777 == 0o600
    _check_all(archive, tmp_path / "staging-ok")  # the untouched archive passes

    # This very process is not an empty machine: its database, files and keys are here.
    monkeypatch.setenv("TIEPDAN_BACKUP_PASSPHRASE", PASSPHRASE)
    with pytest.raises(CommandError, match="Máy đích không trống.*The target is not empty"):
        call_command("restore", str(archive))

    member = next(n for n in names if n.startswith("files/"))
    altered = _rewrite(archive, tmp_path / "altered.tar",
                       lambda n, data: data + b"%" if n == member else data)
    with pytest.raises(backup.BackupError, match="SHA-256"):
        _check_all(altered, tmp_path / "staging-altered")

    def edit(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        edited = json.loads(data)
        edited["members"][1]["sha256"] = "0" * 64
        return json.dumps(edited).encode()

    with pytest.raises(backup.BackupError, match="manifest.*altered"):
        _check_all(_rewrite(archive, tmp_path / "edited.tar", edit), tmp_path / "staging-ed")


def _rewrite(archive: Path, out: Path, change) -> Path:
    """A copy of ``archive`` with ``change(name, data) -> data`` applied to every member."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:") as target:
        for info in source:
            data = change(info.name, source.extractfile(info).read())
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return out


def _check_all(path: Path, staging: Path) -> None:
    with tarfile.open(path) as tar:
        manifest = backup.read_manifest(tar)
        backup.open_keys(tar, manifest, PASSPHRASE)
        backup.extract_checked(tar, manifest, staging)


def test_a_short_passphrase_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TIEPDAN_BACKUP_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="ít nhất 12 ký tự"):
        call_command("backup", output=str(tmp_path / "b.tar"))
    assert not (tmp_path / "b.tar").exists()
