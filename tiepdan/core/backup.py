"""One archive of a whole deployment: ``tiepdan backup`` and ``tiepdan restore``.

The archive is a plain tar file holding

* ``database.sqlite3`` (SQLite's online backup API) or ``database.pgdump`` (``pg_dump``'s custom
  format, by the ``pg_dump`` of the server's major version);
* ``files/…``: the private storage (``MEDIA_ROOT``, or the S3 bucket when one is configured:
  attachments, issued documents, processed recordings);
* ``recordings/…``: Janus's raw recordings (``JANUS_REC_DIR``);
* ``keys.enc``: the key material (SECRET_KEY, identity Fernet keys, the recordings' signing key,
  Janus secrets, anything else in ``VAR_DIR/keys``) encrypted with AES-256-GCM under a key derived
  from the operator's passphrase with scrypt;
* ``manifest.json`` (last): format version, creation time, the SHA-256 and size of every member,
  the KDF parameters, and an HMAC-SHA256 of itself under the passphrase-derived key, so neither a
  member nor the manifest can be altered unnoticed.

Core knows nothing of the other apps: every location comes from settings.  Restore checks the
whole archive (passphrase, manifest, every digest) before it writes anything.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings

from . import backup_db
from .backup_db import BackupError

FORMAT = "tiepdan-backup"
VERSION = 1
MANIFEST = "manifest.json"
KEYS_MEMBER = "keys.enc"
MIN_PASSPHRASE = 12
# scrypt cost: about 0.1 s and 32 MiB per derivation (RFC 7914 interactive-use figures).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_KEYS_AAD = b"tiepdan-backup-keys-v1"
_CHUNK = 1 << 20


# -- Where things live --------------------------------------------------------------------------

def var_dir() -> Path:
    return Path(settings.VAR_DIR)


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def storage_is_local() -> bool:
    """Whether the private files are under ``MEDIA_ROOT`` (else in an object-storage bucket)."""
    from django.core.files.storage import default_storage

    try:
        default_storage.path("")
    except NotImplementedError:
        return False
    return True


def stored_names(prefix: str = "") -> Iterator[str]:
    """Every file name in the default storage (a bucket's keys), sorted, recursively."""
    from django.core.files.storage import default_storage

    folders, files = default_storage.listdir(prefix)
    for name in sorted(files):
        yield f"{prefix}{name}"
    for folder in sorted(folders):
        yield from stored_names(f"{prefix}{folder}/")


def rec_dir() -> Path:
    return Path(getattr(settings, "JANUS_REC_DIR", var_dir() / "recordings" / "raw"))


def key_files() -> dict[str, Path]:
    """Key material kept in files, by the name it has in the archive."""
    return {
        "identity.key": Path(settings.IDENTITY_KEY_FILE),
        "recordings-ed25519.pem": Path(getattr(settings, "RECORDINGS_SIGNING_KEY_FILE", "")
                                       or var_dir() / "keys" / "recordings-ed25519.pem"),
        "janus-secrets.json": Path(getattr(settings, "JANUS_DIR", var_dir() / "janus"))
        / "secrets.json",
    }


def extra_key_files() -> Iterator[Path]:
    """Anything else in VAR_DIR/keys (a key a later version adds is kept too)."""
    known = {p.resolve() for p in key_files().values()}
    folder = var_dir() / "keys"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path.resolve() not in known:
                yield path


def env_configured(name: str) -> bool:
    return bool(os.environ.get(name) or os.environ.get(f"{name}_FILE"))


def collect_keys() -> dict[str, str]:
    """The key material in effect, by name (text; binary files are base64)."""
    found: dict[str, str] = {"secret_key": settings.SECRET_KEY}
    if settings.IDENTITY_KEYS:
        found["identity.key"] = "\n".join(settings.IDENTITY_KEYS) + "\n"
    for name, path in key_files().items():
        if name not in found and path.is_file():
            found[name] = path.read_text(encoding="utf-8")
    if getattr(settings, "IDENTITY_DIGEST_KEY", ""):
        found["identity_digest_key"] = settings.IDENTITY_DIGEST_KEY
    for path in extra_key_files():
        found["keys/" + path.name] = base64.b64encode(path.read_bytes()).decode("ascii")
    return found


# -- Passphrase crypto (cryptography's primitives, nothing hand-rolled) -----------------------

@dataclass(frozen=True)
class DerivedKeys:
    encrypt: bytes
    mac: bytes


def derive(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R,
           p: int = SCRYPT_P) -> DerivedKeys:
    raw = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return DerivedKeys(raw[:32], raw[32:])


def _canonical(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _mac(keys: DerivedKeys, body: dict[str, Any]) -> str:
    h = hmac.HMAC(keys.mac, hashes.SHA256())
    h.update(_canonical(body))
    return h.finalize().hex()


def _mac_ok(keys: DerivedKeys, body: dict[str, Any], tag: str) -> bool:
    h = hmac.HMAC(keys.mac, hashes.SHA256())
    h.update(_canonical(body))
    try:
        h.verify(bytes.fromhex(tag))
    except (InvalidSignature, ValueError):
        return False
    return True


# -- Writing ------------------------------------------------------------------------------------

class _Hashing(io.RawIOBase):
    """Reads through ``source`` and hashes what tarfile copies."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source, self.digest = source, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


class _Writer:
    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.members: list[dict[str, Any]] = []

    def add_file(self, name: str, path: Path) -> None:
        info = tarfile.TarInfo(name)
        stat = path.stat()
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        with path.open("rb") as handle:
            reader = _Hashing(handle)
            self.tar.addfile(info, reader)
        self.members.append({"name": name, "size": info.size,
                             "sha256": reader.digest.hexdigest()})

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mode = len(data), 0o600
        info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
        self.tar.addfile(info, io.BytesIO(data))
        self.members.append({"name": name, "size": len(data),
                             "sha256": hashlib.sha256(data).hexdigest()})

    def add_stored(self, prefix: str) -> int:
        """Every file of the default storage (read from the bucket when it is one)."""
        from django.core.files.storage import default_storage

        count = 0
        for name in stored_names():
            info = tarfile.TarInfo(f"{prefix}/{name}")
            info.size, info.mode = default_storage.size(name), 0o600
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            with default_storage.open(name, "rb") as handle:
                reader = _Hashing(handle)
                self.tar.addfile(info, reader)
            self.members.append({"name": info.name, "size": info.size,
                                 "sha256": reader.digest.hexdigest()})
            count += 1
        return count

    def add_tree(self, prefix: str, root: Path, skip: Path | None = None) -> int:
        count = 0
        if not root.is_dir():
            return 0
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                if skip is not None and path.resolve() == skip:
                    continue
                self.add_file(f"{prefix}/{path.relative_to(root).as_posix()}", path)
                count += 1
        return count


@dataclass
class BackupSummary:
    path: Path
    database: str
    files: int
    recordings: int
    keys: list[str]
    size: int


def create(output: Path, passphrase: str) -> BackupSummary:
    """Write the archive to ``output`` (0600; refused if it exists)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"Mật khẩu sao lưu cần ít nhất {MIN_PASSPHRASE} ký tự. / "
            f"The backup passphrase needs at least {MIN_PASSPHRASE} characters.")
    output = output.resolve()
    if output.exists():
        raise BackupError(f"Tệp {output} đã có; chọn tên khác. / {output} exists; choose "
                          "another name.")
    output.parent.mkdir(parents=True, exist_ok=True)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    derived = derive(passphrase, salt)
    keys = collect_keys()
    partial = output.with_name(output.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:",
                                                      format=tarfile.PAX_FORMAT) as tar:
            writer = _Writer(tar)
            with tempfile.TemporaryDirectory(prefix="tiepdan-backup-") as work:
                dump = backup_db.dump(Path(work))
                writer.add_file(dump.member, dump.path)
            files = (writer.add_tree("files", media_root(), skip=output) if storage_is_local()
                     else writer.add_stored("files"))
            recordings = writer.add_tree("recordings", rec_dir(), skip=output)
            sealed = AESGCM(derived.encrypt).encrypt(nonce, _canonical(keys), _KEYS_AAD)
            writer.add_bytes(KEYS_MEMBER, sealed)
            body = {
                "format": FORMAT, "version": VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": dump.describe, "members": writer.members,
                "keys": {"member": KEYS_MEMBER, "cipher": "AES-256-GCM", "kdf": "scrypt",
                         "salt": base64.b64encode(salt).decode(), "n": SCRYPT_N, "r": SCRYPT_R,
                         "p": SCRYPT_P, "nonce": base64.b64encode(nonce).decode(),
                         "names": sorted(keys)},
            }
            tar_info = tarfile.TarInfo(MANIFEST)
            manifest = _canonical({**body, "hmac": _mac(derived, body)})
            tar_info.size, tar_info.mode = len(manifest), 0o600
            tar_info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(tar_info, io.BytesIO(manifest))
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(output, dump.describe["vendor"], files, recordings, sorted(keys),
                         output.stat().st_size)


# -- Reading ------------------------------------------------------------------------------------

def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, ValueError) as exc:
        raise BackupError("Tệp không phải bản sao lưu Tiếp Dân (thiếu manifest.json). / "
                          "Not a Tiếp Dân backup (no manifest.json).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Tệp không phải bản sao lưu Tiếp Dân. / Not a Tiếp Dân backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Phiên bản sao lưu {manifest.get('version')} không được hỗ trợ. / "
                          f"Backup format version {manifest.get('version')} is not supported.")
    return manifest


def open_keys(tar: tarfile.TarFile, manifest: dict[str, Any], passphrase: str
              ) -> dict[str, str]:
    """The key material; refuses a wrong passphrase or an altered manifest."""
    params = manifest["keys"]
    # Bounded before the HMAC can be checked: a forged manifest must not make scrypt eat
    # the machine's memory.
    if not (params.get("n") in {2**k for k in range(14, 21)} and params.get("r") == SCRYPT_R
            and params.get("p") == SCRYPT_P):
        raise BackupError("Tham số khóa của bản sao lưu không hợp lệ. / The backup's key "
                          "parameters are not valid.")
    derived = derive(passphrase, base64.b64decode(params["salt"]), params["n"], params["r"],
                     params["p"])
    handle = tar.extractfile(params["member"])
    sealed = handle.read() if handle else b""
    try:
        plain = AESGCM(derived.encrypt).decrypt(base64.b64decode(params["nonce"]), sealed,
                                                _KEYS_AAD)
    except InvalidTag as exc:
        raise BackupError(
            "Sai mật khẩu sao lưu (hoặc phần khóa đã bị sửa): không khôi phục gì. / "
            "Wrong backup passphrase (or altered key material): nothing was restored.") from exc
    body = {k: v for k, v in manifest.items() if k != "hmac"}
    if not _mac_ok(derived, body, str(manifest.get("hmac", ""))):
        raise BackupError("Manifest của bản sao lưu đã bị sửa: không khôi phục gì. / "
                          "The backup's manifest was altered: nothing was restored.")
    return json.loads(plain)


def extract_checked(tar: tarfile.TarFile, manifest: dict[str, Any], staging: Path) -> None:
    """Extract every listed member into ``staging``, checking its size and SHA-256; refuse
    unlisted, unsafe or non-file members."""
    listed = {m["name"]: m for m in manifest["members"]}
    seen: set[str] = set()
    for info in tar:
        if info.name == MANIFEST:
            continue
        entry = listed.get(info.name)
        if entry is None or not info.isfile() or not _safe_name(info.name):
            raise BackupError(f"Thành phần lạ trong bản sao lưu: {info.name!r}. / "
                              f"Unexpected member in the backup: {info.name!r}.")
        target = staging / info.name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        source = tar.extractfile(info)
        with target.open("wb") as out:
            while source is not None and (chunk := source.read(_CHUNK)):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != entry["sha256"] or info.size != entry["size"]:
            raise BackupError(f"{info.name}: SHA-256 không khớp manifest (tệp hỏng hoặc bị sửa)."
                              f" / {info.name}: SHA-256 does not match the manifest (damaged "
                              "or altered).")
        seen.add(info.name)
    missing = sorted(set(listed) - seen)
    if missing:
        raise BackupError(f"Bản sao lưu thiếu: {', '.join(missing)}. / The backup lacks: "
                          f"{', '.join(missing)}.")
