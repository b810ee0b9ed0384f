"""Nhật ký truy cập dữ liệu cá nhân: the commune's Chairman and the system administrator read
who read whose personal data, filtered by type and dates, 50 a page; everyone else is refused;
reading the page is itself an entry of that log."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tests.factories import staff_user
from tests.i18n.test_english_locale import switch_to
from tiepdan.core import access_log, audit_types
from tiepdan.core.access import Perm
from tiepdan.core.models import CITY_ROLES, AuditEntry, PersonalDataAccess, Role

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ALLOWED = {Role.CHAIRMAN, Role.SYSTEM_ADMIN}


def _user(role, commune):
    return staff_user(role, city=commune.city) if role in CITY_ROLES else staff_user(
        role, commune=commune)


def _url(commune, **params):
    return reverse("core:access_log", args=[commune.ward_code]), params


def _get(client, commune, **params):
    url, query = _url(commune, **params)
    return client.get(url, query)


def _read(kind, actor, commune, at=None, **fields):
    def write():
        return access_log.log_access(kind, actor=actor, commune=commune, **fields)

    if at is None:
        return write()
    with time_machine.travel(at, tick=False):
        return write()


def _own_views(user):
    return PersonalDataAccess.objects.filter(type="core.access_log.viewed", actor=user)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_only_the_chairman_and_the_system_admin_may_read_it(client, login_staff, an_lao, role):
    user = _user(role, an_lao)
    login_staff(client, user)
    response = _get(client, an_lao)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    link = 'href="/can-bo/xa/11629/nhat-ky-truy-cap/"'
    if role in ALLOWED:
        assert response.status_code == 200
        assert link in dashboard
    else:
        assert response.status_code == 403
        assert link not in dashboard
        assert not _own_views(user).exists()  # a refused view reads nothing, logs nothing
    # A bad filter is refused the same way, before it is judged.
    bad = _get(client, an_lao, date_from="2026-12-02", date_to="2026-12-01")
    assert bad.status_code == (422 if role in ALLOWED else 403)


def test_another_communes_chairman_is_refused(client, login_staff, an_lao, lac_phuong):
    login_staff(client, staff_user(Role.CHAIRMAN, commune=lac_phuong))
    assert _get(client, an_lao).status_code == 403
    assert _get(client, lac_phuong).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, an_lao):
    response = _get(client, an_lao)
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


def test_the_fetch_itself_checks_the_permission(an_lao):
    from django.core.exceptions import PermissionDenied

    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    with pytest.raises(PermissionDenied):
        access_log.entries_for(officer, an_lao)
    chairman = staff_user(Role.CHAIRMAN, commune=an_lao)
    _read("intake.matter.viewed", officer, an_lao, data={"tracking_code": "AL-1"})
    assert [e.type for e in access_log.entries_for(chairman, an_lao)] == ["intake.matter.viewed"]
    assert Perm.VIEW_ACCESS_LOG.value == "view_access_log"


def test_it_shows_who_read_what_when_why_and_from_where(client, login_staff, an_lao, lac_phuong):
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao, first_name="Hà",
                         last_name="Đỗ Thị")
    chairman = staff_user(Role.CHAIRMAN, commune=an_lao)
    at = dt.datetime(2026, 11, 30, 9, 15, 7, tzinfo=HANOI)
    row = _read("intake.identity.revealed", officer, an_lao, at=at, object_type="intake.matter",
                object_id="42", reason="Mời người tố cáo làm việc",
                data={"tracking_code": "AL-7Q2K"})
    _read("intake.matter.viewed", officer, lac_phuong, data={"tracking_code": "LP-OTHER"})
    login_staff(client, chairman)
    page = _get(client, an_lao).content.decode()
    table = page.split('id="access-log"', 1)[1]
    assert "Xem danh tính người tố cáo của hồ sơ AL-7Q2K" in table
    assert "30/11/2026 09:15:07" in table
    assert "Đỗ Thị Hà" in table and "Cán bộ Văn phòng HĐND-UBND" in table
    assert "intake.matter #42" in table and "Mời người tố cáo làm việc" in table
    assert row.ip is None  # written outside a request: no address, shown as a dash
    assert "LP-OTHER" not in page  # another commune's reads are not shown
    # In the reader's language: the type is rendered from the registry, in English.
    switch_to(client, "en")
    english = html.unescape(_get(client, an_lao).content.decode())
    with translation.override("en"):
        expected = str(audit_types.get("intake.identity.revealed").template).format(
            tracking_code="AL-7Q2K")
    assert expected in english and "Xem danh tính người tố cáo" not in english
    assert "<h1>Personal data access log · " in english


def test_the_address_of_the_reader_is_shown(client, login_staff, an_lao):
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    login_staff(client, officer)
    client.get(reverse("intake:inbox", args=[an_lao.ward_code]))
    client.logout()
    login_staff(client, staff_user(Role.CHAIRMAN, commune=an_lao))
    table = _get(client, an_lao).content.decode().split('id="access-log"', 1)[1]
    assert 'data-type="intake.inbox.listed"' in table and "127.0.0.1" in table


def test_it_filters_by_type_and_by_local_dates(client, login_staff, an_lao):
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    chairman = staff_user(Role.CHAIRMAN, commune=an_lao)
    late_on_the_29th = dt.datetime(2026, 11, 29, 23, 30, tzinfo=HANOI)  # 16:30 UTC
    on_the_30th = dt.datetime(2026, 11, 30, 0, 10, tzinfo=HANOI)  # still the 29th in UTC
    on_the_1st = dt.datetime(2026, 12, 1, 8, 0, tzinfo=HANOI)
    _read("intake.matter.viewed", officer, an_lao, at=late_on_the_29th,
          data={"tracking_code": "A-29"})
    _read("intake.matter.viewed", officer, an_lao, at=on_the_30th, data={"tracking_code": "A-30"})
    _read("register.register.viewed", officer, an_lao, at=on_the_30th,
          data={"filter": "năm 2026", "page": 1})
    _read("intake.matter.viewed", officer, an_lao, at=on_the_1st, data={"tracking_code": "A-01"})
    login_staff(client, chairman)

    def codes(**params):
        response = _get(client, an_lao, **params)
        assert response.status_code == 200
        return re.findall(r"hồ sơ (A-\d\d)", response.content.decode())

    assert codes() == ["A-01", "A-30", "A-29"]  # newest first
    assert codes(type="intake.matter.viewed", date_from="2026-11-30",
                 date_to="2026-11-30") == ["A-30"]
    assert codes(date_from="2026-11-30") == ["A-01", "A-30"]
    assert codes(date_to="2026-11-29") == ["A-29"]
    only_register = _get(client, an_lao, type="register.register.viewed").content.decode()
    assert 'data-type="register.register.viewed"' in only_register
    assert 'data-type="intake.matter.viewed"' not in only_register
    # An unknown type or reversed dates are shown as form errors, and nothing is read.
    before = _own_views(chairman).count()
    assert _get(client, an_lao, type="intake.matter.teleported").status_code == 422
    wrong = _get(client, an_lao, date_from="2026-12-01", date_to="2026-11-30")
    assert wrong.status_code == 422 and "Ngày kết thúc phải sau" in wrong.content.decode()
    assert _own_views(chairman).count() == before


def test_it_is_paged_by_fifty_and_keeps_the_filter_in_the_links(client, login_staff, an_lao):
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    for number in range(1, 56):
        _read("intake.matter.viewed", officer, an_lao, data={"tracking_code": f"P-{number:03d}"})
    login_staff(client, staff_user(Role.CHAIRMAN, commune=an_lao))
    first = _get(client, an_lao, type="intake.matter.viewed")
    rows = first.content.decode().split('id="access-log"', 1)[1].count("<tr data-type=")
    assert rows == 50 and first.context["page"].paginator.count == 55
    assert "P-055" in first.content.decode() and "P-005" not in first.content.decode()
    assert "type=intake.matter.viewed&amp;page=2" in first.content.decode()
    second = _get(client, an_lao, type="intake.matter.viewed", page=2).content.decode()
    table = second.split('id="access-log"', 1)[1]
    assert table.count("<tr data-type=") == 5
    assert "P-005" in table and "P-001" in table and "P-006" not in table


def test_reading_the_page_is_itself_logged(client, login_staff, an_lao):
    chairman = staff_user(Role.CHAIRMAN, commune=an_lao)
    login_staff(client, chairman)
    assert _get(client, an_lao).status_code == 200
    assert _get(client, an_lao, type="intake.identity.revealed", date_from="2026-11-01",
                date_to="2026-11-30").status_code == 200
    views = list(_own_views(chairman).order_by("id"))
    assert [(v.commune, v.object_type, v.object_id, v.actor_roles) for v in views] == [
        (an_lao, "core.personaldataaccess", "11629", Role.CHAIRMAN)] * 2
    assert [v.data for v in views] == [
        {"filter": "-", "page": 1},
        {"filter": "type=intake.identity.revealed; from=2026-11-01; to=2026-11-30", "page": 1}]
    assert views[0].ip == "127.0.0.1"
    assert views[1].text == ("Xem nhật ký truy cập dữ liệu cá nhân (type=intake.identity.revealed;"
                             " from=2026-11-01; to=2026-11-30), trang 1")
    # A read: in the access log, never in the chained trail; the next view lists the earlier.
    assert not AuditEntry.objects.filter(type="core.access_log.viewed").exists()
    page = _get(client, an_lao, type="core.access_log.viewed").content.decode()
    assert page.count('<tr data-type="core.access_log.viewed"') == 2
