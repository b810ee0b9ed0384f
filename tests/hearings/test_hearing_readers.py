"""Who reads hearings without planning them (``core.access.VIEW_HEARINGS``): a Vice-Chairman and the
technical operator open the hearings list and a hearing's page read-only, from their
dashboard; the Vice-Chairman who chairs a hearing finds it there and enters its room as the
chair; neither may create or change a hearing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.access import VIEW_HEARINGS, Perm, has_perm
from tiepdan.core.models import Role
from tiepdan.hearings import planning
from tiepdan.hearings.models import Hearing
from tiepdan.media.join_links import Role as RoomRole
from tiepdan.media.join_links import joiner_for_staff
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def vice_chair(an_lao):
    return staff_user(Role.VICE_CHAIRMAN, commune=an_lao, first_name="Phương", last_name="Bùi Thị")


@pytest.mark.parametrize(
    ("role", "views", "plans"),
    [
        (Role.OFFICE_OFFICER, True, True),
        (Role.CHAIRMAN, True, True),
        (Role.VICE_CHAIRMAN, True, False),
        (Role.TECHNICAL_OPERATOR, True, False),
        (Role.DEPARTMENT_REP, False, False),
        (Role.COMMUNE_POLICE, False, False),
        (Role.VILLAGE_HEAD, False, False),
        (Role.CITY_OBSERVER, False, False),
    ],
    ids=[
        "office-plans",
        "chairman-plans",
        "vice-chairman-reads",
        "operator-reads",
        "department-no",
        "police-no",
        "village-head-no",
        "city-observer-no",
    ],
)
def test_who_reads_and_who_plans_hearings(an_lao, role, views, plans):
    user = staff_user(role, commune=an_lao)
    assert (has_perm(user, VIEW_HEARINGS, an_lao),
            has_perm(user, Perm.PLAN_HEARING, an_lao)) == (views, plans)


def test_rights_in_one_commune_do_not_reach_another(an_lao, lac_phuong, vice_chair):
    assert not has_perm(vice_chair, VIEW_HEARINGS, lac_phuong)


@pytest.mark.parametrize("role", [Role.VICE_CHAIRMAN, Role.TECHNICAL_OPERATOR])
def test_readers_see_the_list_without_the_form_and_reach_it_from_the_dashboard(
    client, login_staff, an_lao, role
):
    login_staff(client, staff_user(role, commune=an_lao))
    url = reverse("hearings:list", args=[an_lao.ward_code])
    assert f'href="{url}"' in client.get(reverse("core:dashboard")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="hearing-form"' not in html and 'id="read-only-note"' in html


@pytest.mark.parametrize("role", [Role.VICE_CHAIRMAN, Role.TECHNICAL_OPERATOR])
def test_readers_cannot_create_a_hearing(client, login_staff, an_lao, chairman, role, clock):
    login_staff(client, staff_user(role, commune=an_lao))
    response = client.post(
        reverse("hearings:list", args=[an_lao.ward_code]),
        {
            "title": "Tiếp",
            "kind": "periodic",
            "starts_at": "2026-12-15T08:00",
            "duration_minutes": "90",
            "chair": str(chairman.pk),
        },
    )
    assert response.status_code == 403
    assert Hearing.objects.count() == 0


def test_the_vice_chairman_chairing_finds_her_hearing_and_enters_as_chair(
    client, login_staff, an_lao, officer, vice_chair, approved_matter, clock
):
    hearing = planning.create_hearing(
        an_lao,
        starts_at=dt.datetime(2026, 12, 15, 14, 0, tzinfo=VN_TZ),
        duration_minutes=90,
        chair=vice_chair,
        title="Tiếp công dân do Phó Chủ tịch chủ trì",
        actor=officer,
        matters=[approved_matter],
    )
    login_staff(client, vice_chair)
    detail = reverse("hearings:detail", args=[an_lao.ward_code, hearing.pk])
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "Buổi tiếp tôi chủ trì" in dashboard and f'href="{detail}"' in dashboard
    page = client.get(detail)
    assert page.status_code == 200
    assert "Bùi Thị Phương" in page.content.decode()
    assert joiner_for_staff(vice_chair, hearing).role == RoomRole.CHAIR
    action = reverse("hearings:action", args=[an_lao.ward_code, hearing.pk, "confirm"])
    assert client.post(action, {}).status_code == 403  # the office confirms, not her
    hearing.refresh_from_db()
    assert hearing.status == "draft"


def test_the_chairman_does_not_list_a_hearing_chaired_by_her(
    client, login_staff, an_lao, officer, chairman, vice_chair, approved_matter, clock
):
    hearing = planning.create_hearing(
        an_lao,
        starts_at=dt.datetime(2026, 12, 15, 14, 0, tzinfo=VN_TZ),
        duration_minutes=90,
        chair=vice_chair,
        title="Tiếp công dân do Phó Chủ tịch chủ trì",
        actor=officer,
        matters=[approved_matter],
    )
    login_staff(client, chairman)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert hearing.title in dashboard  # in preparation, for the planner he also is
    assert 'data-queue="minutes.chaired"' not in dashboard  # but he chairs nothing
