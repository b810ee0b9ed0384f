"""Fixtures of the fault tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.db import connection


@pytest.fixture
def migrated_sqlite(transactional_db, tmp_path: Path) -> Path | None:
    """A migrated SQLite database file for a subprocess, copied from the suite's own test
    database with SQLite's backup API (saves a `migrate` of a minute on a busy machine); None
    when the suite runs on PostgreSQL (the subprocess then migrates)."""
    if connection.vendor != "sqlite":
        return None
    path = tmp_path / "var" / "db.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return path
