"""A department representative opens the follow-up board in a real browser, finds the task of
their body (overdue-soon marked), and posts a progress update with a PDF; the office sees it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import samples
from tests.builders import make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.followup import services
from tiepdan.followup.models import Body, TaskUpdate

pytestmark = pytest.mark.browser


@pytest.fixture
def rep(an_lao):
    return staff_user(Role.DEPARTMENT_REP, commune=an_lao, first_name="Văn Phòng Ban",
                      last_name="Hoàng")


@pytest.fixture
def task(an_lao, officer, chairman, rep):
    # Heard and concluded three weeks ago; the tasks are assigned today.
    matter = make_matter(an_lao, "concluded", officer=officer, chairman=chairman,
                         since=timezone.now() - dt.timedelta(days=21))
    land = Body.objects.create(commune=an_lao, name="Công chức Địa chính – Xây dựng")
    land.members.add(rep)
    other = Body.objects.create(commune=an_lao, name="Công chức Văn hóa – Xã hội")
    services.create_task(matter, title="Tuyên truyền an toàn giao thông", body=other,
                         due_working_days=10, actor=officer)
    return services.create_task(matter, title="Sửa đoạn đường liên thôn bị sạt lở", body=land,
                                due_working_days=1, actor=officer)


def test_a_department_rep_posts_progress_with_a_file(
        page: Page, live_server, staff_login, rep, task, an_lao, tmp_path: Path):
    report = tmp_path / "bien-ban-khao-sat.pdf"
    report.write_bytes(samples.pdf_bytes(2))
    staff_login(rep)
    page.get_by_role("link", name="Theo dõi thực hiện kết luận").click()
    expect(page.locator("h1")).to_contain_text("Theo dõi thực hiện kết luận")
    # Only the rep's own body is on the board, with the task due tomorrow marked.
    expect(page.locator("section.body-group")).to_have_count(1)
    row = page.locator("tr.task", has_text="Sửa đoạn đường liên thôn bị sạt lở")
    expect(row.locator(".badge.due-soon")).to_be_visible()
    expect(page.get_by_text("Tuyên truyền an toàn giao thông")).to_have_count(0)

    row.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Sửa đoạn đường liên thôn bị sạt lở")
    page.get_by_label("Nội dung cập nhật").fill("Đã khảo sát hiện trường, lập biên bản.")
    page.get_by_label("Tiến độ (%)").fill("40")
    page.get_by_label(re.compile("^Tệp kèm theo")).set_input_files(report)
    page.get_by_role("button", name="Gửi cập nhật").click()

    expect(page.get_by_text("Đã ghi nhận cập nhật tiến độ.")).to_be_visible()
    expect(page.locator("#task-status")).to_contain_text("40%")
    expect(page.locator("#updates")).to_contain_text("Đã khảo sát hiện trường")
    expect(page.locator("#updates").get_by_role("link", name="bien-ban-khao-sat.pdf")
           ).to_be_visible()
    update = TaskUpdate.objects.get()
    assert (update.author, update.progress) == (rep, 40)
    assert update.attachments.get().pages == 2
