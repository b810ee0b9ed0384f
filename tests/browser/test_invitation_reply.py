"""A citizen answers their invitation from the SMS on a phone without JavaScript: the short link
opens the invitation page, the substitute's fields open on demand, the answer is saved."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.core.test_public_links import hearing_with_citizen
from tiepdan.hearings.invitations import invitation_short_url
from tiepdan.hearings.models import Attendance
from tiepdan.intake.models import Matter
from tiepdan.intake.status import status_short_url

from .axe_kit import DESKTOP, PHONE, assert_accessible, check_page
from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_without_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_a_citizen_names_a_substitute_from_the_sms_link(
    phone_without_js, live_server, settings, an_lao
):
    settings.SITE_URL = live_server.url
    participant = hearing_with_citizen(an_lao)
    page = phone_without_js
    page.goto(invitation_short_url(participant))
    expect(page.locator("#greeting")).to_have_text("Kính gửi Ông/Bà Trần Thị Bình,")
    expect(page.locator("#invitation-subject")).to_have_text("Kiến nghị: Kiến nghị sửa đường")
    expect(page.locator("#readiness-link")).to_be_visible()
    name = page.get_by_label("Họ tên người thay")
    expect(name).to_be_hidden()
    page.get_by_text("Cử người khác tham dự thay").click()
    page.get_by_role("radio", name="Tôi cử người tham dự thay").check()
    name.fill("Trần Văn Con")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator("#response-saved")).to_contain_text("Trần Văn Con")
    participant.refresh_from_db()
    assert (participant.attendance, participant.substitute_name) == (
        Attendance.SUBSTITUTED,
        "Trần Văn Con",
    )


@pytest.mark.parametrize("kind", ["invitation", "status"])
def test_the_language_can_be_changed_on_a_personal_page(
    phone_without_js, live_server, settings, an_lao, form_data, kind
):
    # A personal page keeps its link from other sites, yet its own forms (the language
    # switcher) still pass the CSRF origin check.
    settings.SITE_URL = live_server.url
    if kind == "invitation":
        link = invitation_short_url(hearing_with_citizen(an_lao))
    else:
        Client().post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
        link = status_short_url(Matter.objects.get())
    page = phone_without_js
    page.goto(link)
    personal_page = page.url
    page.get_by_role("button", name="English").click()
    expect(page.locator(".lang-current")).to_have_text("English")  # back on the page
    assert page.url == personal_page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-390", "desktop-1366"])
def test_the_open_disclosure_and_its_error_are_accessible(
    browser: Browser, live_server, settings, an_lao, viewport
):
    settings.SITE_URL = live_server.url
    participant = hearing_with_citizen(an_lao)
    context = browser.new_context(locale="vi-VN", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(invitation_short_url(participant))
        page.get_by_text("Cử người khác tham dự thay").click()
        page.get_by_role("radio", name="Tôi cử người tham dự thay").check()
        page.get_by_role("button", name="Gửi trả lời").click()  # no substitute named
        expect(page.locator("#substitute")).to_have_attribute("open", "")
        name = page.get_by_label("Họ tên người thay")
        expect(name).to_have_attribute("aria-invalid", "true")
        expect(name).to_have_accessible_description(re.compile("Nhập họ tên người được cử thay."))
        assert_accessible(check_page(page, "invitation, substitute error"))
    finally:
        context.close()
