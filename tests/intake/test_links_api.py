"""Staff API: /api/v1/staff/communes/{ward}/matters/{id}/split, duplicate-suggestions,
duplicate-links, duplicate-dismissals and merge."""

from __future__ import annotations

import pytest

from tests.builders import COMPLAINT, make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import (
    DuplicateDismissal,
    GroupMember,
    Matter,
    MatterKind,
    MatterLink,
    MatterStatus,
)

from .test_duplicates import LAND, ROAD, ROAD_RETYPED, petition

pytestmark = pytest.mark.django_db

DENUNCIATION = {"kind": "to_cao", "summary": "Tố cáo cán bộ địa chính nhận tiền",
                "content": "Cán bộ địa chính nhận tiền để làm nhanh hồ sơ."}


def _url(matter, action):
    return f"/api/v1/staff/communes/{matter.commune.ward_code}/matters/{matter.pk}/{action}"


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def officer_client(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    return client


@pytest.fixture
def reader_client(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.CITY_OBSERVER, commune=an_lao))
    return client


def test_split_creates_the_parts(officer_client, an_lao):
    matter = make_matter(an_lao, **COMPLAINT)
    response = _post(officer_client, _url(matter, "split"), {
        "parts": [DENUNCIATION], "reason": "Đơn có hai nội dung",
        "remaining": {"kind": "khieu_nai", "summary": "Khiếu nại thu hồi đất",
                      "content": "Khiếu nại quyết định thu hồi đất."}})
    assert response.status_code == 201
    body = response.json()
    [created] = body["created"]
    assert created["kind"] == "to_cao" and created["status"] == "new"
    assert body["original"] == {"id": matter.pk, "tracking_code": matter.tracking_code,
                                "status": "new", "kind": "khieu_nai"}
    assert Matter.objects.get(pk=created["id"]).tracking_code == created["tracking_code"]


def test_split_with_a_bad_part_is_an_error_and_saves_nothing(officer_client, an_lao):
    matter = make_matter(an_lao)
    response = _post(officer_client, _url(matter, "split"), {
        "parts": [DENUNCIATION, {**DENUNCIATION, "summary": ""}], "reason": "Tách"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"]["parts.1.summary"][0]["message"] == "Cần ghi tóm tắt nội dung."
    assert Matter.objects.count() == 1


def test_suggestions_list_reasons_and_scores(officer_client, an_lao):
    earlier = petition(an_lao, ROAD)
    later = petition(an_lao, ROAD_RETYPED)
    response = officer_client.get(_url(later, "duplicate-suggestions"))
    assert response.status_code == 200
    [item] = response.json()
    assert item["matter"]["id"] == earlier.pk
    assert item["reasons"] == ["similar_content"]
    assert item["reason_labels"] == ["Nội dung gần giống"]
    assert item["score"] >= 80


def test_link_and_dismiss(officer_client, an_lao):
    earlier = petition(an_lao, ROAD)
    later = petition(an_lao, ROAD_RETYPED)
    other = petition(an_lao, LAND, phone=later.phone)
    response = _post(officer_client, _url(later, "duplicate-links"),
                     {"other_id": earlier.pk, "reason": "Cùng đoạn đường"})
    assert response.status_code == 201
    assert response.json() | {"id": 0} == {"id": 0, "from_matter_id": later.pk,
                                           "to_matter_id": earlier.pk, "kind": "duplicate_of"}
    again = _post(officer_client, _url(earlier, "duplicate-links"), {"other_id": later.pk})
    assert (again.status_code, again.json()["code"]) == (409, "already_linked")
    response = _post(officer_client, _url(later, "duplicate-dismissals"),
                     {"other_id": other.pk})
    assert response.status_code == 201
    assert officer_client.get(_url(later, "duplicate-suggestions")).json() == []


def test_a_matter_of_another_commune_cannot_be_linked(officer_client, an_lao, lac_phuong):
    mine = petition(an_lao, ROAD)
    theirs = petition(lac_phuong, ROAD)
    response = _post(officer_client, _url(mine, "duplicate-links"), {"other_id": theirs.pk})
    assert response.status_code == 422
    assert "other_id" in response.json()["errors"]
    assert _post(officer_client, _url(theirs, "duplicate-links"),
                 {"other_id": mine.pk}).status_code == 404
    assert not MatterLink.objects.exists()


def test_merge(officer_client, an_lao):
    group = petition(an_lao, ROAD, group_size=5)
    members = [petition(an_lao, ROAD_RETYPED), petition(an_lao, ROAD_RETYPED, "triaged")]
    response = _post(officer_client, _url(group, "merge"), {
        "member_ids": [m.pk for m in members], "reason": "Thành viên của đoàn"})
    assert response.status_code == 200
    body = response.json()
    assert body["group_size"] == 7
    assert [m["status"] for m in body["merged"]] == ["filed", "filed"]


def test_an_illegal_merge_changes_nothing(officer_client, an_lao):
    group = petition(an_lao, ROAD, group_size=5)
    good = petition(an_lao, ROAD_RETYPED)
    other_kind = petition(an_lao, ROAD_RETYPED, kind=MatterKind.PHAN_ANH)
    response = _post(officer_client, _url(group, "merge"), {
        "member_ids": [good.pk, other_kind.pk], "reason": "Thành viên"})
    assert response.status_code == 422
    assert "khác loại đơn" in response.json()["errors"]["member_ids"][0]["message"]
    good.refresh_from_db()
    assert good.status == MatterStatus.NEW and not GroupMember.objects.exists()


@pytest.mark.parametrize(("method", "action", "body"), [
    ("post", "split", {"parts": [DENUNCIATION], "reason": "Tách"}),
    ("get", "duplicate-suggestions", None),
    ("post", "duplicate-links", {"other_id": 0}),
    ("post", "duplicate-dismissals", {"other_id": 0}),
    ("post", "merge", {"member_ids": [0], "reason": "Gộp"}),
])
def test_a_read_only_role_is_forbidden(reader_client, an_lao, method, action, body):
    matter = petition(an_lao, ROAD, group_size=5)
    other = petition(an_lao, ROAD_RETYPED)
    if body:
        body = {k: ([other.pk] if v == [0] else other.pk if v == 0 else v)
                for k, v in body.items()}
        response = _post(reader_client, _url(matter, action), body)
    else:
        response = reader_client.get(_url(matter, action))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Matter.objects.count() == 2
    assert not MatterLink.objects.exists() and not DuplicateDismissal.objects.exists()
