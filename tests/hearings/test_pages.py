import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.hearings import planning
from tiepdan.hearings.invitations import invitation_token
from tiepdan.hearings.models import Attendance, Hearing, OnlineSelection, Participant

pytestmark = pytest.mark.django_db


def test_an_officer_creates_a_hearing_through_the_page(
    client, login_staff, an_lao, officer, chairman, approved_matter, clock
):
    login_staff(client, officer)
    response = client.post(reverse("hearings:list", args=[an_lao.ward_code]), {
        "title": "Tiếp định kỳ", "kind": "periodic", "starts_at": "2026-12-15T08:00",
        "duration_minutes": "90", "chair": str(chairman.pk), "matters": [approved_matter.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    hearing = Hearing.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "08/12/2026" in page  # notify_parties, with its explanation
    assert "05 ngày làm việc" in page
    assert hearing.agenda.get().matter == approved_matter


def test_a_hearing_on_a_holiday_is_refused_with_a_clear_message(
    client, login_staff, an_lao, officer, chairman, clock
):
    login_staff(client, officer)
    response = client.post(reverse("hearings:list", args=[an_lao.ward_code]), {
        "title": "Tiếp", "kind": "periodic", "starts_at": "2027-01-01T08:00",
        "duration_minutes": "90", "chair": str(chairman.pk)})
    assert response.status_code == 422
    assert "ngày nghỉ" in response.content.decode()
    assert Hearing.objects.count() == 0


def test_a_month_with_fewer_than_two_periodic_days_is_flagged(
    client, login_staff, an_lao, officer, clock
):
    login_staff(client, officer)
    page = client.get(reverse("hearings:list", args=[an_lao.ward_code])).content.decode()
    assert "Tháng 12/2026 mới có 0 ngày tiếp định kỳ" in page


@pytest.mark.parametrize("role", [Role.DEPARTMENT_REP, Role.COMMUNE_POLICE, Role.VILLAGE_HEAD])
def test_roles_without_planning_rights_cannot_plan(client, login_staff, an_lao, role):
    login_staff(client, staff_user(role, commune=an_lao))
    assert client.get(reverse("hearings:list", args=[an_lao.ward_code])).status_code == 403


def test_the_chairman_decides_a_proposal_on_the_page(
    client, login_staff, an_lao, officer, chairman, accepted_matter
):
    login_staff(client, officer)
    response = client.post(reverse("hearings:propose", args=[an_lao.ward_code,
                                                            accepted_matter.pk]),
                           {"ground": "b", "note": "Ở xa"})
    assert response.status_code == 302
    client.logout()
    login_staff(client, chairman)
    chosen = OnlineSelection.objects.get()
    response = client.post(reverse("hearings:proposals", args=[an_lao.ward_code]),
                           {"selection": chosen.pk, "approve": "yes", "reason": "Đồng ý"})
    assert response.status_code == 302
    chosen.refresh_from_db()
    assert chosen.status == "approved" and chosen.decided_by == chairman


def test_the_public_schedule_and_ical_show_no_personal_data(client, ready_hearing, an_lao):
    page = client.get(reverse("hearings:schedule", args=[an_lao.ward_code])).content.decode()
    ical = client.get(reverse("hearings:schedule_ical", args=[an_lao.ward_code]))
    assert ical["Content-Type"].startswith("text/calendar")
    body = ical.content.decode()
    assert "BEGIN:VEVENT" in body and "DTSTART" in body
    for secret in ("Trần Thị Bình", "cong.dan@example.org", ready_hearing.title):
        assert secret not in page
        assert secret not in body
    assert "15/12/2026" in page


def test_an_invitee_confirms_or_names_a_substitute(client, ready_hearing):
    person = Participant.objects.get(full_name="Trần Thị Bình")
    url = reverse("hearings:invitation", args=[invitation_token(person)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"attendance": "substituted"})
    assert response.status_code == 422  # the substitute must be named
    client.post(url, {"attendance": "substituted", "substitute_name": "Trần Văn Con"})
    person.refresh_from_db()
    assert person.attendance == Attendance.SUBSTITUTED
    assert person.substitute_name == "Trần Văn Con"


@pytest.mark.parametrize("token", ["abc", "x" * 80])
def test_a_forged_invitation_link_is_refused(client, db, token):
    response = client.get(reverse("hearings:invitation", args=[token]))
    assert response.status_code == 404
    assert "không hợp lệ" in response.content.decode()


def test_an_invitation_link_expires_after_the_hearing(client, ready_hearing, clock):
    person = Participant.objects.get(full_name="Trần Thị Bình")
    url = reverse("hearings:invitation", args=[invitation_token(person)])
    clock.move_to(ready_hearing.ends_at + dt.timedelta(minutes=1))
    assert client.get(url).status_code == 404


def test_confirm_through_the_page_needs_a_ready_hearing(
    client, login_staff, an_lao, officer, make_hearing
):
    hearing = make_hearing()
    login_staff(client, officer)
    response = client.post(reverse("hearings:action", args=[an_lao.ward_code, hearing.pk,
                                                           "confirm"]), {})
    assert response.status_code == 422
    assert "điểm cầu trung tâm" in response.content.decode()
    hearing.refresh_from_db()
    assert hearing.status == "draft"
    assert planning.readiness_problems(hearing)


def test_the_dashboard_links_to_hearing_planning_for_planners_only(
    client, login_staff, an_lao, officer
):
    login_staff(client, officer)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f"/can-bo/xa/{an_lao.ward_code}/buoi-tiep/" in page
    client.logout()
    login_staff(client, staff_user(Role.COMMUNE_POLICE, commune=an_lao))
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "/buoi-tiep/" not in page
