"""Every triage action ends with a message saying what happened and what comes next."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.builders import COMPLAINT, make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db

CLASSIFY = {"classify-kind": "khieu_nai", "classify-field_of_law": "Đất đai",
            "classify-complaint_round": "first", "classify-reason": "Khiếu nại QĐ thu hồi đất"}


@pytest.fixture
def officer_client(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    return client


@pytest.fixture
def matter(an_lao):
    return make_matter(an_lao, **COMPLAINT)


def _url(name, matter):
    return reverse(f"intake:{name}", args=[matter.commune.ward_code, matter.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_classifying_says_what_was_done_and_that_a_decision_comes_next(officer_client, matter):
    response = officer_client.post(_url("triage_classify", matter), CLASSIFY, follow=True)
    body = response.content.decode()  # shown on the matter page it redirects to
    assert f"Đã phân loại hồ sơ {matter.tracking_code}: Khiếu nại." in body
    assert "Tiếp theo: quyết định hướng xử lý" in body


def test_accepting_points_to_the_online_proposal(officer_client, matter):
    officer_client.post(_url("triage_classify", matter), CLASSIFY, follow=True)
    response = officer_client.post(_url("triage_decide", matter), {
        "decide-outcome": "accept", "decide-within_competence": "on",
        "decide-reason": "Thuộc thẩm quyền"})
    assert response.status_code == 302
    [message] = _messages(response)
    assert message.startswith(f"Đã ghi hướng xử lý hồ sơ {matter.tracking_code}: Đã thụ lý.")
    assert "đề xuất tiếp trực tuyến" in message


def test_refusing_points_to_the_refusal_notice(officer_client, matter):
    response = officer_client.post(_url("triage_refuse", matter), {
        "refuse-ground": "persistent", "refuse-reason": "Đã được trả lời bằng văn bản số 5"})
    [message] = _messages(response)
    assert "Đã ghi từ chối tiếp công dân" in message and "01/TCD" in message


def test_a_refused_action_shows_no_success_message(officer_client, matter):
    response = officer_client.post(_url("triage_decide", matter), {
        "decide-outcome": "accept", "decide-reason": "Thụ lý"})  # not classified yet
    assert response.status_code in (409, 422)
    assert _messages(response) == []


def test_dismissing_a_duplicate_says_what_comes_next(officer_client, an_lao, matter):
    other = make_matter(an_lao)
    response = officer_client.post(_url("dismiss_duplicate", matter),
                                   {"other": other.pk, "reason": "Khác nội dung"})
    [message] = _messages(response)
    assert other.tracking_code in message and "Tiếp tục phân loại" in message


def test_the_htmx_panel_shows_a_message_still_pending(officer_client, matter):
    officer_client.post(_url("triage_classify", matter), CLASSIFY)  # not followed: pending
    fragment = officer_client.get(_url("triage_panel", matter), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert body.count("Tiếp theo: quyết định hướng xử lý") == 1
    again = officer_client.get(_url("triage_panel", matter), HTTP_HX_REQUEST="true")
    assert "Tiếp theo: quyết định hướng xử lý" not in again.content.decode()
