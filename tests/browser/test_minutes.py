"""An office officer completes and finalises the minutes of a held hearing in a real browser:
the draft comes from the hearing's data, a missing part is refused with a clear message and
what was typed is kept, and the finalised Biên bản downloads as a real document."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tiepdan.minutes.models import Minutes, MinutesStatus

pytestmark = pytest.mark.browser


def test_an_officer_completes_and_finalises_the_minutes(
        page: Page, live_server, staff_login, officer, hearing):
    staff_login(officer)
    page.goto(live_server.url + reverse("hearings:detail",
                                        args=[hearing.commune.ward_code, hearing.pk]))
    page.locator("#minutes-link").click()
    expect(page.locator("h1")).to_have_text("Biên bản và kết luận buổi tiếp")
    page.locator("#draft-button").click()
    expect(page.locator("#minutes-timeline")).to_contain_text("00:05:12")
    expect(page.locator("#minutes-attendance")).to_contain_text("Bùi Thị Thay")

    form = page.locator("#minutes-form")
    form.get_by_label(re.compile("^Diễn biến buổi tiếp")).fill(
        "Bà Trần Thị Bình trình bày kiến nghị sửa đường liên thôn.")
    form.locator("#finalise-button").click()
    expect(page.locator("#f-chair_conclusion")).to_contain_text(
        "Ghi kết luận của người chủ trì.")
    expect(form.get_by_label(re.compile("^Diễn biến buổi tiếp"))).to_have_value(
        "Bà Trần Thị Bình trình bày kiến nghị sửa đường liên thôn.")
    assert Minutes.objects.get().status == MinutesStatus.DRAFT

    form.get_by_label(re.compile("^Kết luận của người chủ trì")).fill(
        "Giao Phòng Kinh tế kiểm tra hiện trạng, trả lời công dân trong 10 ngày làm việc.")
    form.locator("#finalise-button").click()
    expect(page.locator(".minutes-status")).to_have_text("Đã hoàn thành")
    expect(page.locator("#minutes-document")).to_contain_text("01/BB-UBND")
    expect(page.locator("#new-version-button")).to_be_visible()

    with page.expect_download() as info:
        page.locator("#minutes-document a.pdf-link").click()
    download = info.value
    assert download.suggested_filename.endswith("-01-BB-UBND.pdf")
    reader = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "BIÊN BẢN" in text
    assert "Giao Phòng Kinh tế kiểm tra hiện trạng" in " ".join(text.split())
