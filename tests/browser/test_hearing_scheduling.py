"""An office officer schedules a hearing in a real browser, confirms it and downloads its
Giấy mời; the PDF is a real document with the hearing's data."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.builders import make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.hearings.models import Hearing, HearingStatus
from tiepdan.workdays.services import current_calendar

pytestmark = pytest.mark.browser


@pytest.fixture
def approved_matter(an_lao, officer, chairman):
    return make_matter(an_lao, "approved", officer=officer, chairman=chairman,
                       join_point="commune_hall", join_point_detail="")


@pytest.fixture
def chairman(an_lao):
    return staff_user(Role.CHAIRMAN, commune=an_lao, first_name="Chủ", last_name="Vũ Văn")


@pytest.fixture
def operator(an_lao):
    from tiepdan.core.models import StaffProfile

    user = staff_user(Role.TECHNICAL_OPERATOR, commune=an_lao, first_name="Kiên",
                      last_name="Ngô Văn", email="ky.thuat@example.org")
    StaffProfile.objects.create(user=user, phone="0912000999")
    return user


def _in_form(page: Page, action: str):
    return page.locator(f"form[action$='/{action}/']")


def test_an_officer_schedules_a_hearing_and_downloads_the_invitation(
        page: Page, live_server, staff_login, officer, chairman, operator, approved_matter,
        an_lao):
    # Ten working days ahead: well before the 5-working-day notification deadline.
    day = current_calendar().add_working_days(dt.date.today(), 10)
    staff_login(officer)
    page.goto(live_server.url + reverse("hearings:list", args=[an_lao.ward_code]))
    page.get_by_label(re.compile("^Nội dung buổi tiếp")).fill("Tiếp công dân định kỳ")
    page.get_by_label(re.compile("^Bắt đầu")).fill(f"{day:%Y-%m-%d}T08:00")
    page.get_by_label(re.compile("^Chủ trì")).select_option(value=str(chairman.pk))
    page.get_by_label(re.compile(re.escape(approved_matter.tracking_code))).check()
    page.get_by_role("button", name=re.compile("Lập buổi tiếp|Tạo")).click()
    expect(page.locator("h1")).to_have_text("Tiếp công dân định kỳ")
    expect(page.locator("#milestones")).to_contain_text("05 ngày làm việc")

    page.locator("summary", has_text="Thêm điểm cầu").click()
    form = _in_form(page, "point")
    form.get_by_label(re.compile("^Loại điểm cầu")).select_option("commune_hall")
    form.get_by_label(re.compile("^Điểm cầu trung tâm")).check()
    form.get_by_label(re.compile("^Tên điểm cầu")).fill("Hội trường UBND xã")
    form.get_by_label(re.compile("^Địa chỉ")).fill("Thôn Hàm Hy")
    # Picked from the staff, not typed: the operator's phone comes from their profile.
    form.get_by_label(re.compile("^Người phụ trách")).select_option(value=str(officer.pk))
    form.get_by_label(re.compile("^Cán bộ kỹ thuật")).select_option(value=str(operator.pk))
    form.get_by_role("button", name="Thêm điểm cầu").click()
    expect(page.locator("section.point")).to_have_count(1)
    expect(page.locator("section.point")).to_contain_text("Ngô Văn Kiên (+84912000999)")
    # The petitioner asked to come to the commune hall: added there with her contacts.
    expect(page.locator("section.point")).to_contain_text("Trần Thị Bình")

    page.locator("summary", has_text="Thêm điểm cầu").click()
    form = _in_form(page, "point")
    form.get_by_label(re.compile("^Loại điểm cầu")).select_option("citizen")
    form.get_by_label(re.compile("^Tên điểm cầu")).fill("Nhà văn hóa thôn Đông")
    form.get_by_label(re.compile("^Địa chỉ")).fill("Thôn Đông")
    form.get_by_label(re.compile("^Người phụ trách")).select_option(value=str(officer.pk))
    form.get_by_label(re.compile("^Cán bộ kỹ thuật")).select_option(value=str(officer.pk))
    form.get_by_label(re.compile("^Điện thoại cán bộ kỹ thuật")).fill("0912000888")
    form.get_by_role("button", name="Thêm điểm cầu").click()
    expect(page.locator("section.point")).to_have_count(2)

    page.locator("summary", has_text="Thêm thành phần tham gia").click()
    form = _in_form(page, "participant")
    form.get_by_label("Điểm cầu").select_option(label="Nhà văn hóa thôn Đông")
    form.get_by_label("Chọn người tham gia").select_option(value=f"staff:{operator.pk}")
    form.get_by_role("button", name="Thêm").click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm Ngô Văn Kiên")
    expect(page.locator("section.point").nth(1)).to_contain_text("Ngô Văn Kiên")

    page.get_by_text("Chốt lịch và gửi thông báo, giấy mời").click()
    page.locator("#confirm-button").click()
    expect(page.locator("#hearing-documents")).to_contain_text("01/GM-UBND")
    hearing = Hearing.objects.get()
    assert hearing.status == HearingStatus.CONFIRMED

    with page.expect_download() as info:
        page.locator("#hearing-documents a.pdf-link[data-purpose='invitation']").click()
    download = info.value
    assert download.suggested_filename.endswith("-01-GM-UBND.pdf")
    text = PdfReader(io.BytesIO(download.path().read_bytes())).pages[0].extract_text()
    assert "GIẤY MỜI" in text
    assert "Trần Thị Bình" in text
    assert f"{day:%d/%m/%Y}" in text
