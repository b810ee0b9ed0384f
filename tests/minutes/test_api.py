"""The minutes and conclusions API: the same flows as the pages, the shared error shape, and
the commune's boundary."""

from __future__ import annotations

import json

import pytest

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import MatterStatus

pytestmark = pytest.mark.django_db


def _send(client, method: str, url: str, body=None):  # noqa: ANN001, ANN202
    return getattr(client, method)(url, data=json.dumps(body or {}),
                                   content_type="application/json")


@pytest.fixture
def base(hearing):
    return f"/api/v1/staff/communes/{hearing.commune.ward_code}/hearings/{hearing.pk}"


def test_minutes_flow_through_the_api(client, login_staff, officer, base,
                                      django_capture_on_commit_callbacks):
    login_staff(client, officer)
    assert client.get(f"{base}/minutes").json() == {"current": None, "versions": []}
    created = _send(client, "post", f"{base}/minutes")
    assert created.status_code == 201, created.content
    current = created.json()["current"]
    assert current["version"] == 1 and current["status"] == "draft"
    assert current["timeline"][3]["clock"] == "00:05:12"
    assert current["timeline"][3]["link"].endswith("/ban-ghi/#t=312")
    assert set(current["missing"]) == {"proceedings", "chair_conclusion"}

    refused = _send(client, "post", f"{base}/minutes/finalise")
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "validation_error"
    assert body["errors"]["proceedings"][0]["message"] == "Ghi diễn biến buổi tiếp."

    put = _send(client, "put", f"{base}/minutes", {
        "proceedings": "Công dân trình bày.", "chair_conclusion": "Giao kiểm tra."})
    assert put.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        final = _send(client, "post", f"{base}/minutes/finalise")
    assert final.status_code == 200
    assert final.json()["current"]["status"] == "final"
    got = client.get(f"{base}/minutes").json()
    assert got["current"]["document"]["symbol"] == "01/BB-UBND"

    locked = _send(client, "put", f"{base}/minutes", {"proceedings": "Sửa"})
    assert locked.status_code == 409 and locked.json()["code"] == "minutes_final"
    again = _send(client, "post", f"{base}/minutes/new-version")
    assert again.status_code == 201
    versions = again.json()["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [(2, "draft"), (1, "final")]


def test_conclusion_flow_through_the_api(client, login_staff, chairman, base, recommendation,
                                         django_capture_on_commit_callbacks):
    login_staff(client, chairman)
    bad = _send(client, "post", f"{base}/conclusions", {
        "matter": recommendation.tracking_code, "outcome": "assigned", "directions": "X"})
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"responsible_bodies", "deadline_working_days"}
    created = _send(client, "post", f"{base}/conclusions", {
        "matter": recommendation.tracking_code, "outcome": "assigned",
        "directions": "Giao Phòng Kinh tế kiểm tra.", "deadline_working_days": 10,
        "responsible_bodies": [{"name": "Phòng Kinh tế xã", "email": "kinhte@example.org"}]})
    assert created.status_code == 201, created.content
    conclusion = created.json()
    assert conclusion["due_date"] == "2026-12-29"
    with django_capture_on_commit_callbacks(execute=True):
        issued = _send(client, "post",
                       f"{base}/conclusions/{conclusion['id']}/issue-notice")
    assert issued.status_code == 200, issued.content
    assert issued.json()["notice"]["symbol"] == "02/TB-UBND"
    assert issued.json()["matter_status"] == MatterStatus.CONCLUDED
    listed = client.get(f"{base}/conclusions").json()
    assert [c["matter"] for c in listed] == [recommendation.tracking_code]
    twice = _send(client, "post", f"{base}/conclusions/{conclusion['id']}/issue-notice")
    assert twice.status_code == 409


def test_the_api_keeps_to_the_commune(client, login_staff, hearing, base, lac_phuong, an_lao):
    stranger = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong)
    login_staff(client, stranger)
    assert client.get(f"{base}/minutes").status_code == 403
    assert _send(client, "post", f"{base}/minutes").status_code == 403
    own = f"/api/v1/staff/communes/{lac_phuong.ward_code}/hearings/{hearing.pk}/minutes"
    assert client.get(own).status_code == 404


def test_read_only_roles_get_but_do_not_post(client, login_staff, an_lao, base, officer,
                                             hearing):
    from tiepdan.minutes import services

    services.draft_minutes(hearing, actor=officer)
    observer = staff_user(Role.CITY_OBSERVER, city=an_lao.city)
    login_staff(client, observer)
    assert client.get(f"{base}/minutes").status_code == 200
    response = _send(client, "put", f"{base}/minutes", {"proceedings": "x"})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert _send(client, "post", f"{base}/conclusions", {
        "matter": "X", "outcome": "resolved", "directions": "x"}).status_code == 403


def test_anonymous_is_unauthenticated(client, base):
    assert client.get(f"{base}/minutes").status_code == 401
