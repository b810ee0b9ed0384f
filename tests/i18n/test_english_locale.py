"""English, the second locale: the real language switcher turns the public pages and the staff
sign-in page into English; Vietnamese stays the default; the catalogue is complete and compiled.

The catalogue is ``tiepdan/locale/en/LC_MESSAGES/django.po`` (msgids are the Vietnamese source
strings).  After adding or changing a translatable string, from ``tiepdan/``::

    ../.venv/bin/python -m tiepdan.cli makemessages -l en --no-location --ignore "*/tests/*"
    # translate the new entries, drop "#, fuzzy" once checked, then
    ../.venv/bin/python -m tiepdan.cli compilemessages
"""

from __future__ import annotations

import ast
import gettext
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

import tiepdan
from tiepdan.ops import installation

LOCALE_DIR = Path(tiepdan.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(autouse=True)
def _restore_active_language():
    """The locale middleware activates the request's language in this thread; do not let
    English leak into other tests."""
    previous = translation.get_language()
    yield
    translation.activate(previous or settings.LANGUAGE_CODE)


def visible_text(response) -> str:
    """The page's text as a reader sees it: no tags, scripts or styles; entities decoded."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def switch_to(client: Client, language: str, next_url: str = "/") -> None:
    """Choose ``language`` with the header's switcher form (POST /i18n/setlang/)."""
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


# -- Pages --------------------------------------------------------------------------------------

#: url -> (English strings that must appear, Vietnamese strings that must not).
PAGES = {
    "/": (
        [
            "Register for citizen reception",
            "Online citizen reception",
            "Look up a case",
            "Staff sign-in",
            "Check case status",
            "Skip to main content",
            "Citizens can register complaints, denunciations, recommendations and feedback",
            "Personal data is protected under the Personal Data Protection Law 91/2025/QH15",
        ],
        [
            "Đăng ký tiếp công dân",
            "Tra cứu hồ sơ",
            "Cán bộ đăng nhập",
            "Tra cứu trạng thái hồ sơ",
            "Bỏ qua, đến nội dung chính",
            "Công dân đăng ký khiếu nại",
            "Dữ liệu cá nhân được bảo vệ",
        ],
    ),
    "/xa/11629/": (
        [
            "Citizen reception — ",
            "Submit a petition, request an online reception",
            "Citizen reception schedule",
            "at least 05 working days before the reception day",
            "Check case status",
        ],
        [
            "Tiếp công dân — ",
            "Đăng ký gửi đơn, đề nghị tiếp trực tuyến",
            "Lịch tiếp công dân",
            "Tra cứu trạng thái hồ sơ",
        ],
    ),
    "/xa/11629/dang-ky/": (
        [
            "Submit a petition and request a citizen reception",
            "Fields marked with * are required.",
            "1. Petitioner's details",
            "Full name",
            "Type of identity document",
            "Citizen identity card (CCCD)",
            "Date of birth",
            "Mobile phone number",
            "Petition type",
            "Complaint",
            "Denunciation",
            "Recommendation",
            "Feedback",
            "Petition by several people (group of many people)",
            "Citizen Reception Law, Article 29",
            "I request an online citizen reception",
            "At the bridge point at the Commune People's Committee headquarters",
            "6. Consent to personal data processing",
            "Submit petition",
        ],
        [
            "Đăng ký gửi đơn và đề nghị tiếp công dân",
            "Các mục có dấu * là bắt buộc.",
            "Họ và tên",
            "Loại đơn",
            "Khiếu nại",
            "Tố cáo",
            "Kiến nghị",
            "Phản ánh",
            "đoàn đông người",
            "Luật Tiếp công dân Điều 29",
            "Tại điểm cầu",
            "Gửi đơn",
        ],
    ),
    "/tra-cuu/": (
        [
            "Check case status",
            "Tracking code",
            "Phone number given when submitting the petition",
            "Look up",
        ],
        ["Tra cứu trạng thái hồ sơ", "Mã hồ sơ", "Số điện thoại đã khai khi gửi đơn", "Tra cứu"],
    ),
    "/can-bo/dang-nhap/": (
        [
            "Staff sign-in",
            "Tiếp Dân · Staff",
            "Username",
            "Password",
            "Continue",
            "the 6-digit code from the authenticator app on your phone",
        ],
        ["Đăng nhập cán bộ", "Tên đăng nhập", "Mật khẩu", "Tiếp tục", "ứng dụng xác thực"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(PAGES))
def test_pages_are_in_english_after_switching(client, an_lao, url):
    english, vietnamese = PAGES[url]
    switch_to(client, "en")
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    text = visible_text(response)
    missing = [s for s in english if s not in text]
    assert not missing, f"English text missing from {url}: {missing}"
    left = [s for s in vietnamese if s in text]
    assert not left, f"Vietnamese text still on {url}: {left}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(PAGES))
def test_vietnamese_is_the_default(client, an_lao, url):
    english, vietnamese = PAGES[url]
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    text = visible_text(response)
    missing = [s for s in vietnamese if s not in text]
    assert not missing, f"Vietnamese text missing from {url}: {missing}"
    assert not [s for s in english if s in text]


@pytest.mark.django_db
def test_the_switcher_goes_back_to_vietnamese(client, an_lao):
    switch_to(client, "en")
    assert "Register for citizen reception" in visible_text(client.get("/"))
    switch_to(client, "vi")
    text = visible_text(client.get("/"))
    assert "Đăng ký tiếp công dân" in text
    assert "Register for citizen reception" not in text


def switcher(page: str) -> str:
    return re.search(r'<div class="lang-switch".*?</div>', page, re.S).group(0)


@pytest.mark.django_db
def test_the_switcher_names_each_language_in_itself(client):
    found = switcher(client.get("/tra-cuu/").content.decode())
    assert '<span class="lang-current" lang="vi" aria-current="true">Tiếng Việt</span>' in found
    assert '<button type="submit" class="lang-button" lang="en">English</button>' in found
    assert "Tiếng Anh" not in found
    switch_to(client, "en", "/tra-cuu/")
    found = switcher(client.get("/tra-cuu/").content.decode())
    assert '<span class="lang-current" lang="en" aria-current="true">English</span>' in found
    assert '<button type="submit" class="lang-button" lang="vi">Tiếng Việt</button>' in found


@pytest.mark.django_db
def test_the_switcher_is_a_button_that_keeps_the_current_page(client):
    """No select that submits on change: one small form per other language, with its button,
    posting to set_language with the page the reader is on."""
    found = switcher(client.get("/tra-cuu/?code=X").content.decode())
    assert "<select" not in found
    assert '<form action="/i18n/setlang/" method="post"' in found
    assert '<input name="next" type="hidden" value="/tra-cuu/?code=X">' in found
    assert 'name="csrfmiddlewaretoken"' in found


@pytest.mark.django_db
def test_form_errors_are_in_english(client, an_lao):
    switch_to(client, "en")
    response = client.post(
        "/xa/11629/dang-ky/", {"kind": "khieu_nai", "is_group": "on", "group_size": "3"}
    )
    assert response.status_code == 422
    text = visible_text(response)
    for message in (
        "The petition could not be submitted. Please correct the following:",
        "Please fill in this field.",
        "A complaint must state the decision or act complained about.",
        "A group of many people must have at least 5 people.",
        "You must consent to the processing of personal data to submit the petition.",
    ):
        assert message in text
    for message in (
        "Vui lòng điền thông tin này.",
        "Đơn chưa gửi được",
        "Cần đồng ý cho xử lý dữ liệu cá nhân",
    ):
        assert message not in text


@pytest.mark.django_db
def test_receipt_and_status_lookup_are_in_english(client, an_lao, form_data):
    switch_to(client, "en")
    response = client.post(
        "/xa/11629/dang-ky/",
        {**form_data, "is_group": "on", "group_size": "7", "rep_1_name": "Lê Văn Đại Diện"},
    )
    assert response.status_code == 302, visible_text(response)
    text = visible_text(client.get(response["Location"]))
    missing = [
        phrase
        for phrase in (
            "Your petition has been received.",
            "Your tracking code is:",
            "RECEIPT FOR INFORMATION AND DOCUMENTS",
            "(Form 02/TCD)",
            "Petition type: Recommendation",
            "7 people",
            "Electronic copy",
            "PROVIDER",
            "RECIPIENT",
        )
        if phrase not in text
    ]
    assert not missing, f"{missing} not in: {text}"
    assert "Đơn của bạn đã được tiếp nhận." not in text
    assert "GIẤY BIÊN NHẬN" not in text

    code = re.search(r"Your tracking code is: (\S+)", text).group(1)
    lookup = client.post("/tra-cuu/", {"code": code, "phone": form_data["phone"]})
    text = visible_text(lookup)
    assert f"Case {code}" in text, text
    assert "The petition has been received and is waiting to be reviewed" in text, text
    missing = visible_text(client.post("/tra-cuu/", {"code": "KHONG-CO", "phone": "0912000101"}))
    assert "No case was found with this tracking code and phone number." in missing


# -- Catalogue ----------------------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """A small PO reader: each entry's flags and its msgctxt/msgid/msgid_plural/msgstr[...]
    fields (decoded).  Obsolete (``#~``) entries are skipped."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#") for line in lines):
            continue
        entry: dict = {"flags": set(), "fields": {}}
        field = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["fields"][field] += ast.literal_eval(line)
            else:
                field, value = line.split(" ", 1)
                entry["fields"][field] = ast.literal_eval(value)
        entries.append(entry)
    return entries


def translations_of(entry: dict) -> list[str]:
    fields = entry["fields"]
    return [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]


def test_the_catalogue_exists_where_django_looks_for_it():
    assert Path(settings.LOCALE_PATHS[0]).resolve() == LOCALE_DIR.parent.parent
    assert PO_FILE.is_file()
    assert MO_FILE.is_file(), "run compilemessages"


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(PO_FILE)
    header, messages = entries[0], entries[1:]
    assert header["fields"]["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["fields"]["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["fields"]["msgstr"]
    assert len(messages) > 300
    fuzzy = [e["fields"]["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    untranslated = [
        e["fields"]["msgid"] for e in messages if not all(s.strip() for s in translations_of(e))
    ]
    assert not untranslated, f"untranslated entries: {untranslated}"
    plurals = [e for e in messages if "msgid_plural" in e["fields"]]
    assert plurals and all(len(translations_of(e)) == 2 for e in plurals)


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in read_po(PO_FILE)[1:]:
        wanted = set(PLACEHOLDER.findall(entry["fields"]["msgid"]))
        for translated in translations_of(entry):
            if set(PLACEHOLDER.findall(translated)) != wanted:
                wrong.append((entry["fields"]["msgid"], translated))
    assert not wrong


def test_the_compiled_catalogue_matches_the_po_file():
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in read_po(PO_FILE)[1:]:
        fields = entry["fields"]
        msgid = fields["msgid"]
        if "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        if "msgid_plural" in fields:
            for n, translated in enumerate(translations_of(entry)):
                if compiled.get((msgid, n)) != translated:
                    stale.append(msgid)
        elif compiled.get(msgid) != fields["msgstr"]:
            stale.append(msgid)
    assert not stale, f"django.mo is out of date (run compilemessages) for: {stale}"


def test_msgfmt_accepts_the_catalogue():
    # msgfmt comes from Debian's gettext package (scripts/ensure-debian-packages).
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt not installed (Debian package gettext)")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "translated message" in report
    assert "untranslated" not in report
    assert "fuzzy" not in report


def test_every_translatable_string_of_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings of the code now (Django's makemessages, on a copy of the package's
    sources, into an empty catalogue) and check that none is missing from the real one: a
    string added without its translation fails here, not in front of an English reader."""
    package = Path(tiepdan.__file__).resolve().parent
    copy = tmp_path / "src" / "tiepdan"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "locale"))
    locale = tmp_path / "extracted"
    (locale / "en" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "src" / "extract_settings.py").write_text(
        f"from tiepdan.settings import *  # noqa\nLOCALE_PATHS = [{str(locale)!r}]\n"
    )
    # The copy is an installation of its own (`tiepdan init`: data directory, secret key).
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "extract_settings",
               "PYTHONPATH": str(tmp_path / "src"), "TIEPDAN_VAR_DIR": str(tmp_path / "var")}
    installation.prepare(environ)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--ignore",
            "*/tests/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env=environ,
    )
    extracted = {e["fields"]["msgid"] for e in read_po(locale / "en/LC_MESSAGES/django.po")}
    assert len(extracted) > 300  # the extraction really ran over the code
    known = {e["fields"]["msgid"] for e in read_po(PO_FILE)}
    missing = sorted(extracted - known)
    assert not missing, f"strings missing from the English catalogue: {missing}"
