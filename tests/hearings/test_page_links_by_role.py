"""Every staff link on the hearings list, a hearing's page and the follow-up board opens for the
role that sees it: a technical operator, who runs the rooms but reads no matter, is not sent to
the inbox (403), to a matter of the agenda or to a document (404).  A page that explains a
state (the room before its window: 409, with when it opens) is not a broken link."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.builders import make_hearing
from tests.factories import staff_user
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db

STAFF_LINK = re.compile(r'href="(/can-bo/[^"#?]*)"')
DOWNLOAD = re.compile(r"/(xlsx|pdf|docx|tai-ve)/$")


def _links(page: str) -> set[str]:
    return {link for link in STAFF_LINK.findall(page) if not DOWNLOAD.search(link)}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.CITY_OBSERVER], ids=str)
def test_every_link_opens_for_the_role_that_sees_it(client, login_staff, an_lao, clock, role):
    hearing = make_hearing(an_lao, "confirmed", clock=clock)
    user = staff_user(role, commune=an_lao)
    login_staff(client, user)
    pages = [reverse("hearings:list", args=[an_lao.ward_code]),
             reverse("hearings:detail", args=[an_lao.ward_code, hearing.pk]),
             reverse("followup:board", args=[an_lao.ward_code])]
    broken = []
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            continue  # the role does not see this page (its own test says which may)
        for link in _links(response.content.decode()) - {reverse("core:logout")}:
            status = client.get(link).status_code
            if status in (403, 404) or status >= 500:
                broken.append((url, link, status))
    assert not broken, (role, broken)
