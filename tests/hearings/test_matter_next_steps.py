"""The matter page shows what the current user may do next in the procedure, what waits for
someone else (a pending proposal), and links to every related record; the proposals page links
to each matter; the propose and decide actions say what happened and what comes next."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.builders import register
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.hearings import selection
from tiepdan.intake.models import MatterStatus
from tiepdan.intake.next_steps import matter_steps

pytestmark = pytest.mark.django_db


def _labels(steps) -> list[str]:
    return [str(s.label) for s in steps]


def _page(client, login_staff, user, matter) -> str:
    login_staff(client, user)
    response = client.get(reverse("intake:matter", args=[matter.commune.ward_code, matter.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_after_acceptance_the_officer_is_offered_the_online_proposal(
        client, login_staff, accepted_matter, officer):
    steps = matter_steps(officer, accepted_matter)
    [propose] = [s for s in steps.actions if str(s.label) == "Đề xuất tiếp trực tuyến"]
    url = f"/can-bo/xa/11629/ho-so/{accepted_matter.pk}/de-xuat-truc-tuyen/"
    assert propose.url == url and propose.primary
    body = _page(client, login_staff, officer, accepted_matter)
    assert f'href="{url}"' in body


@pytest.mark.parametrize("role", [Role.VICE_CHAIRMAN, Role.COMMUNE_POLICE,
                                  Role.DEPARTMENT_REP])
def test_roles_that_do_not_plan_are_not_offered_the_proposal(an_lao, accepted_matter, role):
    user = staff_user(role, commune=an_lao)
    assert "Đề xuất tiếp trực tuyến" not in _labels(matter_steps(user, accepted_matter).actions)


def test_a_new_matter_offers_triage_to_the_officer_only(an_lao, officer, chairman):
    matter = register(an_lao)
    assert _labels(matter_steps(officer, matter).actions)[:1] == ["Phân loại đơn"]
    assert matter_steps(officer, matter).actions[0].url.endswith("/xu-ly/#triage-classify")
    assert matter_steps(chairman, matter).actions == []


def test_a_pending_proposal_is_visible_and_the_chairman_may_decide(
        client, login_staff, accepted_matter, officer, chairman):
    chosen = selection.propose(accepted_matter, ground="b", actor=officer, note="Ở xa")
    officer_steps = matter_steps(officer, accepted_matter)
    assert any("đang chờ Chủ tịch quyết định" in w for w in officer_steps.waiting)
    assert "Đề xuất tiếp trực tuyến" not in _labels(officer_steps.actions)  # already proposed
    chair_steps = matter_steps(chairman, accepted_matter)
    [decide] = chair_steps.actions
    assert decide.url == f"/can-bo/xa/11629/de-xuat-truc-tuyen/#selection-{chosen.pk}"
    body = _page(client, login_staff, chairman, accepted_matter)
    assert "đang chờ Chủ tịch quyết định" in body
    # The proposals page links back to the matter.
    proposals = client.get(reverse("hearings:proposals", args=[11629])).content.decode()
    assert f'id="selection-{chosen.pk}"' in proposals
    assert f'href="/can-bo/xa/11629/ho-so/{accepted_matter.pk}/"' in proposals


def test_after_approval_the_officer_schedules_and_sees_the_decision(approved_matter, officer):
    steps = matter_steps(officer, approved_matter)
    assert _labels(steps.actions) == ["Xếp lịch buổi tiếp công dân"]
    assert steps.actions[0].url == "/can-bo/xa/11629/buoi-tiep/#hearing-form"
    # The register line comes from its acceptance through triage.
    assert _labels(steps.records) == ["Đề xuất tiếp trực tuyến: Chủ tịch đồng ý",
                                      "Sổ tiếp công dân: STT 1 năm 2026"]


def test_a_scheduled_matter_links_to_its_hearing_room_and_documents(
        confirmed_hearing, approved_matter, officer):
    hearing = confirmed_hearing
    approved_matter.refresh_from_db()
    assert approved_matter.status == MatterStatus.SCHEDULED
    steps = matter_steps(officer, approved_matter)
    urls = {str(s.label): s.url for s in steps.records}
    assert urls["Buổi tiếp 08:00 15/12/2026 · Đã chốt, đã thông báo"] == (
        f"/can-bo/xa/11629/buoi-tiep/{hearing.pk}/")
    assert urls["Phòng tiếp trực tuyến"] == f"/can-bo/phong-tiep/{hearing.pk}/"
    assert "Xếp lịch buổi tiếp công dân" not in _labels(steps.actions)


def test_a_held_hearing_links_to_recordings_minutes_and_asks_for_the_conclusion(
        held_hearing, approved_matter, officer):
    hearing = held_hearing
    approved_matter.refresh_from_db()
    assert approved_matter.status == MatterStatus.HEARD
    steps = matter_steps(officer, approved_matter)
    urls = {str(s.label): s.url for s in steps.records}
    assert urls["Bản ghi hình buổi tiếp"] == f"/can-bo/buoi-tiep/{hearing.pk}/ban-ghi/"
    assert urls["Biên bản buổi tiếp: chưa lập"] == (
        f"/can-bo/xa/11629/buoi-tiep/{hearing.pk}/bien-ban/")
    [conclude] = [s for s in steps.actions if str(s.label) == "Ghi kết luận của người chủ trì"]
    assert conclude.url.endswith(f"/bien-ban/#matter-{approved_matter.pk}")


def test_a_hearing_page_links_to_its_matters(client, login_staff, make_hearing, approved_matter,
                                              officer):
    hearing = make_hearing()
    login_staff(client, officer)
    body = client.get(reverse("hearings:detail", args=[11629, hearing.pk])).content.decode()
    assert f'href="/can-bo/xa/11629/ho-so/{approved_matter.pk}/"' in body


def test_proposing_and_deciding_say_what_comes_next(client, login_staff, an_lao, officer,
                                                    chairman, accepted_matter):
    login_staff(client, officer)
    response = client.post(reverse("hearings:propose", args=[11629, accepted_matter.pk]),
                           {"ground": "b", "note": "Ở xa"}, follow=True)
    body = response.content.decode()
    assert f"Đã gửi đề xuất tiếp trực tuyến hồ sơ {accepted_matter.tracking_code}" in body
    assert "chờ Chủ tịch quyết định" in body
    client.logout()
    login_staff(client, chairman)
    chosen = accepted_matter.online_selections.get()
    response = client.post(reverse("hearings:proposals", args=[11629]),
                           {"selection": chosen.pk, "approve": "yes", "reason": "Đồng ý"})
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Đã đồng ý tiếp trực tuyến" in message and "xếp lịch" in message
