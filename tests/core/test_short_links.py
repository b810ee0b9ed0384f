"""Short personal links of SMS: ``/s/<kind><id><signature>`` opens the page of that object only."""

from __future__ import annotations

import pytest
from django.test import Client

from tiepdan.core import short_links
from tiepdan.core.errors import NotFound
from tiepdan.hearings.invitations import invitation_short_url, participant_from_token
from tiepdan.intake.models import Matter
from tiepdan.intake.status import matter_from_status_token, status_short_url

from .test_public_links import hearing_with_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(client, an_lao, form_data):
    from django.urls import reverse

    client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    return Matter.objects.get()


def _path(url: str, settings) -> str:
    assert url.startswith(settings.SITE_URL + "/s/")
    return url.removeprefix(settings.SITE_URL)


def test_a_status_link_opens_the_status_page_of_its_matter(matter, settings):
    url = status_short_url(matter)
    response = Client().get(_path(url, settings))  # another device: no session
    assert response.status_code == 302
    token = response.url.removeprefix("/ho-so/").rstrip("/")
    assert matter_from_status_token(token) == matter
    page = Client().get(response.url)
    assert page.status_code == 200 and matter.tracking_code in page.content.decode()


def test_an_invitation_link_opens_the_invitation_page_of_its_participant(an_lao, settings):
    participant = hearing_with_citizen(an_lao)
    response = Client().get(_path(invitation_short_url(participant), settings))
    assert response.status_code == 302 and response.url.startswith("/moi/")
    assert participant_from_token(response.url.split("/")[2]) == participant
    assert Client().get(response.url).status_code == 200


def test_the_link_is_short(matter, settings):
    token = status_short_url(matter).removeprefix(settings.SITE_URL + "/s/")
    assert len(token) == 1 + len(short_links.signing.b62_encode(matter.pk)) + 8
    assert token.startswith("h")


def test_the_link_is_built_on_the_public_address(matter, settings):
    settings.SITE_URL = "https://tiepdan.anlao.gov.vn"
    assert status_short_url(matter).startswith("https://tiepdan.anlao.gov.vn/s/h")


def _tampered(token: str) -> list[str]:
    flip = {"a": "b"}.get(token[-1], "a")
    return [
        token[:-1] + flip,  # one character of the signature
        token[:-8],  # no signature
        token[:1]
        + short_links.signing.b62_encode(short_links.signing.b62_decode(token[1:-8]) + 1)
        + token[-8:],  # another id
        token + "x",  # a character more
        "",
    ]


def test_a_tampered_link_is_a_vietnamese_404(matter, settings):
    token = status_short_url(matter).removeprefix(settings.SITE_URL + "/s/")
    for bad in _tampered(token):
        if not bad:
            continue
        response = Client().get(f"/s/{bad}")
        assert response.status_code == 404, bad
        text = response.content.decode()
        assert "Không mở được đường dẫn" in text and "Đường dẫn không đúng" in text
        assert matter.tracking_code not in text


def test_a_link_of_one_kind_does_not_open_another(matter, an_lao, settings):
    participant = hearing_with_citizen(an_lao)
    invitation = invitation_short_url(participant).removeprefix(settings.SITE_URL + "/s/")
    # The same id under the other kind's letter: the signature covers the kind.
    as_status = "h" + invitation[1:]
    with pytest.raises(NotFound):
        short_links.resolve(as_status)
    assert Client().get(f"/s/{as_status}").status_code == 404


def test_a_link_to_an_object_that_is_gone_is_a_404(an_lao, settings):
    participant = hearing_with_citizen(an_lao)
    url = invitation_short_url(participant)
    participant.delete()
    assert Client().get(_path(url, settings)).status_code == 404


def test_an_unknown_kind_is_a_404():
    body = "z" + short_links.signing.b62_encode(1)
    assert Client().get(f"/s/{body}{short_links._signature(body)}").status_code == 404


def test_the_personal_link_is_kept_out_of_caches_and_referrers(matter, settings):
    response = Client().get(_path(status_short_url(matter), settings))
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_kind_is_one_letter_and_taken_once():
    with pytest.raises(ValueError):
        short_links.register_kind("hh", lambda pk: None)
    with pytest.raises(ValueError):
        short_links.register_kind("h", lambda pk: None)


def test_trying_links_is_rate_limited_but_opening_ones_own_is_not(matter, settings):
    settings.LOOKUP_PAGE_RATE = "3/m"
    client = Client()
    own = _path(status_short_url(matter), settings)
    assert [client.get(own).status_code for _ in range(5)] == [302] * 5
    misses = [client.get(f"/s/h1abcdefgh{n}").status_code for n in range(4)]
    assert misses == [404, 404, 404, 429]
