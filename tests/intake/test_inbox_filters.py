"""Inbox filters, sorts and pages: 50 a page, every matter reachable (no silent cut at 200),
filters and the search kept in the page and sort links; bad parameters never fail."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from tests.builders import COMPLAINT, make_matter, register, register_many
from tiepdan.intake.inbox import PAGE_SIZE
from tiepdan.intake.models import Channel
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


def _matters(response) -> list:
    """The matters of an inbox page, in its order."""
    return [row.matter for row in response.context["rows"]]


@pytest.fixture
def signed_in(client, login_staff, officer):
    login_staff(client, officer)
    return client


def _codes(response) -> list[str]:
    assert response.status_code == 200
    return [m.tracking_code for m in _matters(response)]


def _inbox(client, commune, **params):
    return client.get(reverse("intake:inbox", args=[commune.ward_code]), params)


def test_it_pages_beyond_200_matters(signed_in, an_lao):
    registered = register_many(an_lao, [f"Người Thứ {i}" for i in range(230)])
    first = _inbox(signed_in, an_lao, sort="received")
    assert len(_codes(first)) == PAGE_SIZE
    page = first.context["page"]
    assert page.paginator.count == 230 and page.paginator.num_pages == 5
    assert "230 hồ sơ" in first.content.decode()
    seen = []
    for number in range(1, 6):
        seen += _codes(_inbox(signed_in, an_lao, sort="received", page=number))
    assert len(seen) == 230 and len(set(seen)) == 230
    assert seen[0] == registered[-1].tracking_code and seen[-1] == registered[0].tracking_code


def test_the_page_links_keep_the_search_and_filters(signed_in, an_lao):
    register_many(an_lao, [f"Nguyễn Văn {i}" for i in range(PAGE_SIZE + 5)], **COMPLAINT)
    make_matter(an_lao, kind="kien_nghi", full_name="Nguyễn Văn Khác")
    response = _inbox(signed_in, an_lao, q="nguyen", kind="khieu_nai", sort="received")
    assert response.context["page"].paginator.count == PAGE_SIZE + 5
    body = response.content.decode()
    link = body.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    params = parse_qs(urlparse(link).query)
    assert params == {"q": ["nguyen"], "kind": ["khieu_nai"], "sort": ["received"],
                      "page": ["2"]}
    second = signed_in.get(reverse("intake:inbox", args=[an_lao.ward_code]) + link)
    assert len(_codes(second)) == 5
    assert all(m.kind == "khieu_nai" for m in _matters(second))


@pytest.mark.parametrize(("params", "expected"), [
    ({"status": "accepted"}, ("accepted",)),
    ({"kind": "khieu_nai"}, ("complaint",)),
    ({"channel": "assisted"}, ("assisted",)),
    ({"online": "yes"}, ("online",)),
    ({"online": "no"}, ("accepted", "assisted", "complaint", "land")),
    ({"field": "Đất đai"}, ("land",)),
    ({"status": "accepted", "kind": "khieu_nai"}, ()),
], ids=lambda v: str(v))
def test_each_filter_narrows_the_list(signed_in, an_lao, officer, params, expected):
    offline = {"wants_online": ""}
    rows = {
        "accepted": make_matter(an_lao, "accepted", field_of_law="Xây dựng", **offline),
        "complaint": make_matter(an_lao, **COMPLAINT, **offline),
        "assisted": register(an_lao, channel=Channel.ASSISTED, registered_by=officer,
                             **offline),
        "online": make_matter(an_lao, online_reason="elderly"),
        "land": make_matter(an_lao, "triaged", field_of_law="Đất đai", **offline),
    }
    codes = set(_codes(_inbox(signed_in, an_lao, **params)))
    assert codes == {rows[name].tracking_code for name in expected}


def test_the_deadline_filter_finds_overdue_and_due_soon_matters(signed_in, an_lao,
                                                                 time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 9, 8, tzinfo=VN_TZ))
    late, soon, _later = (
        make_matter(an_lao, "triaged", since=dt.datetime(2026, month, day, 9, tzinfo=VN_TZ))
        for month, day in ((2, 13), (2, 25), (3, 6)))  # due 06/03, 11/03 and 20/03
    assert _codes(_inbox(signed_in, an_lao, deadline="overdue")) == [late.tracking_code]
    assert _codes(_inbox(signed_in, an_lao, deadline="due_soon")) == [soon.tracking_code]
    assert _codes(_inbox(signed_in, an_lao, deadline="overdue", rule="notify_outcome")) == [
        late.tracking_code]
    assert _codes(_inbox(signed_in, an_lao, deadline="overdue", rule="refusal_notice")) == []


def test_it_sorts_by_received_date_deadline_and_status(signed_in, an_lao):
    def matter(state, day):
        since = dt.datetime(2026, 3, day, 9, tzinfo=VN_TZ)
        return make_matter(an_lao, state, since=since).tracking_code

    a = matter("triaged", 10)
    b = matter("new", 2)
    c = matter("accepted", 5)  # its decision met the deadlines: none open
    d = matter("triaged", 3)
    assert _codes(_inbox(signed_in, an_lao, sort="received")) == [a, c, d, b]
    assert _codes(_inbox(signed_in, an_lao, sort="received_asc")) == [b, d, c, a]
    assert _codes(_inbox(signed_in, an_lao, sort="deadline")) == [b, d, a, c]
    # accepted, new, triaged (the latest received first)
    assert _codes(_inbox(signed_in, an_lao, sort="status")) == [c, b, a, d]
    assert _codes(_inbox(signed_in, an_lao)) == [b, d, a, c]  # new first, then the nearest due


@pytest.mark.parametrize("params", [
    {"page": "abc"}, {"page": "9999"}, {"sort": "drop table"}, {"status": "nonsense"},
    {"deadline": "tomorrow"}, {"q": "x" * 500}, {"rule": "<script>"},
], ids=lambda v: str(v))
def test_bad_parameters_show_the_inbox_without_failing(signed_in, an_lao, params):
    matter = make_matter(an_lao)
    response = _inbox(signed_in, an_lao, **params)
    assert response.status_code == 200
    if "q" not in params and "rule" not in params:
        assert _codes(response) == [matter.tracking_code]


def test_the_form_works_without_javascript(signed_in, an_lao):
    body = _inbox(signed_in, an_lao).content.decode()
    assert '<form method="get" class="inbox-filters"' in body
    for name in ("q", "status", "kind", "field", "channel", "deadline", "online", "sort"):
        assert f'name="{name}"' in body
