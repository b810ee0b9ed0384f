"""Every page a citizen sees passes axe-core's WCAG 2.2 A and AA rules (nothing serious or
critical) and is no wider than the screen, on a 390×844 phone and a 1366×768 desktop: the
commune's pages, each registration step and its error state, the check-your-answers page, the
receipt, the status lookup and its results, the invitation, the readiness test and the room."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests import samples
from tests.media.conftest import RoomCast
from tiepdan.core.models import Commune
from tiepdan.hearings.invitations import invitation_token
from tiepdan.hearings.join_tokens import join_path, join_token
from tiepdan.intake.models import Matter

from .axe_kit import DESKTOP, PHONE, assert_accessible, check_page
from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

VIEWPORTS = [pytest.param(PHONE, id="phone-390"), pytest.param(DESKTOP, id="desktop-1366")]


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


def _label(page: Page, text: str):
    return page.get_by_label(re.compile("^" + re.escape(text)))


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Tiếp tục").click()


def _error_state(page: Page) -> None:
    """Submit the step as it is and wait for the error summary."""
    _continue(page)
    expect(page.locator("#error-summary")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_registration_steps_and_their_errors_are_accessible(
    browser: Browser, live_server, an_lao: Commune, tmp_path: Path, viewport
):
    wrong = tmp_path / "anh.png"
    wrong.write_bytes(samples.exe_bytes())
    page = _open(browser, viewport)
    problems: list[str] = []
    page.goto(live_server.url + "/", timeout=60_000)  # cold start
    problems += check_page(page, "home")
    page.goto(f"{live_server.url}/xa/{an_lao.ward_code}/")
    problems += check_page(page, "commune page")
    # Focus is visible: the keyboard's position has a thick outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert outline[0] != "none" and outline[1] >= 2, outline
    page.get_by_role("link", name="Đăng ký gửi đơn, đề nghị tiếp trực tuyến").click()

    # 1. The kind.
    problems += check_page(page, "step 1 (kind)")
    _error_state(page)
    problems += check_page(page, "step 1 (kind), error")
    page.get_by_role("radio", name="Khiếu nại").check()
    _continue(page)

    # 2. Who you are.
    expect(page.locator("#step-progress")).to_have_text("Bước 2 trên 7")
    problems += check_page(page, "step 2 (person)")
    _error_state(page)
    problems += check_page(page, "step 2 (person), error")
    expect(_label(page, "Họ và tên")).to_have_accessible_description(
        re.compile("Vui lòng điền thông tin này")
    )
    # A hint is read with its field.
    expect(_label(page, "Số giấy tờ")).to_have_accessible_description(
        re.compile("Căn cước: 12 chữ số")
    )
    _label(page, "Họ và tên").fill("Vũ Văn Chủ")
    _label(page, "Loại giấy tờ tùy thân").select_option(label="Căn cước công dân / Thẻ căn cước")
    _label(page, "Số giấy tờ").fill("031090001234")
    _label(page, "Ngày sinh").fill("1990-05-01")
    _label(page, "Địa chỉ cụ thể").fill("Thôn Hàm Hy")
    _label(page, "Số điện thoại di động").fill("0912345678")
    _continue(page)

    # 3. The matter.
    expect(page.locator("#step-progress")).to_have_text("Bước 3 trên 7")
    problems += check_page(page, "step 3 (matter)")
    _error_state(page)
    problems += check_page(page, "step 3 (matter), error")
    # Vietnamese diacritics in a textarea: the page's font, not the browser's monospace.
    fonts = page.evaluate("""() => [getComputedStyle(document.body).fontFamily,
        getComputedStyle(document.querySelector('textarea')).fontFamily]""")
    assert fonts[0] == fonts[1], fonts
    _label(page, "Tóm tắt nội dung").fill("Khiếu nại quyết định thu hồi đất")
    _label(page, "Nội dung đầy đủ").fill("Quyết định thu hồi đất không đúng diện tích.")
    _label(page, "Quyết định hoặc hành vi bị khiếu nại").fill("Quyết định 12/QĐ-UBND")
    _continue(page)

    # 4. A group: ticked without its size is an error; then alone.
    expect(page.locator("#step-progress")).to_have_text("Bước 4 trên 7")
    problems += check_page(page, "step 4 (group)")
    page.locator("#id_is_group").check()
    problems += check_page(page, "step 4 (group), details shown")
    _error_state(page)
    problems += check_page(page, "step 4 (group), error")
    page.locator("#id_is_group").uncheck()
    _continue(page)

    # 5. Documents: a file that is not what it claims is refused at once.
    expect(page.locator("#step-progress")).to_have_text("Bước 5 trên 7")
    problems += check_page(page, "step 5 (documents)")
    _label(page, "Chọn tệp để tải lên").set_input_files(wrong)
    expect(page.locator(".upload-error")).to_be_visible()
    problems += check_page(page, "step 5 (documents), refused file")
    _continue(page)

    # 6. Online reception asked for without a reason.
    expect(page.locator("#step-progress")).to_have_text("Bước 6 trên 7")
    problems += check_page(page, "step 6 (online)")
    page.locator("#id_wants_online").check()
    _error_state(page)
    problems += check_page(page, "step 6 (online), error")
    page.locator("#id_wants_online").uncheck()
    _continue(page)

    # 7. Consent.
    expect(page.locator("#step-progress")).to_have_text("Bước 7 trên 7")
    problems += check_page(page, "step 7 (consent)")
    _error_state(page)
    problems += check_page(page, "step 7 (consent), error")
    page.get_by_role("checkbox", name="Tôi đã đọc và đồng ý với nội dung trên").check()
    _continue(page)

    expect(page.get_by_role("heading", name="Kiểm tra lại trước khi gửi")).to_be_visible()
    problems += check_page(page, "check your answers")
    page.get_by_role("button", name="Gửi đơn").click()
    expect(page.get_by_text("Đơn của bạn đã được tiếp nhận.")).to_be_visible()
    problems += check_page(page, "receipt")

    # The status lookup: a wrong pair, then the right one.
    matter = Matter.objects.get()
    page.goto(live_server.url + reverse("intake:lookup"))
    problems += check_page(page, "status lookup")
    page.get_by_label("Mã hồ sơ").fill(matter.tracking_code)
    page.get_by_label("Số điện thoại đã khai khi gửi đơn").fill("0999999999")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-error")).to_be_visible()
    problems += check_page(page, "status lookup, not found")
    page.get_by_label("Số điện thoại đã khai khi gửi đơn").fill("0912345678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#status-code")).to_have_text(matter.tracking_code)
    problems += check_page(page, "status page")

    # The single-page form, still offered, and its error state.
    page.goto(live_server.url + reverse("intake:register", args=[an_lao.ward_code]))
    problems += check_page(page, "one-page form")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".error-summary")).to_be_visible()
    problems += check_page(page, "one-page form, error")
    page.context.close()
    assert_accessible(problems)


def _show_room_step(page: Page, step: str) -> None:
    """Show one step of the room page as room.js does when the server says so (the live test
    server has no WebSocket; the media tests run the real room)."""
    page.evaluate(
        """step => {
        for (const el of document.querySelectorAll('.room-step')) el.hidden = el.id !== step;
    }""",
        step,
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_invitation_readiness_and_room_pages_are_accessible(
    browser: Browser, live_server, an_lao: Commune, viewport
):
    cast = RoomCast(an_lao)
    page = _open(browser, viewport)
    problems: list[str] = []
    page.goto(
        live_server.url + reverse("hearings:invitation", args=[invitation_token(cast.citizen)]),
        timeout=60_000,
    )
    problems += check_page(page, "invitation")
    page.goto(live_server.url + reverse("media:readiness", args=[join_token(cast.citizen)]))
    problems += check_page(page, "readiness test")

    page.goto(live_server.url + join_path(cast.citizen))
    expect(page.locator("#room-app")).to_have_attribute("data-role", "participant")
    for step in ("step-rules", "step-device", "step-lobby", "step-room"):
        _show_room_step(page, step)
        problems += check_page(page, f"room ({step})")
    # In the room, a citizen without the floor is told plainly that their microphone is off.
    expect(page.locator("#mic-state")).to_have_text(
        "Bạn đang tắt tiếng cho đến khi chủ trì cho phép phát biểu"
    )
    expect(page.locator("#raise-hand")).to_be_visible()
    box = page.locator("#raise-hand").bounding_box()
    assert box and box["height"] >= 44, box  # a thumb-sized control
    page.context.close()
    assert_accessible(problems)


def test_the_citizen_pages_in_english_are_accessible_on_a_phone(
    browser: Browser, live_server, an_lao: Commune
):
    """The English locale has longer words and its own lang attribute: the same bar."""
    context = browser.new_context(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.goto(f"{live_server.url}/xa/{an_lao.ward_code}/", timeout=60_000)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    problems += check_page(page, "commune page (en)")
    page.goto(live_server.url + reverse("intake:steps", args=[an_lao.ward_code]))
    problems += check_page(page, "step 1 (en)")
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    problems += check_page(page, "step 1 (en), error")
    page.locator("#id_kind_0").check()
    page.locator("#step-form button[type=submit]").click()
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    problems += check_page(page, "step 2 (en), error")
    page.goto(live_server.url + reverse("intake:lookup"))
    page.locator("#code").fill("AAAA-BBBB-CCCC")
    page.locator("#phone").fill("0912345678")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("#lookup-error")).to_be_visible()
    problems += check_page(page, "status lookup, not found (en)")
    context.close()
    assert_accessible(problems)
