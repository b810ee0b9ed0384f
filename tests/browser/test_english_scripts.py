"""The room and readiness scripts speak the reader's language (Django's JavaScript catalogue at
/i18n/js/, loaded before them under the Content-Security-Policy), and a failure is explained in
plain words, never by the browser's error name.

The live server here speaks HTTP only, so the WebSocket never opens: exactly the "server
unreachable" case a citizen meets on a bad connection.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.media.conftest import RoomCast
from tiepdan.hearings.join_tokens import join_token

SERVER_ADVICE_EN = "The server could not be reached. Check your network (Wi-Fi or 4G)"
SERVER_ADVICE_VI = "Không kết nối được với máy chủ. Hãy kiểm tra mạng (Wi-Fi hoặc 4G)"


@pytest.fixture
def hearing(transactional_db) -> RoomCast:
    from tests.factories import CommuneFactory

    return RoomCast(CommuneFactory(ward_code=11629, name="Xã An Lão"))


def watch_errors(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Content-Security-Policy" in m.text
            else None
        ),
    )
    return problems


def in_english(page: Page) -> None:
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_readiness_page_explains_an_unreachable_server_in_english(
    page: Page, live_server, hearing
):
    problems = watch_errors(page)
    page.goto(
        f"{live_server.url}/phong-tiep/kiem-tra/{join_token(hearing.official)}/", timeout=60_000
    )
    in_english(page)
    page.get_by_role("button", name="Start the test").click()
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(SERVER_ADVICE_EN)
    assert "Error" not in error.inner_text()  # no "NotFoundError", no "Error: timeout"
    # The camera and microphone advice, by the browser's error name, in English.
    advice = page.evaluate("""() => ["NotAllowedError", "NotFoundError", "NotReadableError",
        "OverconstrainedError", "SomethingNew"]
        .map((name) => window.tiepdanAdvice.device({name}))""")
    assert advice[0].startswith("The browser is not allowed to use the camera and microphone")
    assert advice[1].startswith("No camera or microphone was found")
    assert advice[2].startswith("The camera or microphone is being used by another application")
    assert advice[3].startswith("The camera does not support the required resolution")
    assert advice[4].startswith("The camera or microphone could not be opened")
    assert not [a for a in advice if "Error" in a]
    assert problems == []


def test_the_readiness_page_stays_vietnamese_by_default(page: Page, live_server, hearing):
    page.goto(
        f"{live_server.url}/phong-tiep/kiem-tra/{join_token(hearing.official)}/", timeout=60_000
    )
    page.get_by_role("button", name="Bắt đầu kiểm tra").click()
    expect(page.locator("#error")).to_contain_text(SERVER_ADVICE_VI)


def test_the_room_page_shows_its_scripts_strings_in_english(page: Page, live_server, hearing):
    problems = watch_errors(page)
    page.goto(f"{live_server.url}/phong-tiep/vao/{join_token(hearing.citizen)}/", timeout=60_000)
    in_english(page)
    expect(page.locator("#room-status")).to_have_text("The connection to the server was lost.")
    # The catalogue the page loaded is the English one, from the product itself.
    catalogue = page.evaluate("""() => [...document.scripts].map((s) => s.src)
        .find((src) => src.includes("/i18n/js/"))""")
    assert re.search(r"/i18n/js/\?lang=en$", catalogue)
    words = page.evaluate("""() => [gettext("Cho phát biểu"), gettext("Chưa ai được phát biểu."),
        interpolate(gettext("Đang phát biểu: %(name)s"), {name: "Trần Thị Bình"}, true)]""")
    assert words == ["Give the floor", "Nobody has the floor yet.", "Speaking: Trần Thị Bình"]
    assert problems == []
