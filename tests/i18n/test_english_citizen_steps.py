"""The guided registration and the status page in English."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.intake.steps_helpers import check_url, fill_all, step_url
from tiepdan.intake.models import Matter
from tiepdan.intake.status import status_path

from .test_english_locale import switch_to, visible_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("slug", "phrases"), [
    ("loai-don", ["What kind of petition do you want to send?", "Step 1 of 7", "Example:",
                  "not heard online", "Continue", "Back"]),
    ("nguoi-gui", ["About you", "Step 2 of 7"]),
    ("tai-lieu", ["Uploaded files", "No files yet.", "Choose files to upload"]),
    ("dong-y", ["Law on Personal Data Protection No. 91/2025/QH15",
                "I have read and agree to the text above"]),
], ids=["kind", "person", "documents", "consent"])
def test_the_steps_are_in_english(client, an_lao, slug, phrases):
    switch_to(client, "en")
    text = visible_text(client.get(step_url(an_lao, slug)))
    missing = [p for p in phrases if p not in text]
    assert not missing, text
    for vietnamese in ("Bước", "Tiếp tục", "Quay lại", "Ví dụ"):
        assert vietnamese not in text


def test_check_answers_and_the_status_page_are_in_english(client, an_lao):
    fill_all(client, an_lao)
    switch_to(client, "en")
    text = visible_text(client.get(check_url(an_lao)))
    assert "Check your answers before sending" in text and "Change" in text
    response = client.post(check_url(an_lao), {"draft": client.get(check_url(an_lao))
                                               .context["draft"].pk})
    assert response.status_code == 302
    other = Client()
    switch_to(other, "en")
    text = visible_text(other.get(status_path(Matter.objects.get())))
    for phrase in ("History", "The petition was received", "Download the receipt (PDF)",
                   "Next step", "before"):
        assert phrase in text, text
    assert "Quá trình xử lý" not in text


def test_a_refused_draft_is_explained_in_english(client, an_lao):
    switch_to(client, "en")
    text = visible_text(client.post(reverse("intake:check", args=[an_lao.ward_code]),
                                    {"draft": "1"}))
    assert "Your draft petition has expired" in text
