"""The main staff pages pass axe-core's WCAG 2.2 A and AA rules (nothing serious or critical)
and are no wider than the screen at 390 px (an officer's phone) and 1366 px (the office's
laptop): sign-in, dashboard, inbox, a matter, a hearing, its minutes, the follow-up board and a
task, the register, and the reports, including the city's comparison of communes.  Wide tables
scroll inside their own labelled region instead of widening the page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.builders import conclude
from tests.factories import STAFF_PASSWORD, device_of, staff_user, totp_code
from tiepdan.core.models import Role
from tiepdan.followup import services as followup
from tiepdan.followup.models import Body
from tiepdan.intake.models import MatterStatus

from .axe_kit import DESKTOP, PHONE, assert_accessible, check_page
from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

VIEWPORTS = [pytest.param(PHONE, id="phone-390"), pytest.param(DESKTOP, id="desktop-1366")]


@pytest.fixture
def task(an_lao, officer, chairman, recommendation, hearing):
    conclude(hearing, recommendation, actor=chairman)
    recommendation.refresh_from_db()
    assert recommendation.status == MatterStatus.CONCLUDED
    body = Body.objects.create(commune=an_lao, name="Công chức Địa chính – Xây dựng")
    return followup.create_task(
        recommendation,
        title="Sửa đoạn đường liên thôn bị sạt lở",
        body=body,
        due_working_days=5,
        actor=officer,
    )


def _open(browser: Browser, viewport: dict[str, int]) -> Page:
    phone = viewport["width"] < 600
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=viewport,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _sign_in(page: Page, live_server, user, problems: list[str]) -> None:
    page.goto(live_server.url + reverse("core:login"), timeout=60_000)
    problems += check_page(page, "sign-in")
    page.get_by_label("Tên đăng nhập").fill(user.get_username())
    page.get_by_label("Mật khẩu").fill("wrong password")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator(".errorlist, .error-summary, [role=alert]").first).to_be_visible()
    problems += check_page(page, "sign-in, wrong password")
    page.get_by_label("Tên đăng nhập").fill(user.get_username())
    page.get_by_label("Mật khẩu").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_label("Mã xác thực (6 chữ số)")).to_be_visible()
    problems += check_page(page, "sign-in, code")
    page.get_by_label("Mã xác thực (6 chữ số)").fill(totp_code(device_of(user)))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/can-bo/$"))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_main_staff_pages_are_accessible(
    browser: Browser,
    live_server,
    an_lao,
    officer,
    hearing,
    recommendation,
    task,
    viewport,
):
    page = _open(browser, viewport)
    problems: list[str] = []
    _sign_in(page, live_server, officer, problems)
    ward = an_lao.ward_code
    pages = [
        ("dashboard", reverse("core:dashboard")),
        ("inbox", reverse("intake:inbox", args=[ward])),
        ("matter", reverse("intake:matter", args=[ward, recommendation.pk])),
        ("hearings", reverse("hearings:list", args=[ward])),
        ("hearing", reverse("hearings:detail", args=[ward, hearing.pk])),
        ("minutes", reverse("minutes:page", args=[ward, hearing.pk])),
        ("follow-up board", reverse("followup:board", args=[ward])),
        ("follow-up task", reverse("followup:task", args=[ward, task.pk])),
        ("register", reverse("register:book", args=[ward])),
        ("commune report", reverse("reports:commune", args=[ward])),
        ("results report", reverse("reports:results", args=[ward])),
    ]
    for name, path in pages:
        response = page.goto(live_server.url + path)
        assert response and response.ok, f"{name}: {response and response.status}"
        problems += check_page(page, name)
    if viewport == PHONE:  # the inbox is one card per matter on a phone
        page.goto(live_server.url + reverse("intake:inbox", args=[ward]))
        expect(page.locator("#matters tbody tr").first).to_have_css("display", "block")
        expect(page.locator("#matters td.petitioner").first).to_be_visible()
    # Error states: a period that does not exist.
    bad_period = "?kind=quarter&year=2026&number=9"
    for name, path in [
        ("commune report, bad period", reverse("reports:commune", args=[ward])),
        ("register, bad period", reverse("register:book", args=[ward])),
    ]:
        response = page.goto(live_server.url + path + bad_period)
        assert response and response.status in (400, 422), f"{name}: {response.status}"
        expect(page.get_by_role("alert").first).to_be_visible()
        problems += check_page(page, name)
    page.context.close()
    assert_accessible(problems)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_city_comparison_of_communes_is_accessible(
    browser: Browser, live_server, an_lao, lac_phuong, recommendation, clock, viewport
):
    observer = staff_user(Role.CITY_OBSERVER, city=an_lao.city)
    page = _open(browser, viewport)
    problems: list[str] = []
    _sign_in(page, live_server, observer, problems)
    page.goto(live_server.url + reverse("reports:city", args=[an_lao.city.pk]))
    expect(page.locator("#communes-compared")).to_contain_text(an_lao.name)
    problems += check_page(page, "city report")
    # The table fits the page; on a phone it scrolls inside its own region, reachable by
    # keyboard and named for a screen reader.
    region = page.locator(".table-scroll", has=page.locator("#communes-compared"))
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_accessible_name(re.compile("So sánh các xã"))
    if viewport == DESKTOP:
        fits = page.evaluate("""() => {
            const table = document.getElementById('communes-compared');
            return table.scrollWidth <= table.parentElement.clientWidth;
        }""")
        assert fits, "the comparison table scrolls sideways at 1366 px"
    page.context.close()
    assert_accessible(problems)
