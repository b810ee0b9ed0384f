"""Every absolute link comes from one setting, SITE_URL (tiepdan.core.public_urls); without
one, `tiepdan serve` derives it from the address it serves (tests/core/test_serve_address.py
starts the real command)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.builders import make_hearing, make_matter
from tiepdan.core.public_urls import absolute, absolute_reverse, derived_site_url
from tiepdan.hearings.models import Participant
from tiepdan.intake.models import Matter
from tiepdan.notify.models import Delivery

LINK = re.compile(r"https?://[^\s\"<>]+")


@pytest.mark.parametrize(("host", "expected"), [
    ("127.0.0.1", "http://127.0.0.1:8161"),
    ("localhost", "http://localhost:8161"),
    ("0.0.0.0", "http://127.0.0.1:8161"),  # noqa: S104 - a wildcard bind is reached on loopback
    ("::", "http://[::1]:8161"),
    ("::1", "http://[::1]:8161"),
    ("tiepdan.example.vn", "http://tiepdan.example.vn:8161"),
], ids=["loopback", "name", "ipv4-wildcard", "ipv6-wildcard", "ipv6", "public-name"])
def test_it_derives_the_address_of_the_server_started(host, expected):
    assert derived_site_url(host, 8161) == expected


def test_it_builds_every_absolute_link_on_site_url(settings):
    settings.SITE_URL = "https://tiepdan.anlao.example.vn"
    assert absolute("/tra-cuu/") == "https://tiepdan.anlao.example.vn/tra-cuu/"
    assert absolute_reverse("intake:lookup") == "https://tiepdan.anlao.example.vn/tra-cuu/"


def test_it_rejects_a_path_that_is_not_absolute():
    with pytest.raises(ValueError, match="starting with '/'"):
        absolute("tra-cuu/")


def hearing_with_citizen(commune) -> Participant:
    """The citizen invited to a confirmed hearing of her matter: she gave an e-mail address and
    her mobile number when she registered, the citizens' point brought her, and the
    confirmation sent her the invitation."""
    matter = make_matter(commune, "approved", email="cong.dan@example.org")
    hearing = make_hearing(commune, "confirmed", matters=[matter])
    return Participant.objects.get(bridge_point__hearing=hearing, is_citizen=True)


def test_invitation_mail_and_sms_link_to_the_port_serve_was_started_on(settings, an_lao):
    # What `tiepdan serve --port 8161` gives its children when SITE_URL is unset.
    settings.SITE_URL = derived_site_url("127.0.0.1", 8161)
    hearing_with_citizen(an_lao)  # confirming the hearing sends the invitations
    mail = Delivery.objects.get(purpose="hearings.invitation", channel="email")
    sms = Delivery.objects.get(purpose="hearings.invitation", channel="sms")
    mail_links, sms_links = LINK.findall(mail.body_text), LINK.findall(sms.body_text)
    assert len(mail_links) == 3  # reply, room, readiness test
    assert len(sms_links) == 1
    for link in mail_links + sms_links:
        assert link.startswith("http://127.0.0.1:8161/"), link


def test_receipt_mail_links_to_the_status_page_of_the_matter(settings, client, an_lao,
                                                             form_data):
    settings.SITE_URL = derived_site_url("127.0.0.1", 8161)
    client.post(reverse("intake:register", args=[an_lao.ward_code]),
                {**form_data, "email": "cong.dan@example.org"})
    matter = Matter.objects.get()
    receipt = Delivery.objects.get(purpose="intake.receipt")
    (status_link,) = LINK.findall(receipt.body_text)
    assert status_link.startswith("http://127.0.0.1:8161/ho-so/")
    assert f'href="{status_link}"' in receipt.body_html

    # The link opens the matter's status, on any device (no session needed).
    response = client.__class__().get(status_link.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    page = response.content.decode()
    assert matter.tracking_code in page
    assert "Đơn đã được tiếp nhận, đang chờ cán bộ xem xét, phân loại." in page
