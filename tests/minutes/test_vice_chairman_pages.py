"""A Vice-Chairman who chairs a hearing, through the pages: her dashboard lists the hearing
until its matters are concluded, she reads the hearing page without planning it, opens the
minutes page and records and issues the conclusion, whose follow-up tasks are created in the
same step (issue 10 §3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.followup.models import Body, FollowUpTask
from tiepdan.hearings.models import Hearing
from tiepdan.intake.models import MatterStatus
from tiepdan.minutes.models import Conclusion

pytestmark = pytest.mark.django_db


@pytest.fixture
def vice_chair(an_lao, hearing):
    vice = staff_user(
        Role.VICE_CHAIRMAN,
        commune=an_lao,
        username="phochutich",
        first_name="Phương",
        last_name="Bùi Thị",
        email="pct@example.org",
    )
    # The module's shared held hearing (tests/minutes/conftest.py), chaired by her instead: a
    # hearing the planning service creates with chair=vice, as tests.builders can.
    Hearing.objects.filter(pk=hearing.pk).update(chair=vice)
    hearing.refresh_from_db()
    return vice


def _detail(hearing) -> str:
    return reverse("hearings:detail", args=[hearing.commune.ward_code, hearing.pk])


def _dashboard(client) -> str:
    return client.get(reverse("core:dashboard")).content.decode()


def test_her_dashboard_links_to_the_held_hearing_she_chairs(
    client, login_staff, vice_chair, hearing
):
    login_staff(client, vice_chair)
    html = _dashboard(client)
    assert "Buổi tiếp tôi chủ trì" in html
    assert f'href="{_detail(hearing)}"' in html
    assert "2 vụ việc chờ kết luận của người chủ trì" in html


def test_another_vice_chairman_does_not_see_it_as_hers(
    client, login_staff, an_lao, vice_chair, hearing
):
    other = staff_user(Role.VICE_CHAIRMAN, commune=an_lao)
    login_staff(client, other)
    assert f'href="{_detail(hearing)}"' not in _dashboard(client)


def test_she_reads_the_hearing_page_and_reaches_the_minutes(
    client, login_staff, vice_chair, hearing
):
    login_staff(client, vice_chair)
    page = client.get(_detail(hearing))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("minutes:page", args=[hearing.commune.ward_code, hearing.pk]) in html
    assert "Thêm điểm cầu" not in html and "Dời lịch" not in html  # she does not plan it


def test_she_may_not_change_the_hearing(client, login_staff, vice_chair, hearing):
    login_staff(client, vice_chair)
    url = reverse("hearings:action", args=[hearing.commune.ward_code, hearing.pk, "cancel"])
    assert client.post(url, {"reason": "Bận công tác"}).status_code == 403
    hearing.refresh_from_db()
    assert hearing.status == "held"


def test_she_concludes_and_assigns_the_tasks_from_the_minutes_page(
    client, login_staff, vice_chair, hearing, recommendation, django_capture_on_commit_callbacks
):
    economy = Body.objects.create(
        commune=hearing.commune, name="Phòng Kinh tế xã", email="kinhte@example.org"
    )
    police = Body.objects.create(commune=hearing.commune, name="Công an xã")
    login_staff(client, vice_chair)
    minutes_page = client.get(
        reverse("minutes:page", args=[hearing.commune.ward_code, hearing.pk])
    ).content.decode()
    assert "Lưu kết luận" in minutes_page
    prefix = f"m{recommendation.pk}-"
    response = client.post(
        reverse(
            "minutes:conclusion", args=[hearing.commune.ward_code, hearing.pk, recommendation.pk]
        ),
        {
            prefix + "outcome": "assigned",
            prefix + "directions": "Giao kiểm tra tuyến đường.",
            prefix + "responsible_bodies": [str(economy.pk), str(police.pk)],
            prefix + "deadline_working_days": "10",
        },
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "minutes:notice", args=[hearing.commune.ward_code, hearing.pk, recommendation.pk]
            ),
            follow=True,
        )
    assert "giao 2 việc cho cơ quan, đơn vị" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == MatterStatus.CONCLUDED
    conclusion = Conclusion.objects.get(matter=recommendation)
    tasks = FollowUpTask.objects.filter(conclusion_id=conclusion.pk)
    assert sorted(t.body.name for t in tasks) == ["Công an xã", "Phòng Kinh tế xã"]
    assert all(t.created_by == vice_chair for t in tasks)
    # One matter left to conclude: the dashboard still lists the hearing, with one.
    assert "1 vụ việc chờ kết luận của người chủ trì" in _dashboard(client)
