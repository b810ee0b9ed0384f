"""Both English catalogues are complete: ``django`` (pages, messages, documents) and
``djangojs`` (the room, readiness and registration scripts, served at ``/i18n/js/``).

A string added without its translation fails here.  To bring the catalogues up to date, from
``tiepdan/``::

    python -m tiepdan.cli makemessages -l en --no-obsolete --no-location \\
        --ignore "*/tests/*" --ignore "static/*"
    python -m tiepdan.cli makemessages -d djangojs -l en --no-obsolete --no-location \\
        --ignore "*.min.js"
    # translate every empty msgstr and every "#, fuzzy" entry (then drop the flag), then
    python -m tiepdan.cli compilemessages
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

import tiepdan
from tiepdan.ops import installation

from .test_english_locale import PLACEHOLDER, read_po, translations_of

PACKAGE = Path(tiepdan.__file__).resolve().parent
LOCALE = PACKAGE / "locale" / "en" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
#: domain -> the makemessages arguments of the docstring.
EXTRACT = {
    "django": ["--ignore", "*/tests/*", "--ignore", "static/*"],
    "djangojs": ["-d", "djangojs", "--ignore", "*.min.js"],
}
PY_FORMAT = re.compile(r"%\(\w+\)[sd]")


def entries(domain: str) -> list[dict]:
    return read_po(LOCALE / f"{domain}.po")[1:]


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_entry_is_untranslated_or_fuzzy(domain):
    messages = entries(domain)
    assert messages
    fuzzy = [e["fields"]["msgid"] for e in messages if "fuzzy" in e["flags"]]
    empty = [
        e["fields"]["msgid"] for e in messages if not all(s.strip() for s in translations_of(e))
    ]
    assert not fuzzy, f"fuzzy in {domain}.po: {fuzzy}"
    assert not empty, f"untranslated in {domain}.po: {empty}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_translation_is_left_in_vietnamese(domain):
    """A msgstr copied from its msgid is not a translation (names of places and laws keep their
    letters inside an English sentence, but a whole message is never left as it was)."""
    copied = [
        e["fields"]["msgid"]
        for e in entries(domain)
        if re.search(r"[ạảãáàầấậẩẫằắặẳẵđềếệểễồốộổỗờớợởỡừứựửữẹẻẽịỉĩọỏụủũỵỷỹ]", e["fields"]["msgid"])
        and e["fields"]["msgid"] in translations_of(e)
    ]
    assert not copied, copied


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_every_placeholder(domain):
    wrong = [
        (e["fields"]["msgid"], t)
        for e in entries(domain)
        for t in translations_of(e)
        if set(PLACEHOLDER.findall(t)) != set(PLACEHOLDER.findall(e["fields"]["msgid"]))
    ]
    assert not wrong


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_up_to_date(domain):
    with (LOCALE / f"{domain}.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in entries(domain):
        fields = entry["fields"]
        key = (f"{fields['msgctxt']}\x04" if "msgctxt" in fields else "") + fields["msgid"]
        if "msgid_plural" in fields:
            stale += [
                key for n, t in enumerate(translations_of(entry)) if compiled.get((key, n)) != t
            ]
        elif compiled.get(key) != fields["msgstr"]:
            stale.append(key)
    assert not stale, f"{domain}.mo is out of date (run compilemessages): {stale}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_msgfmt_checks_the_catalogue(domain):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt not installed (Debian package gettext)")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(LOCALE / f"{domain}.po")],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "untranslated" not in report and "fuzzy" not in report, report


@pytest.mark.parametrize("domain", DOMAINS)
def test_makemessages_finds_nothing_new(domain, tmp_path):
    """Run the docstring's makemessages on a copy of the sources into an empty catalogue: every
    msgid it extracts is in the real catalogue (a new string without translation fails)."""
    copy = tmp_path / "src" / "tiepdan"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    extracted = tmp_path / "extracted"
    (extracted / "en" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "src" / "extract_settings.py").write_text(
        f"from tiepdan.settings import *  # noqa\nLOCALE_PATHS = [{str(extracted)!r}]\n"
    )
    # The copy is an installation of its own (`tiepdan init`: data directory, secret key).
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "extract_settings",
               "PYTHONPATH": str(tmp_path / "src"), "TIEPDAN_VAR_DIR": str(tmp_path / "var")}
    installation.prepare(environ)
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            *EXTRACT[domain],
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env=environ,
    )
    found = {e["fields"]["msgid"] for e in read_po(extracted / f"en/LC_MESSAGES/{domain}.po")[1:]}
    assert len(found) > (300 if domain == "django" else 40)  # the extraction really ran
    known = {e["fields"]["msgid"] for e in entries(domain)}
    assert not sorted(found - known), f"missing from {domain}.po: {sorted(found - known)}"


# -- The JavaScript catalogue as the product serves it ---------------------------------------


@pytest.mark.django_db
def test_the_javascript_catalogue_is_served_in_the_asked_language(client: Client):
    english = client.get("/i18n/js/?lang=en")
    assert english.status_code == 200
    assert english["Content-Type"].startswith("text/javascript")
    assert "max-age=86400" in english["Cache-Control"]
    body = english.content.decode()
    assert '"Cho ph\\u00e1t bi\\u1ec3u": "Give the floor"' in body or "Give the floor" in body
    vietnamese = client.get("/i18n/js/?lang=vi").content.decode()
    assert "Give the floor" not in vietnamese
    assert "django.gettext" in vietnamese  # the functions are there for the source strings


@pytest.mark.django_db
def test_every_page_loads_the_catalogue_of_its_language_before_its_scripts(client: Client):
    page = client.get("/tra-cuu/").content.decode()
    scripts = re.findall(r'<script nonce="[^"]+" src="([^"]+)"', page)
    assert scripts[0] == "/i18n/js/?lang=vi", scripts
    client.post("/i18n/setlang/", {"language": "en", "next": "/tra-cuu/"})
    page = client.get("/tra-cuu/").content.decode()
    assert re.findall(r'<script nonce="[^"]+" src="([^"]+)"', page)[0] == "/i18n/js/?lang=en"
