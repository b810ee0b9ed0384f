"""PostgreSQL connections come from psycopg's pool sized from the settings; persistent
connections (DB_CONN_MAX_AGE), which leak under ASGI, are refused with it."""

import os
import subprocess
import sys

import pytest

SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['OPTIONS'].get('pool'))"
)


def _settings(**env):
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiepdan.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/tiepdan_security", **env}
    return subprocess.run([sys.executable, "-c", SETTINGS_PROBE], env=full, capture_output=True,
                          text=True, timeout=60, check=False)


def test_postgresql_uses_a_pool_sized_from_the_settings():
    result = _settings(DB_POOL_MIN="1", DB_POOL_MAX="4")
    assert result.returncode == 0, result.stderr
    assert "'min_size': 1" in result.stdout and "'max_size': 4" in result.stdout


def test_persistent_connections_are_refused_with_the_pool():
    result = _settings(DB_CONN_MAX_AGE="60")
    assert result.returncode != 0
    assert "DB_CONN_MAX_AGE cannot be combined with the connection pool" in result.stderr


def test_connections_are_returned_to_the_pool(transactional_db, client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's (DATABASE_URL)")
    for _ in range(30):
        assert client.get("/api/v1/communes").status_code == 200
    stats = connection.pool.get_stats()
    assert stats["pool_size"] <= connection.pool.max_size
