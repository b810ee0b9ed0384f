"""Reports as XLSX (page and API): the summary table per commune with the total, percentages
as numbers, the fields of law; and the JSON figures of the API with its error shape."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tiepdan.core.models import AuditEntry

from .conftest import at, decided_on, received

pytestmark = pytest.mark.django_db

Q4 = {"kind": "quarter", "year": 2026, "number": 4}


@pytest.fixture
def some_matters(an_lao, lac_phuong):
    """In An Lão a complaint accepted in time (its 2 deadlines met) and a denunciation left
    undecided (its 2 deadlines past due); in Lạc Phượng a recommendation."""
    first = received(an_lao, at("2026-10-05"), kind="khieu_nai", field_of_law="Đất đai")
    decided_on(first, at("2026-10-14"), "accepted")
    received(an_lao, at("2026-10-06"), kind="to_cao", channel="assisted")
    received(lac_phuong, at("2026-10-07"), kind="kien_nghi", channel="api")


def _rows(response):
    assert response.status_code == 200, response.content[:300]
    assert int(response["Content-Length"]) > 0
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook, [[c for c in row] for row in workbook.worksheets[0].iter_rows(
        values_only=True)]


def _row(rows, name):
    return next(row for row in rows if row and row[0] == name)


def test_the_commune_report_xlsx_holds_its_figures(client, login_staff, officer, an_lao,
                                                   some_matters, clock):
    login_staff(client, officer)
    response = client.get(reverse("reports:commune_xlsx", args=[an_lao.ward_code]), Q4)

    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-11629-2026-q4.xlsx"')
    workbook, rows = _rows(response)
    header = next(row for row in rows if row and row[0] == "Đơn vị")
    line = dict(zip(header, _row(rows, an_lao.name), strict=True))
    assert line["Đơn tiếp nhận"] == 2
    assert (line["Khiếu nại"], line["Tố cáo"], line["Kiến nghị"]) == (1, 1, 0)
    assert (line["Trực tuyến"], line["Trực tiếp"]) == (1, 1)
    assert line["Tỷ lệ đúng hạn"] == pytest.approx(0.5)
    assert line["Thời hạn quá hạn chưa xử lý"] == 2
    assert line["Nhiệm vụ theo dõi"] == 0  # no follow-up task due in the period
    # The "follow-up not available" note is only for a deployment without that app.
    assert not any("phân hệ theo dõi" in str(row[0]) for row in rows if row and row[0])
    assert "Quý IV năm 2026" in str(rows[2][0])
    fields = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert ("Đất đai", 1) in fields
    assert AuditEntry.objects.filter(type="reports.report.exported", object_type="reports.report",
                                     data__period="Quý IV năm 2026").exists()


def test_the_city_report_xlsx_has_one_row_per_commune_and_the_total(
        client, login_staff, observer, city, an_lao, lac_phuong, some_matters, clock):
    login_staff(client, observer)
    _workbook, rows = _rows(client.get(reverse("reports:city_xlsx", args=[city.pk]), Q4))

    assert _row(rows, an_lao.name)[1] == 2
    assert _row(rows, lac_phuong.name)[1] == 1
    assert _row(rows, "Tổng cộng")[1] == 3


def test_the_api_gives_the_commune_figures(client, login_staff, officer, an_lao, some_matters,
                                           clock):
    login_staff(client, officer)
    body = client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/reports", Q4).json()

    assert body["period"] == {"kind": "quarter", "year": 2026, "number": 4,
                              "label": "Quý IV năm 2026", "start": "2026-10-01",
                              "end": "2026-12-31"}
    assert body["partial"] is True and body["empty"] is False and body["message"] is None
    total = body["total"]
    assert total["received"] == 2
    assert total["by_channel"] == {"online": 1, "in_person": 1}
    assert total["by_kind"]["khieu_nai"] == 1
    assert total["deadlines"] == {"counted": 4, "met": 2, "missed": 2, "overdue_open": 2,
                                  "met_share": 0.5}
    assert total["follow_up"] == {**total["follow_up"], "available": True, "total": 0}


def test_the_api_gives_the_city_figures_per_commune(client, login_staff, observer, city,
                                                    some_matters, clock):
    login_staff(client, observer)
    body = client.get(f"/api/v1/staff/cities/{city.pk}/reports", Q4).json()

    assert {c["name"]: c["received"] for c in body["communes"]} == {
        "Xã An Lão": 2, "Xã Lạc Phượng": 1}
    assert body["total"]["received"] == 3
    xlsx = client.get(f"/api/v1/staff/cities/{city.pk}/reports.xlsx", Q4)
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_api_says_when_a_period_is_empty(client, login_staff, officer, an_lao, clock):
    login_staff(client, officer)
    body = client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/reports",
                      {"kind": "month", "year": 2026, "number": 2}).json()

    assert body["empty"] is True
    assert body["message"] == "Không có số liệu nào trong kỳ Tháng 2 năm 2026."


def test_the_api_refuses_a_bad_period_in_its_error_shape(client, login_staff, officer, an_lao,
                                                         clock):
    login_staff(client, officer)
    response = client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/reports",
                          {"kind": "half", "year": 2026, "number": 3})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"]["number"][0]["message"].startswith("Chọn 6 tháng đầu năm")


def test_the_api_refuses_other_communes_and_cities(client, login_staff, officer, lac_phuong,
                                                   city, other_city, clock):
    login_staff(client, officer)
    response = client.get(f"/api/v1/staff/communes/{lac_phuong.ward_code}/reports", Q4)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.get(f"/api/v1/staff/cities/{city.pk}/reports", Q4).status_code == 403
    assert client.get("/api/v1/staff/cities/999999/reports", Q4).status_code == 404


def test_the_api_needs_a_signed_in_officer(client, an_lao):
    response = client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/reports", Q4)

    assert response.status_code == 401
