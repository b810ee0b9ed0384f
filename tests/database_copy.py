"""The test database handed to a subprocess (a server, a worker, a command) without a
``migrate`` there, which takes a minute on a busy machine.

On SQLite the suite's own database (in memory) is copied into a file with SQLite's backup API;
on PostgreSQL the subprocess uses the test database itself (a transactional test commits its
rows)."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from typing import Any

from django.db import connection

from tests.conftest import restore_seeded_data

_AUDIT_TRIGGERS = importlib.import_module("tiepdan.core.migrations.0007_typed_audit_chains")


def copy_sqlite(path: Path) -> Path | None:
    """The test database copied to ``path``, with the audit trail's triggers in place as
    ``migrate`` leaves them (the suite lifts them around its flushes); None when the suite does
    not run on SQLite."""
    if connection.vendor != "sqlite":
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        for statement in _AUDIT_TRIGGERS.SQLITE_UNDO + _AUDIT_TRIGGERS.SQLITE:
            target.execute(statement)
        target.commit()
    finally:
        target.close()
    return path


def copy_for_module(django_db_blocker: Any, path: Path) -> Path | None:
    """``copy_sqlite`` for a module-scoped fixture, outside any test: the seeded reference data
    (which a transactional test's flush may have taken) is put back first."""
    with django_db_blocker.unblock():
        restore_seeded_data()
        return copy_sqlite(path)


def database_url(folder: Path) -> str:
    """A database URL for a subprocess that sees the test's data (a copy in ``folder`` on
    SQLite)."""
    copied = copy_sqlite(folder / "db.sqlite3")
    if copied is not None:
        return f"sqlite:///{copied}"
    settings_dict = connection.settings_dict
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
