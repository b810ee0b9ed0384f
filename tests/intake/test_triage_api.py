"""POST /api/v1/staff/communes/{ward_code}/matters/{id}/transitions."""

from __future__ import annotations

import pytest

from tests.builders import make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import MatterStatus, TriageRecord

pytestmark = pytest.mark.django_db

CLASSIFY = {"action": "classify", "kind": "to_cao", "field_of_law": "Đất đai",
            "reason": "Tố cáo hành vi vi phạm của cán bộ địa chính"}


def _url(matter, ward_code=None):
    ward = ward_code or matter.commune.ward_code
    return f"/api/v1/staff/communes/{ward}/matters/{matter.pk}/transitions"


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def officer_client(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    return client


def test_it_classifies_and_returns_the_new_status(officer_client, an_lao):
    matter = make_matter(an_lao)
    response = _post(officer_client, _url(matter), CLASSIFY)
    assert response.status_code == 200
    assert response.json() == {"id": matter.pk, "tracking_code": matter.tracking_code,
                               "status": "triaged", "kind": "to_cao"}


def test_it_decides_and_refuses(officer_client, an_lao):
    matter = make_matter(an_lao, "triaged")
    response = _post(officer_client, _url(matter), {
        "action": "decide", "outcome": "forward", "competent_body": "Sở Xây dựng",
        "letter_number": "41/UBND-VP", "reason": "Thuộc thẩm quyền của Sở"})
    assert (response.status_code, response.json()["status"]) == (200, "forwarded")
    other = make_matter(an_lao)
    response = _post(officer_client, _url(other), {
        "action": "refuse", "ground": "weapons", "reason": "Mang theo dao"})
    assert (response.status_code, response.json()["status"]) == (200, "refused")


def test_an_illegal_transition_is_409(officer_client, an_lao):
    matter = make_matter(an_lao, "accepted")
    response = _post(officer_client, _url(matter), {
        "action": "refuse", "ground": "inciting", "reason": "Gây rối"})
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert "Không thể chuyển hồ sơ" in response.json()["message"]


@pytest.mark.parametrize(("body", "field"), [
    pytest.param({"action": "classify", "kind": "khieu_nai", "field_of_law": "Đất đai",
                  "reason": "x"}, "complaint_round", id="complaint-without-round"),
    pytest.param({"action": "decide", "outcome": "accept", "reason": "x"},
                 "within_competence", id="accept-outside-competence"),
    pytest.param({"action": "refuse", "ground": "busy", "reason": "x"}, "ground",
                 id="ground-outside-the-law"),
    pytest.param({"action": "reopen", "reason": "x"}, "action", id="unknown-action"),
    pytest.param({"action": "classify", "kind": "to_cao", "field_of_law": "Đất đai"},
                 "reason", id="no-reason"),
    pytest.param({**CLASSIFY, "reason": " "}, "reason", id="blank-reason"),
])
def test_invalid_input_is_422(officer_client, an_lao, body, field):
    matter = make_matter(an_lao)
    response = _post(officer_client, _url(matter), body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW


@pytest.mark.parametrize("role", [Role.CITY_OBSERVER, Role.DEPARTMENT_REP, Role.VICE_CHAIRMAN])
def test_without_the_triage_permission_it_is_403(client, login_staff, an_lao, role):
    login_staff(client, staff_user(role, commune=an_lao))
    matter = make_matter(an_lao)
    response = _post(client, _url(matter), CLASSIFY)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not TriageRecord.objects.exists()


def test_another_commune_matter_is_404(officer_client, an_lao, lac_phuong):
    matter = make_matter(lac_phuong)
    assert _post(officer_client, _url(matter), CLASSIFY).status_code == 404
    # Nor through the officer's own commune in the URL.
    assert _post(officer_client, _url(matter, an_lao.ward_code), CLASSIFY).status_code == 404
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW


def test_anonymous_callers_are_401(client, an_lao):
    matter = make_matter(an_lao)
    assert _post(client, _url(matter), CLASSIFY).status_code == 401


def test_it_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/staff/communes/{ward_code}/matters/{matter_id}/transitions"]
