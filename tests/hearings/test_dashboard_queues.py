"""Work queues of the dashboard contributed by hearings, minutes and follow-up: proposals
awaiting the Chairman, matters to schedule, hearings in preparation with their milestones,
today's hearings, minutes to finalise, conclusions without tasks, tasks due — counts, links and
who sees them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tests.fixtures.clock import NOW
from tiepdan.core.models import Role
from tiepdan.followup.models import Body, FollowUpTask
from tiepdan.hearings import selection
from tiepdan.minutes.models import Conclusion, Outcome
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


def _links(client, login_staff, user) -> dict[str, tuple[int, str, str]]:
    login_staff(client, user)
    body = client.get(reverse("core:dashboard")).content.decode()
    found = {}
    for url, count, label, detail in re.findall(
            r'<li><a href="([^"]+)"><span class="count[^"]*">(\d+)</span> ([^<]+)</a>'
            r'(?:<br><span class="muted">([^<]*)</span>)?', body):
        found[label.strip()] = (int(count), url.replace("&amp;", "&"), detail)
    return found


PROPOSALS = "Đề xuất tiếp trực tuyến chờ Chủ tịch quyết định"
TO_SCHEDULE = "Vụ việc được duyệt tiếp trực tuyến, chờ xếp lịch"


def test_the_chairman_sees_the_proposals_awaiting_a_decision(
        client, login_staff, accepted_matter, officer, chairman):
    selection.propose(accepted_matter, ground="b", actor=officer, note="Ở xa")
    count, url, _detail = _links(client, login_staff, chairman)[PROPOSALS]
    assert (count, url) == (1, "/can-bo/xa/11629/de-xuat-truc-tuyen/")
    page = client.get(url)
    assert page.status_code == 200 and accepted_matter.tracking_code in page.content.decode()


def test_the_officer_does_not_see_the_chairmans_queue_but_the_matters_to_schedule(
        client, login_staff, approved_matter, officer):
    links = _links(client, login_staff, officer)
    assert PROPOSALS not in links
    count, url, _detail = links[TO_SCHEDULE]
    assert count == 1 and url == "/can-bo/xa/11629/buoi-tiep/#hearing-form"


def test_a_hearing_in_preparation_shows_its_milestones(
        client, login_staff, make_hearing, officer, clock):
    hearing = make_hearing()
    label = f"08:00 15/12/2026 · {hearing.title}"
    count, url, detail = _links(client, login_staff, officer)[label]
    assert url == f"/can-bo/xa/11629/buoi-tiep/{hearing.pk}/#milestones"
    total = hearing.milestones.exclude(status="cancelled").count()
    assert f"mốc đã xong 0/{total}" in detail
    assert count == 0  # none overdue yet
    clock.move_to(dt.datetime(2026, 12, 14, 9, 0, tzinfo=VN_TZ))
    count, _url, detail = _links(client, login_staff, officer)[label]
    assert count >= 1 and "mốc quá hạn" in detail


def test_todays_hearing_links_to_its_page(client, login_staff, make_hearing, officer, operator,
                                         clock):
    # Planned in good time (a hearing for today would need the Chairman's late decision).
    clock.move_to(dt.datetime(2026, 11, 10, 9, 0, tzinfo=VN_TZ))
    hearing = make_hearing(start=dt.datetime(2026, 12, 1, 14, 0, tzinfo=VN_TZ))
    clock.move_to(NOW)
    for user in (officer, operator):
        client.logout()
        count, url, detail = _links(client, login_staff, user)["Buổi tiếp công dân hôm nay"]
        assert (count, url) == (1, f"/can-bo/xa/11629/buoi-tiep/{hearing.pk}/")
        assert detail.startswith("14:00")


def test_held_hearings_without_final_minutes_are_counted(
        client, login_staff, held_hearing, officer):
    hearing = held_hearing
    count, url, _detail = _links(client, login_staff, officer)["Biên bản chưa hoàn thành"]
    assert (count, url) == (1, f"/can-bo/xa/11629/buoi-tiep/{hearing.pk}/bien-ban/")
    assert client.get(url).status_code == 200


def _conclusion(hearing, matter, chairman) -> Conclusion:
    return Conclusion.objects.create(
        hearing=hearing, matter=matter, outcome=Outcome.ASSIGNED, directions="Kiểm tra lại",
        responsible_bodies=[{"name": "Công an xã"}], due_date=dt.date(2026, 12, 30),
        recorded_by=chairman, notice_issued_at=hearing.starts_at, notice_issued_by=chairman)


def test_a_conclusion_without_tasks_is_flagged_until_its_task_exists(
        client, login_staff, make_hearing, approved_matter, officer, chairman, an_lao):
    hearing = make_hearing()
    conclusion = _conclusion(hearing, approved_matter, chairman)
    label = "Kết luận chưa giao việc theo dõi"
    count, url, detail = _links(client, login_staff, officer)[label]
    assert (count, url) == (1, f"/can-bo/xa/11629/ho-so/{approved_matter.pk}/giao-viec/")
    assert approved_matter.tracking_code in detail
    body = Body.objects.create(commune=an_lao, name="Công an xã")
    FollowUpTask.objects.create(matter=approved_matter, conclusion_id=conclusion.pk,
                                title="Kiểm tra", body=body, due_date=dt.date(2026, 12, 30),
                                due_explanation="ngày cụ thể")
    client.logout()
    assert _links(client, login_staff, officer)[label][0] == 0


def test_follow_up_tasks_overdue_and_due_soon_link_to_the_board(
        client, login_staff, approved_matter, officer, an_lao, clock):
    body = Body.objects.create(commune=an_lao, name="Công chức Địa chính")
    rep = staff_user(Role.DEPARTMENT_REP, commune=an_lao)
    body.members.add(rep)
    for due in (dt.date(2026, 11, 20), dt.date(2026, 12, 2), dt.date(2027, 1, 30)):
        FollowUpTask.objects.create(matter=approved_matter, title="Việc", body=body,
                                    due_date=due, due_explanation="ngày cụ thể")
    for user in (officer, rep):
        client.logout()
        links = _links(client, login_staff, user)
        assert links["Việc theo dõi quá hạn"][:2] == (
            1, "/can-bo/xa/11629/theo-doi/?status=overdue")
        assert links["Việc theo dõi sắp đến hạn"][:2] == (
            1, "/can-bo/xa/11629/theo-doi/?status=due_soon")
        listed = client.get(links["Việc theo dõi quá hạn"][1])
        assert listed.status_code == 200
    # A vice-chairman neither plans hearings nor follows up: none of these queues.
    client.logout()
    vice = staff_user(Role.VICE_CHAIRMAN, commune=an_lao)
    links = _links(client, login_staff, vice)
    assert "Việc theo dõi quá hạn" not in links and TO_SCHEDULE not in links
    assert PROPOSALS in links
