"""On a phone, a citizen registers a complaint in steps with two files, makes a mistake at the
documents step and keeps the files, checks the answers, submits, then opens the status page
from the link in the receipt mail on another device and downloads the receipt PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests import samples
from tiepdan.core.models import Commune
from tiepdan.intake.models import Matter
from tiepdan.notify.models import Delivery

from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE_VIEWPORT = {"width": 390, "height": 844}


def _phone(browser: Browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True,
                                  accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _label(page: Page, text: str):
    return page.get_by_label(re.compile("^" + re.escape(text)))


def _continue(page: Page, step: int | None = None) -> None:
    page.get_by_role("button", name="Tiếp tục").click()
    if step:
        expect(page.locator("#step-progress")).to_have_text(f"Bước {step} trên 7")


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]


def test_a_citizen_registers_in_steps_on_a_phone_and_follows_the_matter(
    browser: Browser, live_server, an_lao: Commune, tmp_path: Path, settings
):
    settings.SITE_URL = live_server.url
    files = []
    for name, pages in (("quyet-dinh.pdf", 2), ("so-do.pdf", 1)):
        path = tmp_path / name
        path.write_bytes(samples.pdf_bytes(pages))
        files.append(path)
    wrong = tmp_path / "anh.png"
    wrong.write_bytes(samples.exe_bytes())

    context = _phone(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/xa/{an_lao.ward_code}/")
    page.get_by_role("link", name="Đăng ký gửi đơn, đề nghị tiếp trực tuyến").click()

    # 1. The kind, explained before anything is typed.
    expect(page.locator("#step-progress")).to_have_text("Bước 1 trên 7")
    expect(page.get_by_text("không được tiếp trực tuyến", exact=False)).to_be_visible()
    _no_horizontal_scroll(page)
    page.get_by_role("radio", name="Khiếu nại").check()
    _continue(page, 2)

    # 2. Who you are.
    _label(page, "Họ và tên").fill("Vũ Văn Chủ")
    _label(page, "Loại giấy tờ tùy thân").select_option(label="Căn cước công dân / Thẻ căn cước")
    _label(page, "Số giấy tờ").fill("031090001234")
    _label(page, "Ngày sinh").fill("1990-05-01")
    _label(page, "Địa chỉ cụ thể").fill("Thôn Hàm Hy")
    _label(page, "Số điện thoại di động").fill("0912345678")
    _label(page, "Thư điện tử").fill("chu@example.org")
    _continue(page, 3)

    # 3. The matter (a complaint names the decision complained about).
    _label(page, "Tóm tắt nội dung").fill("Khiếu nại quyết định thu hồi đất")
    _label(page, "Nội dung đầy đủ").fill("Quyết định thu hồi đất không đúng diện tích.")
    _label(page, "Quyết định hoặc hành vi bị khiếu nại").fill("Quyết định 12/QĐ-UBND")
    _continue(page, 4)
    _continue(page, 5)  # 4. Alone, not a group.

    # 5. Documents: two good files uploaded at once, then a wrong one refused.
    chooser = _label(page, "Chọn tệp để tải lên")
    chooser.set_input_files(files)
    uploads = page.locator("#uploads")
    expect(uploads).to_contain_text("quyet-dinh.pdf")
    expect(uploads).to_contain_text("so-do.pdf")
    chooser.set_input_files(wrong)
    expect(page.locator(".upload-error")).to_contain_text("không phải PDF, JPG, PNG, DOCX")
    expect(uploads.locator("li")).to_have_count(2)
    _no_horizontal_scroll(page)
    page.reload()  # a dropped connection: the files are still there
    expect(page.locator("#uploads li")).to_have_count(2)
    _continue(page, 6)
    _continue(page, 7)  # 6. Not online.

    # 7. Consent: a short error first.
    _continue(page)
    expect(page.locator("#error-summary")).to_contain_text(
        "Bạn cần đồng ý cho xử lý dữ liệu cá nhân để gửi đơn.")
    page.get_by_role("checkbox", name="Tôi đã đọc và đồng ý với nội dung trên").check()
    _continue(page)

    # Check your answers, change one, submit.
    expect(page.get_by_role("heading", name="Kiểm tra lại trước khi gửi")).to_be_visible()
    expect(page.locator("main")).to_contain_text("quyet-dinh.pdf")
    page.get_by_role("link", name="Thay đổi Nội dung đơn").click()
    _label(page, "Tóm tắt nội dung").fill("Khiếu nại quyết định thu hồi đất nông nghiệp")
    _continue(page)
    expect(page.locator("main")).to_contain_text("thu hồi đất nông nghiệp")
    assert not Matter.objects.exists()
    page.get_by_role("button", name="Gửi đơn").click()
    expect(page.get_by_text("Đơn của bạn đã được tiếp nhận.")).to_be_visible()
    matter = Matter.objects.get()
    assert sorted(a.original_name for a in matter.attachments.all()) == [
        "quyet-dinh.pdf", "so-do.pdf"]
    context.close()

    # Another device: the link in the receipt mail.
    mail = Delivery.objects.get(purpose="intake.receipt", object_id=str(matter.pk))
    link = re.search(r"https?://\S+/ho-so/\S+/", mail.body_text).group(0)
    other = _phone(browser)
    page = other.new_page()
    page.goto(link)
    expect(page.locator("#status-code")).to_have_text(matter.tracking_code)
    expect(page.locator("#timeline")).to_contain_text("Đơn được tiếp nhận")
    expect(page.locator("#next-deadline")).to_contain_text("UBND xã phải thông báo")
    _no_horizontal_scroll(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải giấy biên nhận (PDF)").click()
    content = Path(download_info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert matter.tracking_code in text
    assert "Vũ Văn Chủ" in text and "quyet-dinh.pdf" in text
    other.close()
