"""The citizen's one status page: from the lookup or a personal signed link, with the timeline,
the next legal deadline in plain words and the receipt PDF; nothing identifying for a sealed
denunciation; 404 for anything wrong."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.intake.status import status_path, status_token
from tiepdan.intake.triage import state_machine as triage

from .identity_helpers import NAME, PHONE, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(client, an_lao, form_data):
    client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    return Matter.objects.get()


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_personal_link_opens_the_page_on_any_device(matter):
    response = Client().get(status_path(matter))
    assert response.status_code == 200
    html = response.content.decode()
    assert matter.tracking_code in html
    assert "đang chờ cán bộ xem xét" in html
    assert response["Cache-Control"] == "private, no-store"


def test_the_lookup_shows_the_same_page(client, matter):
    response = client.post(reverse("intake:lookup"),
                           {"code": matter.tracking_code, "phone": "0912000101"})
    assert response.status_code == 200
    assert 'id="timeline"' in response.content.decode()


def test_it_tells_the_next_legal_deadline_in_plain_words(matter):
    deadline = matter.deadlines.get(rule_key="notify_outcome")  # computed by the engine
    html = Client().get(status_path(matter)).content.decode()
    assert (f"UBND xã phải thông báo kết quả xử lý đơn cho bạn trước ngày "
            f"{deadline.due:%d/%m/%Y}.") in html


def test_the_timeline_lists_each_step_with_its_date(matter, an_lao):
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    triage.transition(matter.pk, MatterStatus.TRIAGED, actor=officer,
                      reason="Lý do nội bộ không hiện cho công dân")
    html = Client().get(status_path(matter)).content.decode()
    timeline = html.split('id="timeline"')[1].split("</ol>")[0]
    assert "Đơn được tiếp nhận" in timeline and "Đơn được phân loại" in timeline
    assert f"{timezone.localtime(matter.received_at):%d/%m/%Y}" in timeline  # the commune's day
    assert "Lý do nội bộ" not in html


def test_the_receipt_pdf_is_downloaded_again_with_the_consent(matter):
    response = Client().get(reverse("intake:status_receipt", args=[status_token(matter)]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert matter.tracking_code in text
    assert "GIẤY BIÊN NHẬN" in text
    assert "91/2025/QH15" in text


def test_a_sealed_denunciation_shows_nothing_identifying(an_lao):
    matter = register(an_lao)
    assert matter.identity_sealed
    client = Client()
    html = client.get(status_path(matter)).content.decode()
    pdf = _pdf_text(client.get(
        reverse("intake:status_receipt", args=[status_token(matter)])).content)
    for secret in (NAME, "031185000101", "0912 000 101", "Lý Văn Tố", "thu tiền trái phép"):
        assert secret not in html, secret
        assert secret not in pdf, secret
    assert matter.tracking_code in html and matter.tracking_code in pdf


def test_a_sealed_denunciation_is_found_by_code_and_phone(client, an_lao):
    matter = register(an_lao)
    response = client.post(reverse("intake:lookup"),
                           {"code": matter.tracking_code, "phone": PHONE})
    assert response.status_code == 200
    assert NAME not in response.content.decode()


@pytest.mark.parametrize("token", [
    "1:forged", "abc", "1z:" + "A" * 43, "",
], ids=["forged", "unsigned", "bad-signature", "empty"])
def test_a_bad_token_is_404(matter, token):
    url = reverse("intake:status", args=["x"]).replace("x", token) if token else "/ho-so//"
    response = Client().get(url)
    assert response.status_code == 404
    assert matter.summary not in response.content.decode()


def test_a_token_of_another_kind_is_refused(matter):
    from django.core import signing

    other_salt = signing.Signer(salt="tiepdan.hearings.invitation").sign(
        signing.b62_encode(matter.pk))
    assert Client().get(reverse("intake:status", args=[other_salt])).status_code == 404
    assert Client().get(reverse("intake:status_receipt", args=[other_salt])).status_code == 404


def test_a_deleted_matter_link_is_404(matter):
    path = status_path(matter)
    Matter.objects.filter(pk=matter.pk).update(tracking_code="XXXX-XXXX-XXXX")
    assert Client().get(path).status_code == 200  # the link follows the matter, not the code
    token = status_token(Matter(pk=matter.pk + 1000))
    assert Client().get(reverse("intake:status", args=[token])).status_code == 404
