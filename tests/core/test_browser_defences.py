"""Content-Security-Policy with a nonce per request, no inline script anywhere, HSTS and the
HTTPS redirect from the environment, a clean `check --deploy`, Swagger UI from our own files."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tiepdan
from tiepdan.ops import installation

pytestmark = pytest.mark.django_db

TEMPLATES = Path(tiepdan.__file__).resolve().parent


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_strict_policy_with_a_fresh_nonce(client):
    first, second = client.get("/"), client.get("/")
    policy = _directives(first)
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert any(s.startswith("'nonce-") for s in scripts)
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert _directives(second)["script-src"] != scripts  # a new nonce per request


def test_htmx_may_not_evaluate_code(client):
    html = client.get("/").content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html).group(1)
    assert '"allowEval": false' in config and '"allowScriptTags": false' in config


@pytest.mark.parametrize("path", sorted(str(p.relative_to(TEMPLATES))
                                        for p in TEMPLATES.rglob("templates/**/*.html")
                                        if "/email/" not in str(p)))
def test_no_template_has_inline_script_or_handlers(path):
    text = (TEMPLATES / path).read_text(encoding="utf-8")
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert "javascript:" not in text
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or "nonce" in tag or 'type="application/json"' in tag, tag


def test_hsts_and_https_redirect_follow_the_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the proxy terminates TLS and says so
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_swagger_ui_is_served_from_our_own_static_files(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-" + "x" * 40 + "-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "tiepdan.example.gov.vn",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "TRUSTED_PROXIES": "127.0.0.1",
}


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = {**os.environ, **PRODUCTION, "TIEPDAN_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "tiepdan.cli", "check", "--deploy",
                             "--fail-level", "WARNING"], env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_example_documents_the_production_settings():
    example = (TEMPLATES.parent / ".env.example").read_text(encoding="utf-8")
    for name in PRODUCTION:
        assert f"{name}=" in example, name


def test_a_short_hsts_is_refused(tmp_path):
    env = {**os.environ, "SECURE_HSTS_SECONDS": "3600", "TIEPDAN_VAR_DIR": str(tmp_path)}
    installation.prepare(env)
    result = subprocess.run([sys.executable, "-m", "tiepdan.cli", "check"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr
