"""The journey test (issue 10): one reception, end to end, by clicking only, across the roles.

It runs against the real product, ``tiepdan serve`` (uvicorn, the Huey worker and Janus) on a
fresh SQLite database with the demo data, started without SITE_URL: every link it writes into
mail and SMS must lead back to it.  The browser types no URL of the product except the home page
``/``; it follows links and buttons, and the links inside the messages of the product's outbox.

Inside the private network namespace (Janus's ICE needs interface v0), as root:
``scripts/netns-run .venv/bin/pytest -m media_e2e tests/browser/test_journey.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from .journey_kit import (
    Message,
    Product,
    click_button,
    click_link,
    labelled,
    sign_in,
    wait_for,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.media_e2e,
    pytest.mark.skipif("v0" not in {name for _, name in socket.if_nameindex()},
                       reason="needs the private network namespace with interface v0: run "
                              "`scripts/netns-run .venv/bin/pytest -m media_e2e "
                              "tests/browser/test_journey.py` as root"),
]

PORT = 8161
JANUS_PORTS = (8163, 8164)
VN = ZoneInfo("Asia/Ho_Chi_Minh")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
]
COMMUNE = "Xã An Lão"
CITIZEN = "Lương Văn Đức"
CITIZEN_SEARCH = "luong van duc"  # typed without diacritics, as officers often do
CITIZEN_EMAIL = "luong.van.duc@example.org"
CITIZEN_PHONE, CITIZEN_PHONE_STORED = "0912 345 611", "+84912345611"
SUMMARY = "Khiếu nại việc thu hồi đất vườn không bồi thường"
HEARING = "Tiếp công dân định kỳ tháng 12"
#: The first has the demo department representative as a member; the office reports for the
#: second.
BODIES = ("Phòng Kinh tế", "Công chức Địa chính – Xây dựng")
#: The Chairman charges a Vice-Chairman with this reception (Luật Tiếp công dân Đ15 k3): she
#: chairs the room and concludes, with the follow-up tasks, as the chair.
CHAIR = "anlao.phochutich"


@dataclass
class Journey:
    product: Product
    browser: Browser
    pages: dict[str, Page] = field(default_factory=dict)
    code: str = ""
    status_link: str = ""
    invitation: Message | None = None
    starts_at: dt.datetime | None = None

    def page(self, who: str) -> Page:
        """The browser of ``who`` (one context per person, kept for the whole journey)."""
        if who not in self.pages:
            context = self.browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                               viewport={"width": 1280, "height": 900})
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())  # "Are you sure?": yes
            self.pages[who] = page
        return self.pages[who]

    def staff(self, username: str) -> Page:
        """``username``'s browser, signed in (once) from the home page."""
        fresh = username not in self.pages
        page = self.page(username)
        if fresh:
            sign_in(page, self.product, username)
        else:
            dashboard(page)
        return page

    def name(self, username: str) -> str:
        """A staff member's full name as written ("Họ đệm Tên"), from the product's data."""
        ((last, first),) = self.product.rows(
            "SELECT last_name, first_name FROM auth_user WHERE username = ?", username)
        return f"{last} {first}".strip()


DASHBOARD_LINK = re.compile(r"^(Tiếp Dân · Cán bộ|Trang cán bộ)$")


def dashboard(page: Page) -> None:
    """Back to the staff dashboard through the header: directly, or (the matter page) through
    the list of matters."""
    header = page.locator("header")
    if not header.get_by_role("link", name=DASHBOARD_LINK).count():
        click_link(page, "Danh sách hồ sơ", within=header)
    click_link(page, DASHBOARD_LINK, within=header)
    expect(page.locator("h1")).to_have_text("Trang cán bộ")


def commune_link(page: Page, name: str | re.Pattern[str]) -> None:
    """A work link of the commune's row on the dashboard."""
    click_link(page, name, within=page.locator(f"#communes tr:has-text('{COMMUNE}')"))


def pick(scope, label: str, choice: str) -> None:
    """Choose ``choice`` in the list labelled ``label`` (people and bodies are picked)."""
    labelled(scope, label).select_option(label=choice)


def next_step(page: Page, number: int | None = None) -> None:
    """"Tiếp tục" on a question page of the registration; ``number``: the step it leads to."""
    click_button(page, "Tiếp tục")
    if number:
        expect(page.locator("#step-progress")).to_have_text(f"Bước {number} trên 7")


def pick_containing(scope, label: str, text: str) -> None:
    """Choose the one option of the list labelled ``label`` that names ``text`` (a person's
    option also gives their position)."""
    control = labelled(scope, label)
    option = control.locator("option", has_text=text)
    expect(option).to_have_count(1)
    control.select_option(value=option.get_attribute("value"))


# -- The steps ---------------------------------------------------------------------------------

def citizen_registers(j: Journey) -> None:
    """The registration in its question pages (one topic a page), then the check page."""
    page = j.page("citizen")
    page.goto(j.product.url + "/")
    click_link(page, COMMUNE)
    click_link(page, "Đăng ký gửi đơn, đề nghị tiếp trực tuyến")
    page.get_by_role("radio", name="Khiếu nại").check()
    next_step(page, 2)
    labelled(page, "Họ và tên").fill(CITIZEN)
    labelled(page, "Loại giấy tờ tùy thân").select_option(
        label="Căn cước công dân / Thẻ căn cước")
    labelled(page, "Số giấy tờ").fill("031052000611")
    labelled(page, "Giới tính").select_option(label="Nam")
    labelled(page, "Ngày sinh").fill("1952-04-11")
    labelled(page, "Địa chỉ cụ thể").fill("Thôn Đông")
    labelled(page, "Số điện thoại di động").fill(CITIZEN_PHONE)
    labelled(page, "Thư điện tử").fill(CITIZEN_EMAIL)
    next_step(page, 3)
    labelled(page, "Tóm tắt nội dung").fill(SUMMARY)
    labelled(page, "Nội dung đầy đủ").fill(
        "Gia đình tôi bị thu hồi 120 m² đất vườn để mở đường nhưng chưa được bồi thường.")
    labelled(page, "Quyết định hoặc hành vi bị khiếu nại").fill(
        "Quyết định thu hồi đất số 27/QĐ-UBND (dữ liệu thử)")
    labelled(page, "Người ban hành quyết định").fill("Chủ tịch UBND xã")
    next_step(page, 4)
    next_step(page, 5)  # alone, not a group
    next_step(page, 6)  # no documents
    labelled(page, "Tôi đề nghị được tiếp công dân trực tuyến").check()
    labelled(page, "Lý do đề nghị tiếp trực tuyến").select_option(label="Người cao tuổi, già yếu")
    page.get_by_role("radio", name="Tại điểm cầu khác").check()
    labelled(page, "Điểm cầu khác").fill("Nhà văn hóa thôn Đông")
    next_step(page, 7)
    page.get_by_role("checkbox", name="Tôi đã đọc và đồng ý với nội dung trên").check()
    next_step(page)
    expect(page.get_by_role("heading", name="Kiểm tra lại trước khi gửi")).to_be_visible()
    click_button(page, "Gửi đơn")
    expect(page.get_by_text("Đơn của bạn đã được tiếp nhận.")).to_be_visible()
    j.code = page.locator("#tracking-code").inner_text().strip()

    # The receipt mail links to the status page of the matter, on the server that runs.
    receipt = j.product.wait_for_message(to=CITIZEN_EMAIL, purpose="intake.receipt")
    j.status_link = receipt.link(containing="/ho-so/")
    assert j.status_link.startswith(f"{j.product.url}/"), j.status_link
    page.goto(j.status_link)
    expect(page.locator("#lookup-result")).to_contain_text(j.code)
    expect(page.locator("#lookup-result")).to_contain_text("đang chờ cán bộ xem xét")


def officer_finds_the_matter_by_name(j: Journey) -> None:
    page = j.staff("anlao.vanphong")
    commune_link(page, "Hồ sơ tiếp công dân")
    labelled(page, "Tìm kiếm").fill(CITIZEN_SEARCH)
    click_button(page, "Tìm, lọc")
    rows = page.locator("#matters tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".petitioner")).to_have_text(CITIZEN)
    click_link(page, j.code, within=rows.first)
    expect(page.locator("h1")).to_contain_text(j.code)


def officer_classifies_and_accepts(j: Journey) -> None:
    page = j.page("anlao.vanphong")
    classify = page.locator("#triage-classify")  # loaded into the page by htmx
    classify.get_by_label("Loại đơn").select_option("khieu_nai")
    pick_or_fill_field_of_law(classify)
    labelled(classify, "Lần khiếu nại").select_option(index=1)
    labelled(classify, "Lý do, căn cứ").fill("Khiếu nại quyết định thu hồi đất của UBND xã")
    click_button(page, "Lưu phân loại", within=classify)
    expect(page.locator("h1 + p .badge")).to_have_text("Đã phân loại")

    decide = page.locator("#triage-decide")
    decide.get_by_label("Hướng xử lý").select_option("accept")
    labelled(decide, "Thuộc thẩm quyền").check()
    labelled(decide, "Lý do, căn cứ").fill("Quyết định bị khiếu nại do Chủ tịch UBND xã ban hành")
    click_button(page, "Ghi hướng xử lý", within=decide)
    expect(page.locator("h1 + p .badge")).to_have_text("Đã thụ lý")


def pick_or_fill_field_of_law(scope) -> None:
    """Lĩnh vực: a managed list of the commune (issue 10 §2)."""
    pick(scope, "Lĩnh vực", "Đất đai")


def officer_proposes_online_reception(j: Journey) -> None:
    page = j.page("anlao.vanphong")
    # The accepted matter's page offers the next step of the procedure.
    click_link(page, "Đề xuất tiếp trực tuyến")
    ground = labelled(page, "Căn cứ (Quy chế Điều 4.1)")
    expect(ground).to_have_value("b")  # pre-filled: the citizen said they are elderly
    labelled(page, "Ghi chú").fill("Công dân cao tuổi, nhà ở xa trụ sở xã")
    click_button(page, "Gửi đề xuất lên Chủ tịch")
    expect(page.locator(".messages")).to_contain_text("Chủ tịch")
    expect(page.locator("main")).to_contain_text("chờ Chủ tịch quyết định")


def chairman_approves(j: Journey) -> None:
    page = j.staff("anlao.chutich")
    commune_link(page, "Đề xuất tiếp trực tuyến chờ quyết định")
    proposal = page.locator("section.proposal", has_text=j.code)
    proposal.get_by_role("radio", name="Đồng ý tiếp trực tuyến").check()
    labelled(proposal, "Lý do").fill("Công dân cao tuổi; đồng ý tiếp trực tuyến")
    click_button(page, "Ghi quyết định", within=proposal)
    expect(page.locator(".messages")).to_contain_text("Đã đồng ý tiếp trực tuyến")
    expect(page.locator("section.proposal", has_text=j.code)).to_have_count(0)


def officer_schedules_a_hearing(j: Journey) -> None:
    page = j.staff("anlao.vanphong")
    commune_link(page, "Lịch và buổi tiếp công dân")
    day = working_days_ahead(j, 10)
    labelled(page, "Nội dung buổi tiếp").fill(HEARING)
    labelled(page, "Bắt đầu").fill(f"{day:%Y-%m-%d}T14:00")  # the demo hearing has 08:00
    pick(page, "Chủ trì", j.name(CHAIR))
    page.get_by_role("checkbox", name=re.compile(re.escape(j.code))).check()
    click_button(page, "Lập buổi tiếp")
    expect(page.locator("h1")).to_have_text(HEARING)

    add_point(j, page, kind="commune_hall", name="Hội trường UBND xã", central=True)
    add_point(j, page, kind="citizen", name="Nhà văn hóa thôn Đông")


def officer_adds_participants(j: Journey) -> None:
    page = j.page("anlao.vanphong")
    # Scheduling the matter brought its petitioner in, with their contacts: nobody retypes
    # them; the officer places them at their point and picks an official from the staff.
    citizen_row = page.locator("section.point li", has_text=CITIZEN)
    expect(citizen_row).to_have_count(1)
    page.get_by_text("Thêm thành phần tham gia").click()
    form = page.locator("form[action$='/participant/']")
    pick(form, "Điểm cầu", "Hội trường UBND xã")
    pick_containing(form, "Chọn người tham gia", j.name("anlao.phong"))
    click_button(page, "Thêm", within=form, exact=True)
    expect(page.locator("section.point", has_text="Hội trường UBND xã")).to_contain_text(
        j.name("anlao.phong"))


def officer_confirms(j: Journey) -> None:
    page = j.page("anlao.vanphong")
    before = j.product.last_message_id()
    page.get_by_text("Chốt lịch và gửi thông báo, giấy mời").click()
    click_button(page, "Chốt lịch")
    expect(page.locator("#hearing-documents")).to_contain_text("01/GM-UBND")
    j.invitation = j.product.wait_for_message(to=CITIZEN_EMAIL, purpose="hearings.invitation",
                                              after=before)
    sms = j.product.wait_for_message(to=CITIZEN_PHONE_STORED, purpose="hearings.invitation",
                                     after=before)
    for link in j.invitation.links() + sms.links():
        assert link.startswith(f"{j.product.url}/"), link


def open_hearing(page: Page, title: str = HEARING) -> None:
    """From the dashboard, the hearing's page (the list links each hearing by its time)."""
    commune_link(page, "Lịch và buổi tiếp công dân")
    click_link(page, re.compile("."), within=page.locator("#hearings tr", has_text=title))
    expect(page.locator("h1")).to_have_text(title)


def chair_opens_hearing(j: Journey, page: Page) -> None:
    """The Vice-Chairman plans nothing: the hearing she chairs is on her dashboard.  Her name
    is shown as written ("Họ đệm Tên") in the header and as the chair."""
    click_link(page, re.compile(re.escape(HEARING)), within=page.locator(
        f".work-queues:has-text('{COMMUNE}') [data-queue='minutes.chaired']"))
    expect(page.locator("h1")).to_have_text(HEARING)
    expect(page.locator("header .staff-name")).to_have_text(j.name(CHAIR))
    expect(page.locator("h1 + p")).to_contain_text(f"Chủ trì: {j.name(CHAIR)}")
    expect(page.locator("#hearing-form, form[action$='/reschedule/']")).to_have_count(0)


def add_point(j: Journey, page: Page, *, kind: str, name: str, central: bool = False) -> None:
    page.get_by_text("Thêm điểm cầu").first.click()
    form = page.locator("form[action$='/point/']")
    labelled(form, "Loại điểm cầu").select_option(kind)
    if central:
        labelled(form, "Điểm cầu trung tâm").check()
    labelled(form, "Tên điểm cầu").fill(name)
    labelled(form, "Địa chỉ").fill("Thôn Đông, xã An Lão")
    pick(form, "Người phụ trách", j.name("anlao.vanphong"))
    pick(form, "Cán bộ kỹ thuật", j.name("anlao.kythuat"))
    click_button(page, "Thêm điểm cầu", within=form)
    expect(page.locator("section.point", has_text=name)).to_have_count(1)


def working_days_ahead(j: Journey, days: int) -> dt.date:
    """The product's own calendar is not reachable from here; ten working days are at most
    two weeks and a half of calendar days, far from the 5-working-day notice either way."""
    day, left = dt.datetime.now(VN).date(), days
    while left:
        day += dt.timedelta(days=1)
        left -= day.weekday() < 5
    return day


def today_is_worked(j: Journey) -> None:
    """Moving the hearing to today needs today to be a working day in the product's calendar.
    On a weekend or a public holiday the system administrator, from the dashboard, records
    today in the override table as a make-up working day (ngày làm bù) — what a commune does
    when it works that day.  ``JOURNEY_MAKE_UP_DAY=1`` takes this path on a working day too."""
    today = dt.datetime.now(VN).date()
    if j.product.is_working_day(today) and not os.environ.get("JOURNEY_MAKE_UP_DAY"):
        return
    page = j.staff("quantri")
    click_link(page, "Ngày nghỉ, ngày làm bù (lịch làm việc)")
    click_link(page, "Thêm vào điều chỉnh lịch làm việc")
    labelled(page, "Ngày").fill(f"{today:%Y-%m-%d}")
    labelled(page, "Loại").select_option(label="Ngày làm việc (làm bù)")
    labelled(page, "Tên").fill("Làm bù để tiếp công dân")
    labelled(page, "Căn cứ pháp lý").fill("Quyết định của Chủ tịch UBND xã (dữ liệu thử)")
    click_button(page, "Lưu lại", exact=True)
    expect(page.locator(".messagelist")).to_contain_text("Làm bù để tiếp công dân")
    assert j.product.is_working_day(today)


def move_form(page: Page, start: dt.datetime, reason: str):
    page.get_by_text("Dời lịch").first.click()
    form = page.locator("form[action$='/reschedule/']")
    labelled(form, "Thời gian mới").fill(f"{start:%Y-%m-%dT%H:%M}")
    labelled(form, "Thời lượng (phút)").fill("60")
    labelled(form, "Lý do dời lịch").fill(reason)
    return form


def in_two_minutes() -> dt.datetime:
    return (dt.datetime.now(VN) + dt.timedelta(minutes=2)).replace(second=0, microsecond=0)


def the_chairman_moves_it_to_now(j: Journey) -> None:
    """The hearing is brought forward to today.  That breaks the notice periods: the office
    is refused with the periods named, and the Chairman decides it, with a written reason.
    New Giấy mời, the old one kept as superseded, participants told."""
    reason = "Công dân đề nghị tiếp sớm; Chủ tịch đồng ý tiếp ngay trong ngày"
    office = j.page("anlao.vanphong")
    form = move_form(office, in_two_minutes(), reason)
    click_button(office, "Dời lịch", within=form)
    expect(office.locator("main")).to_contain_text(
        "Chỉ Chủ tịch UBND xã được quyết định tổ chức buổi tiếp vào thời gian này")

    page = j.staff("anlao.chutich")
    open_hearing(page)
    old_invitation = page.locator("#hearing-documents li", has_text="01/GM-UBND").inner_text()
    before = j.product.last_message_id()
    start = j.starts_at = in_two_minutes()
    form = move_form(page, start, reason)
    labelled(form, "Lý do quyết định tổ chức khi đã quá thời hạn").fill(
        "Công dân cao tuổi đã có mặt tại điểm cầu; tiếp ngay để giải quyết kịp thời")
    click_button(page, "Dời lịch", within=form)
    expect(page.locator("h1 + p")).to_contain_text(f"{start:%H:%M}")
    expect(page.locator("#late-decision")).to_be_visible()
    documents = page.locator("#hearing-documents")
    expect(documents.locator("li.superseded", has_text="01/GM-UBND").first).to_be_visible()
    new_invitation = documents.locator("li:not(.superseded)", has_text="/GM-UBND").first
    expect(new_invitation).to_be_visible()
    assert new_invitation.inner_text() != old_invitation
    change = j.product.wait_for_message(to=CITIZEN_EMAIL, purpose="hearings.%", after=before)
    assert f"{start:%H:%M}" in change.text or f"{start:%H} giờ {start:%M}" in change.text
    j.invitation = change


def room_is_held(j: Journey) -> None:
    """The chair and the operator come in from the hearing page, the citizen from the link
    in their mail; the operator admits the citizen; the chair gives them the floor, ends."""
    chair = j.staff(CHAIR)
    operator = j.staff("anlao.kythuat")
    chair_opens_hearing(j, chair)
    open_hearing(operator)  # the operator reads the hearings list
    for page in (chair, operator):
        click_link(page, "Mở phòng tiếp trực tuyến")
    citizen = j.page("citizen")
    # The newest message to the citizen that carries their personal room link.
    with_room_link = [m for m in j.product.outbox(to=CITIZEN_EMAIL) if "/phong-tiep/vao/" in m.text]
    citizen.goto(with_room_link[-1].link(containing="/phong-tiep/vao/"))
    for page in (chair, operator, citizen):
        page.click("#accept-rules")
        page.click("#device-ok:not([disabled])")
    citizen.wait_for_selector("#step-lobby:not([hidden])")
    waiting = operator.locator("#lobby li", has_text=CITIZEN)
    # The lobby and the chair's list are redrawn with every update of the room: a click is
    # dispatched to the button as found, rather than retried on a moving element.
    press(waiting, "Đã kiểm tra danh tính")
    wait_for(lambda: not waiting.get_by_role("button", name="Đã kiểm tra danh tính").count(),
             10, "the identity check to be recorded")
    press(waiting, "Cho vào phòng")

    def sees_video(page: Page) -> bool:
        seen = page.evaluate("() => window.tiepdanRoom.inboundVideo()")
        return any(v["width"] > 0 for v in seen.values())

    try:
        wait_for(lambda: sees_video(chair) and sees_video(citizen), 45,
                 "the chair and the citizen to see each other")
    except AssertionError:
        seen = {who: page.evaluate("() => [window.tiepdanRoom.stage, window.tiepdanRoom.myFeed,"
                                   " window.tiepdanRoom.inboundVideo(), window.tiepdanRoom.errors]")
                for who, page in (("chair", chair), ("citizen", citizen))}
        raise AssertionError(f"the chair and the citizen do not see each other: {seen}") from None
    citizen_key = citizen.evaluate("window.tiepdanRoom.key")
    press(chair.locator(f"#chair-points li:has([data-grant='{citizen_key}'])"), "Cho phát biểu")
    wait_for(lambda: citizen.evaluate(f"window.tiepdanRoom.floor === '{citizen_key}'"), 10,
             "the citizen to have the floor")
    time.sleep(3)  # the citizen speaks
    # The hearing can be ended only once it has started (it was moved to a minute or two on).
    assert j.starts_at is not None
    time.sleep(max(0.0, (j.starts_at - dt.datetime.now(VN)).total_seconds() + 2))
    click_button(chair, "Kết thúc buổi tiếp")
    for page in (chair, operator, citizen):
        wait_for(lambda page=page: page.evaluate("window.tiepdanRoom.ended !== null"), 15,
                 "every page to be told the hearing has ended")
    for page in (chair, operator):  # back to the hearing page (the room has no staff header)
        page.go_back()
        expect(page.locator("h1")).to_have_text(HEARING)


def press(scope, name: str) -> None:
    button = scope.get_by_role("button", name=name).first
    expect(button).to_be_visible()
    button.dispatch_event("click")


def recordings_are_processed(j: Journey) -> None:
    page = j.staff("anlao.vanphong")
    open_hearing(page)
    expect(page.locator("h1 + p .badge")).to_have_text("Đã tổ chức")
    click_link(page, "Xem bản ghi")
    # The worker of the running `tiepdan serve` processes, checks and signs the files.
    deadline = time.monotonic() + 60
    while not page.locator("#custody").count():
        assert time.monotonic() < deadline, "recordings not processed within a minute"
        time.sleep(2)
        page.reload()
    expect(page.locator("#custody")).to_have_text(
        "Toàn vẹn: mọi tệp khớp mã băm trong bản kê đã ký.")
    expect(page.locator("video#combined")).to_have_count(1)


def minutes_and_conclusion(j: Journey) -> None:
    page = j.page("anlao.vanphong")
    page.go_back()
    click_link(page, "Biên bản và kết luận buổi tiếp")
    click_button(page, "Lập dự thảo biên bản từ dữ liệu buổi tiếp")
    form = page.locator("#minutes-form")
    labelled(form, "Diễn biến buổi tiếp").fill(
        "Công dân trình bày việc thu hồi đất vườn; Chủ tịch giải thích căn cứ thu hồi.")
    labelled(form, "Ý kiến của công dân").fill("Đề nghị được bồi thường theo giá thị trường.")
    labelled(form, "Kết luận của người chủ trì").fill(
        "Giao Địa chính – Xây dựng rà soát hồ sơ bồi thường; Văn hóa – Xã hội hỗ trợ.")
    click_button(page, "Hoàn thành biên bản", within=form)
    expect(page.locator(".minutes-status")).to_have_text("Đã hoàn thành")
    # The Biên bản document is made by the worker after the commit: the page shows it soon.
    deadline = time.monotonic() + 30
    while not page.locator("#minutes-document").count():
        assert time.monotonic() < deadline, "the Biên bản document was not made in 30 s"
        time.sleep(1)
        page.reload()
    expect(page.locator("#minutes-document")).to_contain_text("Biên bản số")

    chair = j.staff(CHAIR)
    chair_opens_hearing(j, chair)  # held, its matter waiting for her conclusion
    click_link(chair, "Biên bản và kết luận buổi tiếp")
    conclude(chair, j.code, bodies=BODIES)
    dashboard(chair)  # concluded: no longer waiting for her
    expect(chair.locator("[data-queue='minutes.chaired']")).to_have_count(0)


def conclude(page: Page, code: str, *, bodies: tuple[str, ...]) -> None:
    """The chair's conclusion for ``code``, with the bodies picked from the commune's list;
    its follow-up tasks and notice come in one step."""
    row = page.locator("section.conclusion", has_text=code)
    row.get_by_text("Ghi kết luận").click()
    labelled(row, "Hướng xử lý").select_option("assigned")
    labelled(row, "Ý kiến chỉ đạo, kết luận").fill(
        "Rà soát hồ sơ thu hồi đất, xác định mức bồi thường theo quy định.")
    for body in bodies:  # ticked in the commune's list of bodies
        row.get_by_role("checkbox", name=body, exact=True).check()
    labelled(row, "Thời hạn (ngày làm việc").fill("10")
    click_button(page, "Lưu kết luận", within=row)
    row = page.locator("section.conclusion", has_text=code)
    click_button(page, "Ban hành và gửi thông báo kết luận", within=row)
    row = page.locator("section.conclusion", has_text=code)
    expect(row.locator(".notice-document")).to_contain_text("đã gửi")
    for body in bodies:
        expect(row).to_contain_text(body)


def bodies_complete_their_tasks(j: Journey) -> None:
    # The first body's representative, from the follow-up board.
    rep = j.staff("anlao.phong")
    commune_link(rep, "Theo dõi thực hiện kết luận")
    complete_task(rep, j.code, BODIES[0])
    # The demo data has no member for the second body: the office reports for it.
    office = j.staff("anlao.vanphong")
    commune_link(office, "Theo dõi thực hiện kết luận")
    complete_task(office, j.code, BODIES[1])


def complete_task(page: Page, code: str, body: str) -> None:
    group = page.locator("section.body-group", has_text=body)
    click_link(page, re.compile("."), within=group.locator("tr.task", has_text=code))
    labelled(page, "Nội dung cập nhật").fill("Đã làm việc với hộ gia đình, rà soát hồ sơ.")
    labelled(page, "Tiến độ (%)").fill("60")
    click_button(page, "Gửi cập nhật")
    expect(page.get_by_text("Đã ghi nhận cập nhật tiến độ.")).to_be_visible()
    page.get_by_text("Báo cáo hoàn thành").click()
    form = page.locator("#complete-form")
    labelled(form, "Kết quả").fill("Đã hoàn thành theo kết luận.")
    click_button(page, "Xác nhận hoàn thành", within=form)
    expect(page.locator("#task-status")).to_contain_text("Đã hoàn thành")


def officer_closes_the_matter(j: Journey) -> None:
    page = j.staff("anlao.vanphong")
    all_done = j.product.wait_for_message(to="", purpose="followup.all_done")
    page.goto(all_done.link(containing="/ho-so/"))  # the office's mail links to the matter
    click_link(page, "Kết thúc vụ việc với kết quả cuối cùng")
    labelled(page, "Kết quả").fill("Đã bồi thường bổ sung cho hộ gia đình theo quy định.")
    click_button(page, "Kết thúc vụ việc")
    expect(page.locator("#closure")).to_contain_text("Vụ việc đã kết thúc")

    citizen = j.page("citizen")
    citizen.goto(j.status_link)
    expect(citizen.locator("#lookup-result")).to_contain_text("Vụ việc đã kết thúc")


def register_and_report_contain_it(j: Journey) -> None:
    page = j.staff("anlao.vanphong")
    commune_link(page, "Sổ tiếp công dân")
    # The register book (the official form) names the citizen, not the tracking code; the
    # year filter shows the year applied by default.
    expect(labelled(page, "Năm")).to_have_value(str(dt.datetime.now(VN).year))
    row = page.locator("tr", has_text=CITIZEN)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(SUMMARY)
    expect(row).to_contain_text("Đã kết thúc")
    dashboard(page)
    commune_link(page, "Báo cáo định kỳ")
    expect(page.locator("main")).to_contain_text("Khiếu nại")


# -- The test ----------------------------------------------------------------------------------

@pytest.fixture
def product(tmp_path: Path) -> Iterator[Product]:
    running = Product(tmp_path / "var", PORT, JANUS_PORTS)
    running.start()
    yield running
    running.stop()


def test_one_reception_end_to_end_by_clicking(playwright: Playwright, product: Product,
                                              tmp_path: Path) -> None:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    journey = Journey(product, browser)
    step = ""
    try:
        for step_function in (citizen_registers, officer_finds_the_matter_by_name,
                              officer_classifies_and_accepts, officer_proposes_online_reception,
                              chairman_approves,
                              officer_schedules_a_hearing, officer_adds_participants,
                              officer_confirms, today_is_worked,
                              the_chairman_moves_it_to_now,
                              room_is_held, recordings_are_processed, minutes_and_conclusion,
                              bodies_complete_their_tasks, officer_closes_the_matter,
                              register_and_report_contain_it):
            step = step_function.__name__
            step_function(journey)
    except Exception:
        for who, page in journey.pages.items():
            with contextlib.suppress(Exception):  # a page busy with video may not answer
                page.screenshot(path=tmp_path / f"{step}-{who}.png", timeout=5_000)
        print(f"journey stopped at step {step}; screenshots in {tmp_path}\n"  # noqa: T201
              f"{product.log_tail()}")
        raise
    finally:
        browser.close()
