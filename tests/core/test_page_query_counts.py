"""The staff pages an officer uses all day read a fixed number of queries, however many matters,
deadlines, hearings or documents there are: the inbox and the dashboard are counted with 5
matters, then must not need more queries with 50; the matter page with 1 representative,
document and hearing, then with 5 (an N+1 coming back fails here; bench/pages.py measures the
same pages on 1,000,000 matters).  Every row comes through the services (tests.builders), as an
office would have them."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import (
    advance,
    hearing_start,
    make_hearing,
    make_matter,
    make_task,
    registration_data,
)
from tests.factories import staff_user
from tests.samples import pdf_bytes
from tiepdan.core.models import Role
from tiepdan.hearings import queues
from tiepdan.intake import matter_deadlines as md
from tiepdan.intake.attachments import check_file
from tiepdan.intake.models import Channel, Matter, MatterKind, MatterStatus
from tiepdan.intake.registration.forms import RegistrationForm
from tiepdan.intake.registration.services import register_matter
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db

#: Monday 09/03/2026, 08:00 in Hải Phòng: matters received before it have running deadlines,
#: some overdue, some due soon.
NOW = dt.datetime(2026, 3, 9, 8, tzinfo=VN_TZ)
PDF = pdf_bytes()
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


#: A recommendation registered by a group of 6 through the form, with its representative.
def _group(n: int) -> dict[str, object]:
    return {"is_group": "on", "group_size": 6, "rep_1_name": f"Trần Thị Đại Diện {n}"}


COMPLAINT = {"complained_decision": "Quyết định số 12/QĐ-UBND về thu hồi đất"}

#: The matters of the pages, five shapes repeated, each registered through the form that many
#: days before NOW and brought to its state by the office (tests.builders): (state, kind, days
#: — 24: overdue, 12: due soon, else running — and what the citizen or the office gave: online
#: or not, a group, a field of law, an assisted registration), so 5 matters already give every
#: filter of the inbox a row.
SHAPES = [
    ("new", MatterKind.KIEN_NGHI, 1, {"group": True}),
    ("triaged", MatterKind.KHIEU_NAI, 24,
     {**COMPLAINT, "wants_online": "", "field_of_law": "Môi trường"}),
    ("triaged", MatterKind.TO_CAO, 12, {"wants_online": "", "channel": Channel.ASSISTED}),
    ("accepted", MatterKind.PHAN_ANH, 3, {"group": True, "field_of_law": "Xây dựng"}),
    ("new", MatterKind.KHIEU_NAI, 24, {**COMPLAINT, "wants_online": ""}),
]


def _add_matters(commune, officer, count: int) -> list[Matter]:
    """``count`` matters of every shape the pages show (``SHAPES``), each with the deadlines
    its registration started, group matters with a representative."""
    rows = []
    for index in range(count):
        n = next(_numbers)
        state, kind, days, extra = SHAPES[index % len(SHAPES)]
        fields = {key: value for key, value in extra.items() if key != "group"}
        if extra.get("group"):
            fields.update(_group(n))
        if fields.get("channel") == Channel.ASSISTED:
            fields["registered_by"] = officer
        rows.append(make_matter(commune, state, officer=officer, kind=kind,
                                since=NOW - dt.timedelta(days=days, minutes=n),
                                full_name=f"Nguyễn Văn Thử {n}", **fields))
    return rows


def _add_hearings(commune, officer, chair, held: range, planned: range) -> None:
    """A hearing held (with its matter) and still without minutes for each of ``held``, a week
    apart, and a hearing in preparation (a draft with an approved matter) for each of
    ``planned``, a working day apart, all planned through the planning service."""
    for k in held:
        make_hearing(commune, "held", officer=officer, chairman=chair,
                     since=NOW - dt.timedelta(days=40 + 7 * k), title=f"Tiếp công dân {k}")
    for k in planned:
        make_hearing(commune, "draft", officer=officer, chairman=chair,
                     starts_at=hearing_start(10 + k), title=f"Tiếp công dân định kỳ {k}")


def _heard_matter(commune, officer, size: int, since: dt.datetime) -> Matter:
    """A group complaint registered at ``since`` with ``size`` representatives and ``size``
    documents (the form allows up to 5 of each), accepted, approved for an online hearing and
    heard on the ``size``-th hearing planned for it (the ones before were cancelled)."""
    n = next(_numbers)
    data = registration_data(
        commune, kind=MatterKind.KHIEU_NAI, **COMPLAINT, is_group="on", group_size=12,
        **{f"rep_{i}_name": f"Người Đại Diện {n}.{i}" for i in range(1, size + 1)})
    with time_machine.travel(since, tick=False):
        form = RegistrationForm(data=data)
        assert form.is_valid(), form.errors.as_json()
        files = [check_file(f"don-{n}-{i}.pdf", io.BytesIO(PDF), len(PDF))
                 for i in range(1, size + 1)]
        matter = register_matter(commune, form.cleaned_data, channel=Channel.ONLINE_FORM,
                                 files=files)
    matter = advance(matter, "approved", officer=officer, since=since)
    for day in range(1, size):
        make_hearing(commune, "cancelled", matters=[matter], officer=officer,
                     since=since + dt.timedelta(days=day))
    make_hearing(commune, "held", matters=[matter], officer=officer,
                 since=since + dt.timedelta(days=size))
    matter.refresh_from_db()
    assert matter.status == MatterStatus.HEARD
    return matter


INBOX_PAGES = [
    {},  # the default: new first, then the nearest deadline
    {"q": "nguyen van thu"},
    {"status": MatterStatus.TRIAGED, "kind": MatterKind.KHIEU_NAI, "sort": "received"},
    {"deadline": "overdue"},
    {"deadline": "due_soon", "rule": md.NOTIFY_OUTCOME},
    {"sort": "deadline"},
    {"field": "Xây dựng", "online": "yes", "channel": "online_form"},
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


def test_the_matter_page_reads_as_many_queries_with_5_documents_as_with_1(
    client, officer, an_lao, django_assert_max_num_queries
):
    small = _heard_matter(an_lao, officer, 1, since=NOW - dt.timedelta(days=120))
    few, _response = _queries(client, reverse("intake:matter", args=[an_lao.ward_code,
                                                                     small.pk]))
    big = _heard_matter(an_lao, officer, 5, since=NOW - dt.timedelta(days=90))
    assert (big.representatives.count(), big.attachments.count(),
            big.hearing_items.count()) == (5, 5, 5)
    _add_matters(an_lao, officer, 10)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("intake:matter", args=[an_lao.ward_code, big.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("Người Đại Diện") == 5
    assert all(attachment.original_name in body for attachment in big.attachments.all())


def test_the_dashboard_reads_as_many_queries_for_50_matters_and_21_hearings_as_for_5_and_7(
    client, officer, an_lao, django_assert_max_num_queries
):
    chairman = staff_user(Role.CHAIRMAN, an_lao)
    _add_matters(an_lao, officer, 5)
    # The dashboard lists the first hearings in preparation and counts the others: already
    # that many make it count them.
    _add_hearings(an_lao, officer, chairman, held=range(2), planned=range(queues.LISTED))
    url = reverse("core:dashboard")
    few, _response = _queries(client, url)
    _add_matters(an_lao, officer, 45)
    _add_hearings(an_lao, officer, chairman, held=range(2, 6),
                  planned=range(queues.LISTED, 3 * queues.LISTED))
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert "Hồ sơ mới chờ phân loại" in response.content.decode()


def test_the_matter_page_reads_each_related_table_once(client, officer, an_lao):
    """Its steps and its panels need the same register line, hearings, tasks and closure: each
    is read once (``core.page_memo``), not once by each part of the page."""
    from tiepdan.followup.models import Body

    # Accepted (its register line), heard and concluded through the services; then the
    # office assigns a follow-up task.
    matter = make_matter(an_lao, "concluded", officer=officer, since=NOW - dt.timedelta(days=40))
    body = Body.objects.create(commune=an_lao, name="Phòng Kinh tế")
    make_task(matter, body=body, actor=officer, title="Kiểm tra hiện trạng")
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
