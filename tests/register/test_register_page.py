"""The staff page of the Sổ tiếp công dân: who may open it, its columns, filters, pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import PersonalDataAccess, Role
from tiepdan.intake.models import MatterKind
from tiepdan.intake.register import views

from .conftest import decided

pytestmark = pytest.mark.django_db

VN = dt.timezone(dt.timedelta(hours=7))


def _url(commune, **query) -> str:
    base = reverse("register:book", args=[commune.ward_code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_it_shows_the_13_columns_with_a_link_to_the_matter(client, login_staff, an_lao,
                                                           officer):
    matter = decided(an_lao, officer, "guide")
    login_staff(client, officer)
    response = client.get(_url(an_lao))
    html = response.content.decode()
    assert response.status_code == 200
    for header in ("STT", "Ngày tiếp", "Họ tên, địa chỉ", "Số CCCD/Hộ chiếu",
                   "Tóm tắt nội dung", "Phân loại đơn (KN, TC, KN/PA)",
                   "Số người cùng nội dung", "Cơ quan đã giải quyết", "Thuộc thẩm quyền",
                   "Hướng dẫn đến, số văn bản", "Cơ quan thụ lý, số văn bản chuyển đơn",
                   "Theo dõi kết quả", "Ghi chú"):
        assert f"<th scope=\"col\">{header}</th>" in html, header
    assert "(13)" in html
    assert reverse("intake:matter", args=[an_lao.ward_code, matter.pk]) in html
    assert "Trần Thị Bình" in html and "12/HD-UBND" in html


def test_viewing_it_is_audited_with_the_filter(client, login_staff, an_lao, officer):
    login_staff(client, officer)
    client.get(_url(an_lao, year=2026, month=7))
    entry = PersonalDataAccess.objects.filter(type="register.register.viewed").latest("id")
    assert entry.object_type == "register.registerentry" and entry.commune == an_lao
    assert "tháng 7, năm 2026" in entry.data["filter"] and entry.actor == officer
    assert entry.data["page"] == 1 and "tháng 7, năm 2026" in entry.text


def test_it_filters_by_year_month_kind_and_outcome(client, login_staff, an_lao, officer):
    july = dt.datetime(2026, 7, 6, 9, 0, tzinfo=VN)
    august = dt.datetime(2026, 8, 3, 9, 0, tzinfo=VN)
    decided(an_lao, officer, "accept", kind=MatterKind.KHIEU_NAI, received_at=july,
            summary="Khiếu nại tháng bảy")
    decided(an_lao, officer, "file", received_at=august, summary="Kiến nghị tháng tám")
    decided(an_lao, officer, "forward", received_at=august, summary="Chuyển tháng tám")
    decided(an_lao, officer, "file", received_at=dt.datetime(2025, 8, 4, 9, tzinfo=VN),
            summary="Năm trước")
    login_staff(client, officer)

    def shown(**query) -> set[str]:
        html = client.get(_url(an_lao, **query)).content.decode()
        return {s for s in ("Khiếu nại tháng bảy", "Kiến nghị tháng tám", "Chuyển tháng tám",
                            "Năm trước") if s in html}

    assert shown(year=2026) == {"Khiếu nại tháng bảy", "Kiến nghị tháng tám", "Chuyển tháng tám"}
    assert shown(year=2026, month=8) == {"Kiến nghị tháng tám", "Chuyển tháng tám"}
    assert shown(year=2026, kind="khieu_nai") == {"Khiếu nại tháng bảy"}
    assert shown(year=2026, outcome="forwarded") == {"Chuyển tháng tám"}
    assert shown(year=2025) == {"Năm trước"}


def test_it_rejects_a_bad_filter_in_vietnamese(client, login_staff, an_lao, officer):
    login_staff(client, officer)
    response = client.get(_url(an_lao, month=13))
    assert response.status_code == 422
    assert "Tháng" in response.content.decode()


def test_it_pages_the_register(client, login_staff, an_lao, officer, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for index in range(3):
        decided(an_lao, officer, "file", summary=f"Đơn số {index + 1}")
    login_staff(client, officer)
    first = client.get(_url(an_lao)).content.decode()
    second = client.get(_url(an_lao, page=2)).content.decode()
    assert "Đơn số 1" in first and "Đơn số 2" in first and "Đơn số 3" not in first
    assert "Đơn số 3" in second and "Trang 2/2" in second


def test_a_city_observer_may_read_it(client, login_staff, an_lao, officer):
    decided(an_lao, officer, "accept")
    login_staff(client, staff_user(Role.CITY_OBSERVER, commune=an_lao))
    response = client.get(_url(an_lao))
    assert response.status_code == 200 and "Trần Thị Bình" in response.content.decode()


def test_staff_of_another_commune_may_not(client, login_staff, an_lao, lac_phuong, officer):
    decided(an_lao, officer, "accept")
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=lac_phuong))
    assert client.get(_url(an_lao)).status_code == 403
    export = reverse("register:export", args=[an_lao.ward_code])
    assert client.get(export).status_code == 403


def test_a_technical_operator_may_not(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.TECHNICAL_OPERATOR, commune=an_lao))
    assert client.get(_url(an_lao)).status_code == 403


def test_an_unknown_commune_is_not_found(client, login_staff, officer):
    login_staff(client, officer)
    assert client.get(reverse("register:book", args=[99999])).status_code == 404


def test_anonymous_visitors_go_to_the_login(client, an_lao):
    for url in (_url(an_lao), reverse("register:export", args=[an_lao.ward_code])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("core:login") in response.url


def test_the_dashboard_links_to_it(client, login_staff, an_lao, officer):
    login_staff(client, officer)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert _url(an_lao) in html and "Sổ tiếp công dân" in html


def test_the_matter_page_shows_its_register_line(client, login_staff, an_lao, officer):
    matter = decided(an_lao, officer, "accept")
    login_staff(client, officer)
    html = client.get(reverse("intake:matter", args=[an_lao.ward_code, matter.pk])
                      ).content.decode()
    assert "Đã ghi sổ: STT 1 năm" in html


def test_the_filter_form_shows_the_filter_applied(client, login_staff, an_lao, officer):
    """Opened without a year the register shows the current one, and its form says so."""
    import time_machine

    from tiepdan.workdays.deadlines import VN_TZ

    login_staff(client, officer)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=VN_TZ)):
        html = client.get(_url(an_lao)).content.decode()
        assert 'name="year" value="2026"' in html
        html = client.get(_url(an_lao, year=2025, month=7, kind=MatterKind.KIEN_NGHI)
                          ).content.decode()
    assert 'name="year" value="2025"' in html
    assert '<option value="7" selected>' in html
    assert f'<option value="{MatterKind.KIEN_NGHI}" selected>' in html
