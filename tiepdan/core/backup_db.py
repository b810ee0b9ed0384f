"""The database part of a backup: SQLite through its online backup API, PostgreSQL through
``pg_dump``/``pg_restore`` of the server's major version (Debian's postgresql-client puts each
major version in ``/usr/lib/postgresql/<major>/bin``)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"


@dataclass
class Dump:
    member: str
    path: Path
    describe: dict[str, Any]


class BackupError(Exception):
    """A refusal with a message for the operator (Vietnamese / English)."""


def _error(message: str) -> Exception:
    return BackupError(message)


def vendor() -> str:
    return connection.vendor


def has_tables() -> bool:
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


# -- PostgreSQL ---------------------------------------------------------------------------------

def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")),
                       ("PGUSER", db.get("USER")), ("PGPASSWORD", db.get("PASSWORD")),
                       ("PGDATABASE", db.get("NAME"))):
        if value:
            env[key] = str(value)
    return env


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")  # e.g. 170004 for 17.4
        return int(cursor.fetchone()[0]) // 10000


def pg_tool(name: str, major: int) -> str:
    """The ``name`` binary of PostgreSQL ``major`` (an older pg_dump refuses a newer server)."""
    candidates = [f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name) or ""]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            version = subprocess.run([candidate, "--version"], capture_output=True, text=True,  # noqa: S603
                                     check=False).stdout
            found = re.search(r"(\d+)(?:\.\d+)?", version)
            if found and int(found.group(1)) >= major:
                return candidate
    raise _error(
        f"Không tìm thấy {name} cho PostgreSQL {major}: cài gói postgresql-client-{major}. / "
        f"No {name} for PostgreSQL {major}: install postgresql-client-{major}.")


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise _error(f"{what} thất bại / failed: {done.stderr.strip()[-2000:]}")


# -- Both ---------------------------------------------------------------------------------------

def dump(work: Path) -> Dump:
    if vendor() == "sqlite":
        path = work / SQLITE_MEMBER
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            # Online backup: a consistent copy while the product keeps writing.
            connection.connection.backup(target)
        finally:
            target.close()
        return Dump(SQLITE_MEMBER, path, {"vendor": "sqlite", "member": SQLITE_MEMBER,
                                          "sqlite_version": sqlite3.sqlite_version})
    if vendor() == "postgresql":
        major = _server_major()
        path = work / PG_MEMBER
        _run([pg_tool("pg_dump", major), "--format=custom", "--file", str(path)], "pg_dump")
        return Dump(PG_MEMBER, path, {"vendor": "postgresql", "member": PG_MEMBER,
                                      "server_major": major})
    raise _error(f"Không hỗ trợ sao lưu CSDL {vendor()}. / Backing up {vendor()} is not "
                 "supported.")


def check_compatible(describe: dict[str, Any]) -> None:
    if describe.get("vendor") != vendor():
        raise _error(
            f"Bản sao lưu chứa CSDL {describe.get('vendor')} nhưng máy này dùng {vendor()}: đặt "
            f"DATABASE_URL cho đúng. / The backup holds a {describe.get('vendor')} database but "
            f"this machine uses {vendor()}: set DATABASE_URL accordingly.")


def load(describe: dict[str, Any], staging: Path, *, force: bool) -> None:
    source = staging / describe["member"]
    if describe["vendor"] == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)  # replaces every page of the target
        finally:
            origin.close()
        return
    major = _server_major()
    argv = [pg_tool("pg_restore", max(major, int(describe.get("server_major", 0)))),
            "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
            "--dbname", str(connection.settings_dict["NAME"])]
    if force:
        argv += ["--clean", "--if-exists"]
    connection.close()  # pg_restore works on its own connection
    _run([*argv, str(source)], "pg_restore")
