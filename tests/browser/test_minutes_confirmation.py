"""A citizen on a phone opens the link of the SMS sent with the final Biên bản, reads it, asks
for the one-time code, types the code from the SMS and confirms; the office sees the answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tiepdan.minutes import services
from tiepdan.minutes.models import Minutes, MinutesConfirmation
from tiepdan.notify.models import Delivery

pytestmark = pytest.mark.browser

CITIZEN_PHONE = "+84912000101"  # as the registration form stores it


def _last_sms(purpose: str) -> str:
    return Delivery.objects.filter(recipient=CITIZEN_PHONE, purpose=purpose).latest(
        "id").body_text


def test_a_citizen_confirms_the_minutes_on_a_phone(
        browser: Browser, live_server, officer, hearing):
    minutes = services.draft_minutes(hearing, actor=officer)
    services.update_sections(minutes, actor=officer, proceedings="Công dân trình bày.",
                             chair_conclusion="Giao Phòng Kinh tế kiểm tra.")
    services.finalise(minutes, actor=officer)
    assert Minutes.objects.get().document_id is not None

    link = re.search(r"(/s/\S+)$", _last_sms("minutes.confirmation")).group(1)
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + link)
    expect(page.locator("h1")).to_have_text("Biên bản buổi tiếp công dân")
    expect(page.locator("#minutes-text")).to_contain_text("Giao Phòng Kinh tế kiểm tra.")
    # Nothing wider than the phone's screen (the SHA-256 wraps).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#send-code button").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi mã xác nhận")
    code = re.search(r"bien ban (\d{6})", _last_sms("minutes.confirmation_code")).group(1)
    form = page.locator("#confirm-form")
    form.get_by_label(re.compile("^Mã xác nhận")).fill(code)
    form.get_by_label("Tôi xác nhận nội dung biên bản là đúng").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#answer-saved")).to_contain_text("Xác nhận nội dung biên bản")
    context.close()
    assert MinutesConfirmation.objects.get().kind == "confirmed"
