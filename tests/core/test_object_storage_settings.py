"""``STORAGE_S3_*`` settings: local files unless a bucket is named; with one, a private S3
storage that never hands out signed URLs; inconsistent values fail at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiepdan.ops import installation

REPO = Path(__file__).resolve().parents[2]
SHOW = ("import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))")


def _settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STORAGE_S3_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="tiepdan.settings", TIEPDAN_VAR_DIR=str(tmp_path),
                 PYTHONPATH=os.pathsep.join([str(REPO), clean.get("PYTHONPATH", "")]))
    installation.prepare(clean)
    return subprocess.run([sys.executable, "-c", SHOW], env=clean, cwd=REPO, timeout=60,
                          capture_output=True, text=True, check=False)


def test_it_keeps_local_files_without_a_bucket(tmp_path):
    done = _settings(tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_selects_private_s3_storage_with_secrets_from_files(tmp_path):
    secret = tmp_path / "s3_secret"
    secret.write_text("s3cr3t\n")
    done = _settings(tmp_path, STORAGE_S3_BUCKET="tiepdan",
                     STORAGE_S3_ENDPOINT_URL="http://s3.internal:8333",
                     STORAGE_S3_ACCESS_KEY_ID="key", STORAGE_S3_SECRET_ACCESS_KEY_FILE=str(secret))
    assert done.returncode == 0, done.stderr
    storage = json.loads(done.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("tiepdan",
                                                                 "http://s3.internal:8333")
    assert (options["access_key"], options["secret_key"]) == ("key", "s3cr3t")
    assert options["default_acl"] == "private" and options["querystring_auth"] is False
    assert options["addressing_style"] == "path" and options["use_ssl"] is False


@pytest.mark.parametrize(("env", "message"), [
    ({"STORAGE_S3_ACCESS_KEY_ID": "key"}, "must be set together"),
    ({"STORAGE_S3_ADDRESSING_STYLE": "sideways"}, "expected path, virtual or auto"),
], ids=["key-without-secret", "unknown-addressing-style"])
def test_inconsistent_settings_fail_at_start(tmp_path, env, message):
    done = _settings(tmp_path, STORAGE_S3_BUCKET="tiepdan", **env)
    assert done.returncode != 0 and message in done.stderr
