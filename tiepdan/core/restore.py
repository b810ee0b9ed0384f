"""``tiepdan restore``: a :mod:`tiepdan.core.backup` archive back onto an empty machine.
Everything is checked (passphrase, the manifest's HMAC, every member's SHA-256) before anything
is written."""

from __future__ import annotations

import base64
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from . import backup_db
from .backup import (
    BackupError,
    env_configured,
    extra_key_files,
    extract_checked,
    key_files,
    media_root,
    open_keys,
    read_manifest,
    rec_dir,
    storage_is_local,
    stored_names,
    var_dir,
)


def _has_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def target_problems() -> list[str]:
    """Why this machine is not empty (empty list: it is).  VAR_DIR/secret_key is not counted:
    settings make one at every start when it is missing, and it protects nothing while the
    database is empty."""
    problems = []
    if backup_db.has_tables():
        problems.append("cơ sở dữ liệu đã có bảng / the database has tables")
    for label, root in (("MEDIA_ROOT", media_root()), ("JANUS_REC_DIR", rec_dir())):
        if (label != "MEDIA_ROOT" or storage_is_local()) and _has_files(root):
            problems.append(f"{label} ({root}) có tệp / has files")
    if not storage_is_local() and next(stored_names(), None) is not None:
        problems.append(f"kho S3 {settings.STORAGE_S3_BUCKET} có tệp / the S3 bucket has files")
    for path in [*key_files().values(), *extra_key_files()]:
        if path.exists():
            problems.append(f"đã có khóa / a key exists: {path}")
    return problems


def _check_env_keys(keys: dict[str, str]) -> None:
    """Key material set in this machine's environment must be the backed-up one."""
    if env_configured("SECRET_KEY") and keys.get("secret_key") != settings.SECRET_KEY:
        raise BackupError(
            "SECRET_KEY trong môi trường máy này khác bản sao lưu: bỏ biến đó (tệp khôi phục "
            "sẽ được dùng) hoặc đặt đúng giá trị cũ. / SECRET_KEY in this machine's environment "
            "differs from the backup's: unset it (the restored file is used) or set the old one.")
    if settings.IDENTITY_KEYS and "\n".join(settings.IDENTITY_KEYS) + "\n" != keys.get(
            "identity.key"):
        raise BackupError(
            "TIEPDAN_IDENTITY_KEYS của máy này khác bản sao lưu: bỏ biến đó hoặc đặt đúng các "
            "khóa cũ. / TIEPDAN_IDENTITY_KEYS differs from the backup's: unset it or set the "
            "old keys.")
    if keys.get("identity_digest_key", "") != getattr(settings, "IDENTITY_DIGEST_KEY", ""):
        raise BackupError(
            "TIEPDAN_IDENTITY_DIGEST_KEY của máy này khác bản sao lưu. / "
            "TIEPDAN_IDENTITY_DIGEST_KEY differs from the backup's.")


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".restore-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_keys(keys: dict[str, str]) -> None:
    if not env_configured("SECRET_KEY"):
        _write_secret(var_dir() / "secret_key", keys["secret_key"].encode())
    files = key_files()
    for name, path in files.items():
        if name in keys and not (name == "identity.key" and settings.IDENTITY_KEYS):
            _write_secret(path, keys[name].encode("utf-8"))
    for name, value in keys.items():
        if name.startswith("keys/"):
            _write_secret(var_dir() / "keys" / PurePosixPath(name).name,
                          base64.b64decode(value))


def _move_tree(source: Path, target: Path) -> int:
    count = 0
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.move(path, destination)
            count += 1
    return count


def upload_tree(source: Path) -> int:
    """Put every file under ``source`` into the default storage (the bucket) under the same
    name, replacing what is there: the database refers to these exact names."""
    from django.core.files import File
    from django.core.files.storage import default_storage

    count = 0
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            name = path.relative_to(source).as_posix()
            if default_storage.exists(name):
                default_storage.delete(name)
            with path.open("rb") as handle:
                saved = default_storage.save(name, File(handle))
            if saved != name:
                raise BackupError(f"Không ghi được {name} vào kho lưu trữ. / Could not store "
                                  f"{name} under its own name.")
            count += 1
    return count


@dataclass
class RestoreSummary:
    created_at: str
    database: str
    files: int
    recordings: int
    keys: list[str]


def restore(archive: Path, passphrase: str, *, force: bool = False) -> RestoreSummary:
    """Bring a backup back on this machine: everything is checked before anything is
    written."""
    if not force:
        problems = target_problems()
        if problems:
            raise BackupError(
                "Máy đích không trống, không khôi phục (dùng --force để ghi đè): "
                + "; ".join(problems) + ". / The target is not empty, nothing restored "
                "(use --force to overwrite).")
    try:
        tar = tarfile.open(archive, mode="r:")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Không đọc được {archive}: {exc}. / Cannot read {archive}.") from exc
    with tar:
        manifest = read_manifest(tar)
        keys = open_keys(tar, manifest, passphrase)
        _check_env_keys(keys)
        backup_db.check_compatible(manifest["database"])
        var_dir().mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=var_dir()) as work:
            staging = Path(work)
            extract_checked(tar, manifest, staging)
            backup_db.load(manifest["database"], staging, force=force)
            files = (_move_tree(staging / "files", media_root()) if storage_is_local()
                     else upload_tree(staging / "files"))
            recordings = _move_tree(staging / "recordings", rec_dir())
            _write_keys(keys)
    return RestoreSummary(manifest["created_at"], manifest["database"]["vendor"], files,
                          recordings, sorted(keys))
