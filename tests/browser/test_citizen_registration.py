"""A citizen registers a matter in a real browser, gets the receipt and looks up the status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests import samples
from tiepdan.core.models import Commune
from tiepdan.intake.models import Attachment, Matter, MatterStatus

pytestmark = pytest.mark.browser

PHONE = "0912345678"
RECEIVED_TEXT = "Đơn đã được tiếp nhận, đang chờ cán bộ xem xét, phân loại."


def _open_registration_form(page: Page, base_url: str, commune: Commune) -> None:
    page.goto(f"{base_url}/xa/{commune.ward_code}/")
    # The single-page form stays beside the guided steps (test_citizen_registration_steps).
    page.get_by_role("link", name="Hoặc điền toàn bộ đơn trên một trang").click()
    expect(page).to_have_url(re.compile(rf"/xa/{commune.ward_code}/dang-ky/$"))


def _field(page: Page, label: str) -> Locator:
    """The form control whose label starts with ``label`` (labels end with "* (bắt buộc)")."""
    return page.get_by_label(re.compile("^" + re.escape(label)))


def _type(page: Page, label: str, text: str) -> None:
    field = _field(page, label)
    field.click()
    field.press_sequentially(text)


def _choose_province(page: Page, name: str) -> None:
    """Pick a province; htmx reloads the commune list, so wait for that answer."""
    with page.expect_response(re.compile(r"/dia-gioi/xa/\?province=\d+")):
        _field(page, "Tỉnh / thành phố").select_option(label=name)


def _fill_registration(page: Page, *, id_number: str, attachment: Path) -> None:
    _type(page, "Họ và tên", "Nguyễn Văn A")
    _field(page, "Loại giấy tờ tùy thân").select_option(label="Căn cước công dân / Thẻ căn cước")
    _type(page, "Số giấy tờ", id_number)
    _field(page, "Ngày sinh").fill("1990-05-01")  # a date picker takes ISO text

    province, commune = _field(page, "Tỉnh / thành phố"), _field(page, "Xã / phường")
    expect(province).to_have_value("31")  # preselected: the commune's own city
    expect(commune).to_have_value("11629")
    _choose_province(page, "Thành phố Hà Nội")
    expect(commune.locator("option", has_text="Phường Ba Đình")).to_have_count(1)
    expect(commune.locator("option", has_text="Xã An Lão")).to_have_count(0)
    _choose_province(page, "Thành phố Hải Phòng")
    expect(commune.locator("option", has_text="Phường Ba Đình")).to_have_count(0)
    commune.select_option(label="Xã An Lão")

    _type(page, "Địa chỉ cụ thể", "Thôn Hàm Hy")
    _type(page, "Số điện thoại di động", PHONE)
    page.get_by_role("radio", name="Kiến nghị").check()
    _type(page, "Tóm tắt nội dung", "Kiến nghị lắp đèn đường")
    _type(page, "Nội dung đầy đủ", "Đoạn đường thôn chưa có đèn chiếu sáng.")

    online = page.locator("#online-details")
    expect(online).to_be_hidden()  # shown only for those who ask to be heard online
    _field(page, "Tôi đề nghị được tiếp công dân trực tuyến").check()
    expect(online).to_be_visible()
    _field(page, "Lý do đề nghị tiếp trực tuyến").select_option(label="Ở xa, đi lại khó khăn")
    page.get_by_role("radio", name="Tại điểm cầu trụ sở UBND xã").check()

    _field(page, "Tài liệu kèm theo").set_input_files(attachment)
    page.get_by_role("checkbox", name=re.compile(r"^Tôi đồng ý để Ủy ban nhân dân xã")).check()


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    path = tmp_path / "giay-to.pdf"
    path.write_bytes(samples.pdf_bytes(2))
    return path


def test_a_citizen_registers_gets_the_receipt_and_looks_up_the_status(
    page: Page, live_server, an_lao: Commune, pdf_file: Path, tmp_path: Path
):
    _open_registration_form(page, live_server.url, an_lao)
    _fill_registration(page, id_number="031090001234", attachment=pdf_file)
    page.get_by_role("button", name="Gửi đơn").click()

    expect(page.get_by_text("Đơn của bạn đã được tiếp nhận.")).to_be_visible()
    code = page.locator("#tracking-code").inner_text().strip()
    page.screenshot(path=tmp_path / "receipt.png", full_page=True)
    matter = Matter.objects.get()
    assert code == matter.tracking_code
    assert (matter.commune, matter.status, matter.kind) == (an_lao, MatterStatus.NEW, "kien_nghi")
    assert (matter.id_number, matter.phone) == ("031090001234", "+84912345678")
    assert (matter.address_province_code, matter.address_ward_code) == (31, 11629)
    assert matter.wants_online and matter.join_point == "commune_hall"
    attachment = matter.attachments.get()
    assert (attachment.original_name, attachment.pages) == ("giay-to.pdf", 2)
    assert attachment.file.storage.exists(attachment.file.name)
    expect(page.locator("article.receipt")).to_contain_text("giay-to.pdf")

    page.get_by_role("link", name="Tra cứu trạng thái").click()
    _type(page, "Mã hồ sơ", code)
    _type(page, "Số điện thoại đã khai", PHONE)
    page.get_by_role("button", name="Tra cứu").click()

    result = page.locator("#lookup-result")
    expect(result).to_contain_text(code)
    expect(result).to_contain_text(RECEIVED_TEXT)


def test_a_wrong_id_number_shows_the_errors_keeps_the_input_and_saves_nothing(
    page: Page, live_server, an_lao: Commune, pdf_file: Path, settings
):
    _open_registration_form(page, live_server.url, an_lao)
    # Born in 1990, but digits 5-6 of the CCCD (the birth year) say 1991.
    _fill_registration(page, id_number="031091001234", attachment=pdf_file)
    page.get_by_role("button", name="Gửi đơn").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # read first by screen readers
    expect(summary).to_contain_text("Đơn chưa gửi được. Vui lòng sửa các mục sau:")
    expect(summary.get_by_role("link", name=re.compile(r"^Số giấy tờ:"))).to_have_attribute(
        "href", "#f-id_number"
    )
    expect(_field(page, "Họ và tên")).to_have_value("Nguyễn Văn A")
    expect(_field(page, "Số giấy tờ")).to_have_value("031091001234")
    expect(_field(page, "Ngày sinh")).to_have_value("1990-05-01")
    expect(_field(page, "Xã / phường")).to_have_value("11629")
    expect(_field(page, "Tóm tắt nội dung")).to_have_value("Kiến nghị lắp đèn đường")
    expect(page.get_by_role("radio", name="Kiến nghị")).to_be_checked()
    assert not Matter.objects.exists()
    assert not Attachment.objects.exists()
    files = Path(settings.MEDIA_ROOT)
    assert not files.exists() or not any(p.is_file() for p in files.rglob("*"))
