"""Staff API of the register: the paginated entries and the XLSX download."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.factories import staff_user
from tiepdan.core.models import PersonalDataAccess, Role
from tiepdan.intake.register import api

from .conftest import decided

pytestmark = pytest.mark.django_db


def _url(commune, suffix="") -> str:
    return f"/api/v1/staff/communes/{commune.ward_code}/register{suffix}"


def test_it_lists_the_entries_page_by_page(client, login_staff, an_lao, officer, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    matters = [decided(an_lao, officer, outcome) for outcome in ("accept", "guide", "file")]
    login_staff(client, officer)
    first = client.get(_url(an_lao)).json()
    assert (first["count"], first["pages"], first["page"]) == (3, 2, 1)
    item = first["items"][0]
    assert (item["number"], item["matter_id"], item["outcome"]) == (1, matters[0].pk, "accepted")
    assert item["name_address"].startswith("Trần Thị Bình") and item["handled_by"]
    second = client.get(_url(an_lao), {"page": 2}).json()
    assert [i["number"] for i in second["items"]] == [3]
    views = PersonalDataAccess.objects.filter(type="register.register.viewed_via_api",
                                              object_type="register.registerentry", actor=officer)
    assert sorted(v.data["page"] for v in views) == [1, 2]


def test_it_filters_by_outcome(client, login_staff, an_lao, officer):
    decided(an_lao, officer, "accept")
    decided(an_lao, officer, "guide")
    login_staff(client, officer)
    body = client.get(_url(an_lao), {"outcome": "guided"}).json()
    assert [i["outcome"] for i in body["items"]] == ["guided"]
    assert "12/HD-UBND" in body["items"][0]["guided_to"]


def test_a_bad_filter_gets_the_error_shape(client, login_staff, an_lao, officer):
    login_staff(client, officer)
    response = client.get(_url(an_lao), {"kind": "khac"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and "kind" in body["errors"]


def test_it_downloads_the_xlsx(client, login_staff, an_lao, officer):
    decided(an_lao, officer, "accept")
    login_staff(client, officer)
    response = client.get(_url(an_lao, ".xlsx"))
    assert response.status_code == 200 and response.streaming
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet["A1"].value == "SỔ TIẾP CÔNG DÂN" and sheet["A7"].value == 1
    [export] = PersonalDataAccess.objects.filter(type="register.register.exported")
    assert export.actor == officer and (export.data["format"], export.data["rows"]) == ("XLSX", 1)


def test_other_communes_are_forbidden(client, login_staff, an_lao, lac_phuong):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=lac_phuong))
    for suffix in ("", ".xlsx"):
        response = client.get(_url(an_lao, suffix))
        assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_a_city_observer_may_read(client, login_staff, an_lao, officer):
    decided(an_lao, officer, "accept")
    login_staff(client, staff_user(Role.CITY_OBSERVER, commune=an_lao))
    assert client.get(_url(an_lao)).json()["count"] == 1


def test_anonymous_callers_get_401(client, an_lao):
    response = client.get(_url(an_lao))
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_an_unknown_commune_is_not_found(client, login_staff, officer):
    login_staff(client, officer)
    assert client.get("/api/v1/staff/communes/99999/register").status_code == 404
