"""A real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) for tests of what a
person does in the public pages, against pytest-django's ``live_server``.

Never ``playwright install``: the browser comes from the Debian package (``make system-deps``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
# Assertions wait as long as actions do (Playwright's own default for expect() is 5 s, which a
# loaded CI machine exceeded before the readiness page had reported the unreachable server).
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    # Playwright's sync API keeps an asyncio event loop running in this thread from start() to
    # stop(), and Django refuses ORM calls (test fixtures, assertions) while a loop runs in the
    # thread (SynchronousOnlyOperation).  Our ORM calls are ordinary blocking calls made between
    # browser steps, not from coroutines, so the check is lifted for as long as the loop exists.
    # Package scope (not session): the loop and the lifted check end with the browser tests, so
    # the rest of the suite keeps Django's async-safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no session) per test, in Vietnamese."""
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def clock(clock_start: dt.datetime) -> Iterator[time_machine.Coordinates]:
    """Ticking, unlike the other tests' clock: the live server, the sign-in codes and the
    sessions share one moving clock."""
    with time_machine.travel(clock_start, tick=True) as traveller:
        yield traveller


@pytest.fixture
def staff_login(page: Page, live_server):
    """Sign ``user`` in through the real pages in the browser: password, then the TOTP code."""
    from django.urls import reverse

    from tests.factories import STAFF_PASSWORD, device_of, totp_code

    def login(user) -> None:
        page.goto(live_server.url + reverse("core:login"))
        page.get_by_label("Tên đăng nhập").fill(user.get_username())
        page.get_by_label("Mật khẩu").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_label("Mã xác thực (6 chữ số)").fill(totp_code(device_of(user)))
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(re.compile(r"/can-bo/$"))

    return login
