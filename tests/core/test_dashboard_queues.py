"""Work queues of the dashboard contributed by intake (new matters, deadlines per rule): the
counts, the links to the filtered inbox, who sees them; and the registry itself (the hook for
a later "failed background jobs" counter)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.builders import make_matter, register
from tests.factories import staff_user
from tiepdan.core import queues
from tiepdan.core.access import Perm
from tiepdan.core.models import Role
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


def _matters(response) -> list:
    """The matters of an inbox page, in its order."""
    return [row.matter for row in response.context["rows"]]


def _queue_links(body: str) -> dict[str, tuple[int, str]]:
    """label → (count, url) of every line of the work queues."""
    found = {}
    for url, count, label in re.findall(
            r'<li><a href="([^"]+)"><span class="count[^"]*">(\d+)</span> ([^<]+)</a>', body):
        found[label.strip()] = (int(count), url.replace("&amp;", "&"))
    return found


def _dashboard(client, login_staff, user) -> str:
    login_staff(client, user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def matters(an_lao, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 9, 8, tzinfo=VN_TZ), tick=False)
    new = [register(an_lao), register(an_lao)]
    # Registered earlier and classified, not decided yet: their notice deadlines run.
    late = make_matter(an_lao, "triaged", since=dt.datetime(2026, 2, 13, 9, tzinfo=VN_TZ))
    soon = make_matter(an_lao, "triaged", since=dt.datetime(2026, 2, 25, 9, tzinfo=VN_TZ))
    assert (late.deadlines.get().due, soon.deadlines.get().due) == (
        dt.date(2026, 3, 6), dt.date(2026, 3, 11))
    return {"new": new, "late": late, "soon": soon}


def test_the_officer_sees_new_matters_linking_to_the_filtered_inbox(
        client, login_staff, an_lao, matters):
    officer = staff_user(Role.OFFICE_OFFICER, an_lao)
    links = _queue_links(_dashboard(client, login_staff, officer))
    count, url = links["Hồ sơ mới chờ phân loại"]
    assert (count, url) == (2, "/can-bo/xa/11629/ho-so/?status=new")
    listed = _matters(client.get(url))
    assert {m.pk for m in listed} == {m.pk for m in matters["new"]}


def test_the_officer_sees_overdue_and_due_soon_deadlines_per_rule(
        client, login_staff, an_lao, matters):
    officer = staff_user(Role.OFFICE_OFFICER, an_lao)
    links = _queue_links(_dashboard(client, login_staff, officer))
    overdue = [v for k, v in links.items() if k.startswith("Quá hạn:")]
    soon = [v for k, v in links.items() if k.startswith("Sắp đến hạn:")]
    assert [c for c, _u in overdue] == [1] and [c for c, _u in soon] == [1]
    assert overdue[0][1] == "/can-bo/xa/11629/ho-so/?deadline=overdue&rule=notify_outcome"
    assert [m.pk for m in _matters(client.get(overdue[0][1]))] == [
        matters["late"].pk]
    assert [m.pk for m in _matters(client.get(soon[0][1]))] == [matters["soon"].pk]


def test_the_chairman_sees_the_deadlines_but_not_the_triage_queue(
        client, login_staff, an_lao, matters):
    chairman = staff_user(Role.CHAIRMAN, an_lao)
    links = _queue_links(_dashboard(client, login_staff, chairman))
    assert "Hồ sơ mới chờ phân loại" not in links
    assert any(k.startswith("Quá hạn:") for k in links)


@pytest.mark.parametrize("role", [Role.TECHNICAL_OPERATOR, Role.COMMUNE_POLICE,
                                  Role.VILLAGE_HEAD, Role.DEPARTMENT_REP])
def test_roles_without_triage_see_no_matter_queues(client, login_staff, an_lao, matters, role):
    body = _dashboard(client, login_staff, staff_user(role, an_lao))
    links = _queue_links(body)
    assert "Hồ sơ mới chờ phân loại" not in links
    assert not any(k.startswith(("Quá hạn:", "Sắp đến hạn:")) for k in links)


def test_a_zero_count_is_shown_too(client, login_staff, an_lao):
    officer = staff_user(Role.OFFICE_OFFICER, an_lao)
    links = _queue_links(_dashboard(client, login_staff, officer))
    assert links["Hồ sơ mới chờ phân loại"][0] == 0


def test_the_queues_of_another_commune_are_not_counted(client, login_staff, an_lao,
                                                       lac_phuong, matters):
    officer = staff_user(Role.OFFICE_OFFICER, lac_phuong)
    links = _queue_links(_dashboard(client, login_staff, officer))
    assert links["Hồ sơ mới chờ phân loại"] == (0, "/can-bo/xa/11140/ho-so/?status=new")


@pytest.fixture
def failed_jobs_queue():
    def counter(context):
        return [queues.QueueItem("Tác vụ nền thất bại", 3, "/can-bo/tac-vu/", tone="alert")]

    queues.register_work_queue(queues.FAILED_JOBS_QUEUE, "Tác vụ nền", counter, Perm.TRIAGE,
                               order=5)
    yield
    queues._QUEUES.pop(queues.FAILED_JOBS_QUEUE)


def test_an_app_contributes_a_failed_jobs_counter_through_the_registry(
        client, login_staff, an_lao, failed_jobs_queue):
    officer = staff_user(Role.OFFICE_OFFICER, an_lao)
    body = _dashboard(client, login_staff, officer)
    assert _queue_links(body)["Tác vụ nền thất bại"] == (3, "/can-bo/tac-vu/")
    assert 'data-queue="failed_jobs"' in body
    assert body.index('data-queue="failed_jobs"') < body.index('data-queue="intake.new"')
    client.logout()
    operator = staff_user(Role.TECHNICAL_OPERATOR, an_lao)  # no TRIAGE: not shown
    assert "Tác vụ nền thất bại" not in _dashboard(client, login_staff, operator)


def test_a_queue_needs_a_permission():
    with pytest.raises(ValueError, match="permission"):
        queues.register_work_queue("x", "X", lambda context: [])
