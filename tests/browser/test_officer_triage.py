"""An office officer triages a new matter in a real browser: classify, then an illegal
decision refused with a Vietnamese message, then accept; the status, history and deadlines
follow, and the citizen's public status changes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from tiepdan.intake.models import Matter, MatterStatus, TriageRecord

pytestmark = pytest.mark.browser


@pytest.fixture
def matter(an_lao, form_data):
    Client().post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    return Matter.objects.get()


def test_an_officer_classifies_and_accepts_a_matter(page: Page, live_server, staff_login,
                                                   officer, matter, an_lao):
    staff_login(officer)
    page.goto(live_server.url + reverse("intake:inbox", args=[an_lao.ward_code]))
    page.get_by_role("link", name=matter.tracking_code).click()
    expect(page.locator("h1")).to_contain_text(matter.tracking_code)

    classify = page.locator("#triage-classify")  # loaded into the page by htmx
    classify.get_by_label("Loại đơn").select_option("kien_nghi")
    classify.get_by_label(re.compile("^Lĩnh vực")).select_option("Giao thông")
    classify.get_by_label(re.compile("^Lý do, căn cứ")).fill("Kiến nghị sửa đường liên thôn")
    classify.get_by_role("button", name="Lưu phân loại").click()
    expect(page.locator("h1 + p .badge")).to_have_text("Đã phân loại")

    decide = page.locator("#triage-decide")
    decide.get_by_label("Hướng xử lý").select_option("accept")
    decide.get_by_label(re.compile("^Lý do, căn cứ")).fill("Thuộc thẩm quyền của xã")
    decide.get_by_role("button", name="Ghi hướng xử lý").click()  # competence not ticked
    expect(page.get_by_text("Chỉ thụ lý vụ việc thuộc thẩm quyền của Ủy ban nhân dân xã."))\
        .to_be_visible()
    matter.refresh_from_db()
    assert matter.status == MatterStatus.TRIAGED  # nothing applied

    decide = page.locator("#triage-decide")
    decide.get_by_label("Hướng xử lý").select_option("accept")
    decide.get_by_label(re.compile("^Thuộc thẩm quyền")).check()
    decide.get_by_label(re.compile("^Lý do, căn cứ")).fill("Thuộc thẩm quyền của xã")
    decide.get_by_role("button", name="Ghi hướng xử lý").click()
    expect(page.locator("h1 + p .badge")).to_have_text("Đã thụ lý")
    expect(page.locator(".triage-history li")).to_have_count(2)
    expect(page.locator(".triage-history")).to_contain_text("Thuộc thẩm quyền của xã")

    matter.refresh_from_db()
    assert matter.status == MatterStatus.ACCEPTED
    assert matter.field_of_law == "Giao thông" and matter.within_competence
    assert list(TriageRecord.objects.filter(matter=matter).values_list("to_status", flat=True)
                ) == ["triaged", "accepted"]
    # The citizen's public status follows, in plain Vietnamese.
    lookup = Client().post(reverse("intake:lookup"), {"code": matter.tracking_code,
                                                      "phone": "0912000101"})
    assert "Đơn đã được thụ lý để giải quyết." in lookup.content.decode()
