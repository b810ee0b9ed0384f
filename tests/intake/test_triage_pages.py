"""The triage panel of the matter page and its forms: the office officer triages, readers only
read, another commune's matter does not exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.builders import COMPLAINT, make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import MatterStatus, TriageRecord
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(an_lao):
    return make_matter(an_lao, since=dt.datetime(2026, 2, 13, 9, 30, tzinfo=VN_TZ), **COMPLAINT)


@pytest.fixture
def officer_client(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    return client


def _url(name, matter):
    return reverse(f"intake:{name}", args=[matter.commune.ward_code, matter.pk])


CLASSIFY = {"classify-kind": "khieu_nai", "classify-field_of_law": "Đất đai",
            "classify-complaint_round": "first", "classify-reason": "Khiếu nại QĐ thu hồi đất"}


def test_the_matter_page_loads_the_triage_panel(officer_client, matter):
    body = officer_client.get(_url("matter", matter)).content.decode()
    assert f'hx-get="{_url("triage_panel", matter)}"' in body


def test_the_officer_sees_deadlines_and_the_allowed_actions(officer_client, matter, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 8, tzinfo=VN_TZ))
    response = officer_client.get(_url("triage_panel", matter), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # a fragment for htmx
    assert 'class="badge overdue"' in body  # complaint acceptance was due on 03/03
    assert 'class="badge due-soon"' in body  # the notice is due on 06/03
    assert "bỏ qua 16/02–20/02 (Tết Nguyên đán)" in body
    assert 'id="triage-classify"' in body and 'id="triage-refuse"' in body
    assert 'id="triage-decide"' not in body  # not before classification
    assert "csrfmiddlewaretoken" in body


def test_without_javascript_the_panel_is_a_page(officer_client, matter):
    body = officer_client.get(_url("triage_panel", matter)).content.decode()
    assert "<html" in body and matter.tracking_code in body


def test_the_officer_classifies_then_accepts(officer_client, matter):
    response = officer_client.post(_url("triage_classify", matter), CLASSIFY)
    assert response.status_code == 302
    assert response["Location"] == _url("matter", matter)
    matter.refresh_from_db()
    assert (matter.status, matter.field_of_law, matter.complaint_round) == (
        MatterStatus.TRIAGED, "Đất đai", "first")
    response = officer_client.post(_url("triage_decide", matter), {
        "decide-outcome": "accept", "decide-within_competence": "on",
        "decide-reason": "Thuộc thẩm quyền của Chủ tịch UBND xã"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.ACCEPTED
    assert not matter.deadlines.filter(open=True).exists()


def test_the_officer_refuses_at_reception(officer_client, matter):
    response = officer_client.post(_url("triage_refuse", matter), {
        "refuse-ground": "persistent", "refuse-reason": "Đã được trả lời bằng văn bản số 5"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert (matter.status, matter.refusal_ground) == (MatterStatus.REFUSED, "persistent")


def test_it_shows_the_errors_of_an_invalid_form(officer_client, matter):
    response = officer_client.post(_url("triage_classify", matter),
                                   {**CLASSIFY, "classify-complaint_round": "",
                                    "classify-reason": ""})
    body = response.content.decode()
    assert response.status_code == 422
    assert "errorlist" in body
    assert "Trường này là bắt buộc." in body
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW


def test_it_shows_the_service_rule_on_its_field(officer_client, matter):
    response = officer_client.post(_url("triage_classify", matter),
                                   {**CLASSIFY, "classify-complaint_round": ""})
    assert response.status_code == 422
    assert "Cần chọn khiếu nại lần đầu hay lần hai." in response.content.decode()


def test_an_illegal_transition_is_a_conflict(officer_client, matter):
    response = officer_client.post(_url("triage_decide", matter), {
        "decide-outcome": "file", "decide-reason": "Lưu"})
    assert response.status_code == 409
    assert "Không thể chuyển hồ sơ" in response.content.decode()
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW


@pytest.mark.parametrize("role", [Role.CITY_OBSERVER, Role.DEPARTMENT_REP, Role.CHAIRMAN,
                                  Role.COMMUNE_POLICE])
def test_readers_get_403_on_every_action(client, login_staff, an_lao, matter, role):
    login_staff(client, staff_user(role, commune=an_lao))
    for name, data in (("triage_classify", CLASSIFY),
                       ("triage_decide", {"decide-outcome": "file", "decide-reason": "x"}),
                       ("triage_refuse", {"refuse-ground": "inciting", "refuse-reason": "x"})):
        assert client.post(_url(name, matter), data).status_code == 403, name
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW
    assert not TriageRecord.objects.exists()


def test_readers_see_deadlines_but_no_forms(client, login_staff, city, matter):
    login_staff(client, staff_user(Role.CITY_OBSERVER, city=city))
    body = client.get(_url("triage_panel", matter), HTTP_HX_REQUEST="true").content.decode()
    assert "Thông báo kết quả xử lý cho công dân" in body
    assert "<form" not in body


def test_another_commune_matter_is_not_found(client, login_staff, lac_phuong, matter):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=lac_phuong))
    assert client.get(_url("triage_panel", matter)).status_code == 404
    assert client.post(_url("triage_classify", matter), CLASSIFY).status_code == 404
    swapped = reverse("intake:triage_classify", args=[lac_phuong.ward_code, matter.pk])
    assert client.post(swapped, CLASSIFY).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, matter):
    response = client.post(_url("triage_refuse", matter), {})
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_a_post_without_the_csrf_token_is_refused(officer_client, matter):
    officer_client.handler.enforce_csrf_checks = True
    assert officer_client.post(_url("triage_classify", matter), CLASSIFY).status_code == 403
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW


def test_the_forms_need_a_post(officer_client, matter):
    assert officer_client.get(_url("triage_classify", matter)).status_code == 405


def test_the_history_shows_who_when_and_why(client, login_staff, an_lao, matter, time_machine):
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao, last_name="Lê", first_name="Thị Hoa")
    login_staff(client, officer)
    time_machine.move_to(dt.datetime(2026, 2, 24, 14, 5, tzinfo=VN_TZ), tick=False)
    client.post(_url("triage_classify", matter), CLASSIFY)
    body = client.get(_url("triage_panel", matter), HTTP_HX_REQUEST="true").content.decode()
    assert "24/02/2026 14:05 · Phân loại đơn: Mới tiếp nhận → Đã phân loại" in body
    assert "Lê Thị Hoa" in body
    assert "Khiếu nại QĐ thu hồi đất" in body
