"""The report pages: a commune's report with its charts, the city dashboard comparing communes,
clear messages for an empty or invalid period, and who may open which."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role

from .conftest import at, received

pytestmark = pytest.mark.django_db

Q4 = {"kind": "quarter", "year": 2026, "number": 4}


@pytest.fixture
def some_matters(an_lao, lac_phuong):
    received(an_lao, at("2026-10-05"), kind="khieu_nai", field_of_law="Đất đai")
    received(an_lao, at("2026-10-06"), kind="to_cao", channel="assisted")
    for day in ("2026-10-07", "2026-10-08", "2026-10-09"):
        received(lac_phuong, at(day), kind="kien_nghi")


def _commune_page(client, commune, **query):
    return client.get(reverse("reports:commune", args=[commune.ward_code]), query)


def test_the_commune_report_shows_figures_and_svg_charts(client, login_staff, officer, an_lao,
                                                         some_matters, clock):
    login_staff(client, officer)
    response = _commune_page(client, an_lao, **Q4)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Quý IV năm 2026" in page
    charts = re.findall(r'<svg[^>]*class="chart"[^>]*role="img".*?</svg>', page, re.S)
    assert len(charts) >= 3
    kinds = next(c for c in charts if "Đơn tiếp nhận theo loại" in c)
    assert "<title id=" in kinds and "Khiếu nại: 1" in kinds and "Tố cáo: 1" in kinds
    assert any("Trực tuyến: 1; Trực tiếp: 1" in c for c in charts)
    assert "kỳ báo cáo chưa kết thúc" in page
    assert "<script" not in page.split("<main", 1)[1]  # charts need no JavaScript


def test_an_empty_period_shows_a_message_not_an_empty_chart(client, login_staff, officer,
                                                           an_lao, some_matters, clock):
    login_staff(client, officer)
    page = _commune_page(client, an_lao, kind="month", year=2026, number=3).content.decode()

    assert 'id="empty-period"' in page
    assert "Không có số liệu nào trong kỳ Tháng 3 năm 2026" in page
    assert 'class="chart"' not in page


@pytest.mark.parametrize(("query", "message"), [
    pytest.param({"kind": "quarter", "year": 2026, "number": 5}, "Quý phải từ 1 đến 4",
                 id="quarter-5"),
    pytest.param({"kind": "month", "year": 2027, "number": 1}, "Năm báo cáo phải từ 2020",
                 id="next-year"),
    pytest.param({"kind": "tuan", "year": 2026, "number": 1}, "Chọn tháng, quý",
                 id="unknown-kind"),
])
def test_an_invalid_period_gets_a_clear_message(client, login_staff, officer, an_lao, clock,
                                               query, message):
    login_staff(client, officer)
    response = _commune_page(client, an_lao, **query)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'class="chart"' not in response.content.decode()


def test_staff_of_another_commune_are_refused(client, login_staff, lac_phuong, an_lao, clock):
    stranger = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong, username="khac")
    login_staff(client, stranger)

    assert _commune_page(client, an_lao, **Q4).status_code == 403
    assert client.get(reverse("reports:commune_xlsx", args=[an_lao.ward_code]),
                      Q4).status_code == 403


def test_the_city_observer_compares_the_communes(client, login_staff, observer, city, an_lao,
                                                 lac_phuong, some_matters, clock):
    login_staff(client, observer)
    response = client.get(reverse("reports:city", args=[city.pk]),
                          {**Q4, "sort": "received", "dir": "desc"})

    assert response.status_code == 200
    page = response.content.decode()
    table = page.split('id="communes-compared"', 1)[1]
    rows = re.findall(r'<tr data-ward-code="(\d+)">', table)
    assert rows == [str(lac_phuong.ward_code), str(an_lao.ward_code)]  # 3 before 2
    assert 'aria-sort="descending"' in table
    assert "Đơn tiếp nhận theo xã" in page and 'class="inline-bar"' in table
    ascending = client.get(reverse("reports:city", args=[city.pk]),
                           {**Q4, "sort": "received"}).content.decode()
    assert re.findall(r'<tr data-ward-code="(\d+)">', ascending) == [
        str(an_lao.ward_code), str(lac_phuong.ward_code)]


def test_the_city_observer_may_open_each_commune_report(client, login_staff, observer, an_lao,
                                                       clock):
    login_staff(client, observer)

    assert _commune_page(client, an_lao, **Q4).status_code == 200


def test_a_commune_office_cannot_open_the_city_dashboard(client, login_staff, officer, city,
                                                         clock):
    login_staff(client, officer)

    assert client.get(reverse("reports:city", args=[city.pk]), Q4).status_code == 403
    assert client.get(reverse("reports:city_xlsx", args=[city.pk]), Q4).status_code == 403


def test_the_observer_of_another_city_cannot_open_this_city(client, login_staff, city,
                                                            other_city_observer, an_lao, clock):
    login_staff(client, other_city_observer)

    assert client.get(reverse("reports:city", args=[city.pk]), Q4).status_code == 403
    assert _commune_page(client, an_lao, **Q4).status_code == 403


def test_the_dashboard_links_to_the_reports(client, login_staff, observer, officer, city,
                                            an_lao, clock):
    login_staff(client, officer)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f"/can-bo/xa/{an_lao.ward_code}/bao-cao/" in page
    assert f"/can-bo/thanh-pho/{city.pk}/bao-cao/" not in page
    client.logout()
    login_staff(client, observer)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f"/can-bo/thanh-pho/{city.pk}/bao-cao/" in page
