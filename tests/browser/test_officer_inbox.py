"""An office officer, by clicking only: from the dashboard's work queue to the inbox, finds a
citizen by a name typed without diacritics, opens the matter, classifies and accepts it — each
step says what comes next — and is offered the online proposal as the next step."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from tiepdan.intake.models import Matter

pytestmark = pytest.mark.browser


@pytest.fixture
def matter(an_lao, form_data):
    Client().post(reverse("intake:register", args=[an_lao.ward_code]),
                  {**form_data, "wants_online": "on", "online_reason": "elderly",
                   "join_point": "commune_hall"})
    return Matter.objects.get()


def test_the_officer_goes_from_the_dashboard_to_the_next_step(page: Page, live_server,
                                                              staff_login, officer, matter):
    staff_login(officer)
    page.goto(live_server.url + reverse("core:dashboard"))
    page.get_by_role("link", name=re.compile("Hồ sơ mới chờ phân loại")).click()
    expect(page.locator("#matters tbody tr")).to_have_count(1)

    page.get_by_label("Tìm kiếm").fill("tran thi binh")
    page.get_by_label("Trạng thái").select_option("")
    page.get_by_role("button", name="Tìm, lọc").click()
    expect(page.locator("#matters .petitioner")).to_have_text(["Trần Thị Bình"])
    page.get_by_role("link", name=matter.tracking_code).click()

    page.locator("#next-steps").get_by_role("link", name="Phân loại đơn").click()
    classify = page.locator("#triage-classify")
    classify.get_by_label("Loại đơn").select_option("kien_nghi")
    classify.get_by_label(re.compile("^Lĩnh vực")).select_option("Giao thông")
    classify.get_by_label(re.compile("^Lý do, căn cứ")).fill("Kiến nghị sửa đường liên thôn")
    classify.get_by_role("button", name="Lưu phân loại").click()
    expect(page.locator(".messages")).to_contain_text("Tiếp theo: quyết định hướng xử lý")

    decide = page.locator("#triage-decide")
    decide.get_by_label("Hướng xử lý").select_option("accept")
    decide.get_by_label(re.compile("^Thuộc thẩm quyền")).check()
    decide.get_by_label(re.compile("^Lý do, căn cứ")).fill("Thuộc thẩm quyền của xã")
    decide.get_by_role("button", name="Ghi hướng xử lý").click()
    expect(page.locator(".messages")).to_contain_text("đề xuất tiếp trực tuyến")

    page.locator("#next-steps").get_by_role("link", name="Đề xuất tiếp trực tuyến").click()
    expect(page.locator("h1")).to_contain_text(matter.tracking_code)
    assert page.url.endswith(f"/ho-so/{matter.pk}/de-xuat-truc-tuyen/")
