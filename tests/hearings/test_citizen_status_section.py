"""The citizen's status page shows the hearing invitation: time, place, how to join, the
readiness test and the reply link; nothing once the hearing is cancelled."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tiepdan.hearings import changes
from tiepdan.intake.models import Matter
from tiepdan.intake.status import status_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(ready_hearing, approved_matter):
    return ready_hearing, approved_matter


def test_the_status_page_shows_the_invitation(invited):
    hearing, matter = invited
    html = Client().get(status_path(matter)).content.decode()
    section = html.split('id="status-hearing-section"')[1].split("</section>")[0]
    assert "08 giờ 00, ngày 15/12/2026" in section
    assert "Nhà văn hóa thôn Đông" in section
    assert "/moi/" in section  # the personal reply link
    assert "Kiểm tra camera, micro, loa và đường truyền" in section  # asked to be heard online


def test_a_cancelled_hearing_is_not_shown(invited, officer):
    hearing, matter = invited
    changes.cancel(hearing, actor=officer, reason="Chủ tịch đi công tác đột xuất")
    html = Client().get(status_path(matter)).content.decode()
    assert 'id="status-hearing-section"' not in html


def test_a_matter_not_on_the_agenda_shows_no_invitation(ready_hearing, an_lao, form_data):
    Client().post(reverse("intake:register", args=[an_lao.ward_code]),
                  {**form_data, "phone": "0912000202", "summary": "Một việc khác"})
    other = Matter.objects.exclude(hearing_items__hearing=ready_hearing).get()
    html = Client().get(status_path(other)).content.decode()
    assert "Một việc khác" in html or other.tracking_code in html
    assert 'id="status-hearing-section"' not in html
