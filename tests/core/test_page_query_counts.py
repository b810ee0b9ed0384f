"""The staff pages an officer uses all day read a fixed number of queries, however many matters,
deadlines, hearings or documents there are: the inbox, the matter page and the dashboard are
each counted with 5 rows of everything, then must not need more queries with 50 (an N+1 coming
back fails here; bench/pages.py measures the same pages on 1,000,000 matters)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import staff_user
from tests.intake.test_triage_transitions import VN, make_matter
from tiepdan.core.models import Role
from tiepdan.hearings.models import Hearing, HearingMatter, HearingStatus
from tiepdan.intake import matter_deadlines as md
from tiepdan.intake.models import (
    Attachment,
    Matter,
    MatterDeadline,
    MatterKind,
    MatterStatus,
    Representative,
)

pytestmark = pytest.mark.django_db

#: Monday 09/03/2026, 08:00 in Hải Phòng: matters received before it have running deadlines,
#: some overdue, some due soon.
NOW = dt.datetime(2026, 3, 9, 8, tzinfo=VN)
_numbers = itertools.count(1)


@pytest.fixture
def officer(an_lao, client, login_staff, time_machine, monkeypatch):
    time_machine.move_to(NOW, tick=False)
    # The calendar's signature query runs once a second (workdays.services.SIGNATURE_TTL): on a
    # slow machine it would fall into one measured request and not the other.  Here it runs
    # once, in the first request; the counts compared are the pages' own queries.
    from tiepdan.workdays import services

    monkeypatch.setattr(services, "SIGNATURE_TTL", 3600.0)
    user = staff_user(Role.OFFICE_OFFICER, an_lao)
    login_staff(client, user)
    return user


def _queries(client, url: str) -> tuple[int, object]:
    """How many queries the page ``url`` reads, and its response."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response


#: The matters of the pages, five shapes repeated: (status, kind, days before NOW received —
#: 24: overdue, 12: due soon, else running — and whether new, online, a group, a field, an
#: assisted registration), so 5 matters already give every filter of the inbox a row.
SHAPES = [
    (
        MatterStatus.NEW,
        MatterKind.KIEN_NGHI,
        1,
        {"wants_online": True, "group_size": 6, "field_of_law": "Lĩnh vực 1"},
    ),
    (MatterStatus.TRIAGED, MatterKind.KHIEU_NAI, 24, {"field_of_law": "Lĩnh vực 2"}),
    (MatterStatus.TRIAGED, MatterKind.TO_CAO, 12, {"registered_by": True}),
    (MatterStatus.ACCEPTED, MatterKind.PHAN_ANH, 3, {"wants_online": True, "group_size": 5}),
    (MatterStatus.NEW, MatterKind.KHIEU_NAI, 24, {"field_of_law": "Lĩnh vực 1"}),
]


def _add_matters(commune, officer, count: int) -> list[Matter]:
    """``count`` matters of every shape the pages show (``SHAPES``), each with its running
    deadlines, group matters with a representative."""
    rows = []
    for index in range(count):
        n = next(_numbers)
        status, kind, days, extra = SHAPES[index % len(SHAPES)]
        extra = {**extra, "registered_by": officer if extra.get("registered_by") else None}
        matter = make_matter(
            commune,
            kind=kind,
            status=status,
            received_at=NOW - dt.timedelta(days=days, minutes=n),
            full_name=f"Nguyễn Văn Thử {n}",
            **extra,
        )
        md.start_registration_deadlines(matter)
        if matter.group_size > 1:
            Representative.objects.create(
                matter=matter, position=1, full_name=f"Trần Thị Đại Diện {n}"
            )
        rows.append(matter)
    return rows


def _add_hearings(commune, chair, count: int) -> None:
    """``count`` held hearings without minutes and ``count`` hearings in preparation."""
    for k in range(count):
        past = NOW - dt.timedelta(days=3 + k)
        future = NOW + dt.timedelta(days=3 + k)
        for starts_at, status in ((past, HearingStatus.HELD), (future, HearingStatus.DRAFT)):
            Hearing.objects.create(
                commune=commune,
                kind="periodic",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=2),
                chair=chair,
                title=f"Tiếp công dân định kỳ {k}",
                status=status,
                created_by=chair,
                held_at=starts_at + dt.timedelta(hours=2) if status == HearingStatus.HELD else None,
            )


def _grow_a_matter(matter: Matter, count: int, officer) -> None:
    """``count`` representatives, documents, deadlines and hearings on ``matter``."""
    start = matter.representatives.count()
    for position in range(start + 1, start + count + 1):
        Representative.objects.create(
            matter=matter, position=position, full_name=f"Người Đại Diện {position}"
        )
        Attachment.objects.create(
            commune=matter.commune,
            matter=matter,
            upload_token=f"tok-{matter.pk}-{position}",
            file=f"attachments/thu-{position}.pdf",
            original_name=f"don-{position}.pdf",
            content_type="application/pdf",
            extension="pdf",
            size=1000,
            sha256="0" * 64,
        )
        MatterDeadline.objects.create(
            matter=matter,
            commune=matter.commune,
            rule_key=f"bench_rule_{position}",
            trigger=NOW.date(),
            due=NOW.date() + dt.timedelta(days=position),
            explanation="thử",
            started_at=NOW,
        )
        hearing = Hearing.objects.create(
            commune=matter.commune,
            kind="periodic",
            starts_at=NOW - dt.timedelta(days=position),
            chair=officer,
            created_by=officer,
            ends_at=NOW - dt.timedelta(days=position) + dt.timedelta(hours=2),
            title=f"Buổi tiếp {position}",
            status=HearingStatus.HELD,
            held_at=NOW - dt.timedelta(days=position) + dt.timedelta(hours=2),
        )
        HearingMatter.objects.create(hearing=hearing, matter=matter, position=position)
    Matter.objects.filter(pk=matter.pk).update(group_size=start + count + 5)


INBOX_PAGES = [
    {},  # the default: new first, then the nearest deadline
    {"q": "nguyen van thu"},
    {"status": MatterStatus.TRIAGED, "kind": MatterKind.KHIEU_NAI, "sort": "received"},
    {"deadline": "overdue"},
    {"deadline": "due_soon", "rule": md.NOTIFY_OUTCOME},
    {"sort": "deadline"},
    {"field": "Lĩnh vực 1", "online": "yes", "channel": "online_form"},
    {"status": MatterStatus.NEW},  # the dashboard's link
]


@pytest.mark.parametrize("params", INBOX_PAGES, ids=lambda p: ",".join(p) or "default")
def test_the_inbox_reads_as_many_queries_for_50_matters_as_for_5(
    client, officer, an_lao, params, django_assert_max_num_queries
):
    _add_matters(an_lao, officer, 5)
    url = (
        reverse("intake:inbox", args=[an_lao.ward_code])
        + "?"
        + "&".join(f"{k}={v}" for k, v in params.items())
    )
    few, response = _queries(client, url)
    assert response.context["rows"], "already 5 matters give this page rows"
    _add_matters(an_lao, officer, 45)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    if not params:
        assert len(response.context["rows"]) == 50


def test_the_matter_page_reads_as_many_queries_with_50_documents_as_with_5(
    client, officer, an_lao, django_assert_max_num_queries
):
    matter = _add_matters(an_lao, officer, 1)[0]
    _grow_a_matter(matter, 5, officer)
    url = reverse("intake:matter", args=[an_lao.ward_code, matter.pk])
    few, _response = _queries(client, url)
    _grow_a_matter(matter, 45, officer)
    _add_matters(an_lao, officer, 50)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("Người Đại Diện") == 50 and body.count("don-") >= 50


def test_the_dashboard_reads_as_many_queries_for_50_matters_and_hearings_as_for_5(
    client, officer, an_lao, django_assert_max_num_queries
):
    chairman = staff_user(Role.CHAIRMAN, an_lao)
    _add_matters(an_lao, officer, 5)
    _add_hearings(an_lao, chairman, 5)
    url = reverse("core:dashboard")
    few, _response = _queries(client, url)
    _add_matters(an_lao, officer, 45)
    _add_hearings(an_lao, chairman, 45)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert "Hồ sơ mới chờ phân loại" in response.content.decode()


def test_the_matter_page_reads_each_related_table_once(client, officer, an_lao):
    """Its steps and its panels need the same register line, hearings, tasks and closure: each
    is read once (``core.page_memo``), not once by each part of the page."""
    from tiepdan.followup.models import Body, FollowUpTask
    from tiepdan.intake.register.models import RegisterEntry

    matter = _add_matters(an_lao, officer, 1)[0]
    _grow_a_matter(matter, 3, officer)
    # Saved directly on purpose, like the rest of this file's volume (bench/pages.py): the
    # page's queries are counted, whatever history led to the rows (tests/builders.py gives
    # a concluded matter through the services where the history matters).
    Matter.objects.filter(pk=matter.pk).update(status=MatterStatus.CONCLUDED)
    RegisterEntry.objects.create(commune=an_lao, matter=matter, year=2026, number=1,
                                 received_on=NOW.date(), summary="thử", kind=matter.kind,
                                 follow_up_on=NOW.date(), recorded_at=NOW)
    body = Body.objects.create(commune=an_lao, name="Phòng Kinh tế")
    FollowUpTask.objects.create(matter=matter, body=body, title="Kiểm tra hiện trạng",
                                due_date=NOW.date() + dt.timedelta(days=10))
    url = reverse("intake:matter", args=[an_lao.ward_code, matter.pk])
    _count, response = _queries(client, url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    body_text = response.content.decode()
    assert "Kiểm tra hiện trạng" in body_text and "STT 1" in body_text

    def reads(table: str) -> int:
        return sum(1 for q in captured.captured_queries
                   if q["sql"].lstrip().upper().startswith("SELECT")
                   and f'FROM "{table}"' in q["sql"])

    assert reads("register_registerentry") == 1
    assert reads("hearings_hearingmatter") == 1
    assert reads("followup_followuptask") == 1
    assert reads("followup_matterclosure") == 1
