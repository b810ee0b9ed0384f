"""The installation step (`tiepdan init`) makes the data directory and key; importing the
settings writes nothing (issue 14: settings without side effects at import)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IMPORT_SETTINGS = "import tiepdan.settings as s; print(s.SECRET_KEY[:6])"


def _env(var: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "TIEPDAN_"))}
    env.update(TIEPDAN_VAR_DIR=str(var), PYTHONPATH=str(REPO), **extra)
    return env


def _run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *argv], env=env, cwd=REPO, capture_output=True,  # noqa: S603
                          text=True, timeout=120, check=False)


def test_importing_the_settings_writes_nothing_and_names_the_missing_step(tmp_path):
    var = tmp_path / "var"
    done = _run(_env(var), "-c", IMPORT_SETTINGS)
    assert done.returncode != 0
    assert "tiepdan init" in done.stderr
    assert not var.exists()


def test_init_makes_the_directory_and_a_private_key_once(tmp_path):
    var = tmp_path / "var"
    env = _env(var)
    first = _run(env, "-m", "tiepdan.cli", "init")
    assert first.returncode == 0, first.stderr
    key = var / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (var / "static").is_dir()
    secret = key.read_text(encoding="utf-8")
    assert len(secret) >= 50

    again = _run(env, "-m", "tiepdan.cli", "init")
    assert again.returncode == 0, again.stderr
    assert key.read_text(encoding="utf-8") == secret  # never replaced: sessions stay valid
    imported = _run(env, "-c", IMPORT_SETTINGS)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == secret[:6]


def test_a_configured_key_is_not_written_to_disk(tmp_path):
    var = tmp_path / "var"
    env = _env(var, SECRET_KEY="configured-" + "k" * 50)
    assert _run(env, "-m", "tiepdan.cli", "init").returncode == 0
    assert not (var / "secret_key").exists()
    imported = _run(env, "-c", IMPORT_SETTINGS)
    assert imported.stdout.strip() == "config"
