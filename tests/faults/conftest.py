"""Fixtures of the fault tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.database_copy import copy_sqlite


@pytest.fixture
def migrated_sqlite(transactional_db, tmp_path: Path) -> Path | None:
    """A migrated SQLite database file for a subprocess (tests.database_copy); None when the
    suite runs on PostgreSQL (the subprocess then migrates)."""
    return copy_sqlite(tmp_path / "var" / "db.sqlite3")
