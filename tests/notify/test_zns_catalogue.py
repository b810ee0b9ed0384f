"""A message of the SMS catalogue goes as the commune's ZNS template with its values as the
template's parameters (accented), and falls back to its one-segment SMS text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tiepdan.intake.models import Matter
from tiepdan.intake.status import status_short_url
from tiepdan.notify.models import Channel, Delivery, DeliveryStatus
from tiepdan.notify.sms_text import SmsEncoding, cost

from .zns_server import ZnsServer, ZnsState, ZnsTemplate

pytestmark = pytest.mark.django_db

TOKEN = "oa-access-token-test"
RECEIPT = ZnsTemplate("300001", {"commune": 50, "code": 20, "link": 200})


@pytest.fixture
def zns(settings, an_lao):
    state = ZnsState(access_token=TOKEN, templates={RECEIPT.template_id: RECEIPT})
    with ZnsServer(state) as server:
        settings.ZNS_API_URL = server.url
        settings.ZNS_ACCESS_TOKEN = TOKEN
        settings.ZNS_COMMUNES = frozenset({str(an_lao.ward_code)})
        settings.ZNS_TEMPLATES = {"intake.receipt_sms": RECEIPT.template_id}
        yield state


def _register(client, an_lao, form_data, capture) -> Matter:
    with capture(execute=True):
        client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    return Matter.objects.get()


def test_the_receipt_goes_as_the_zns_template_with_accented_parameters(
    zns, client, an_lao, form_data, django_capture_on_commit_callbacks
):
    matter = _register(client, an_lao, form_data, django_capture_on_commit_callbacks)
    [request] = zns.requests
    assert request["template_id"] == RECEIPT.template_id
    assert request["template_data"] == {
        "commune": "UBND xã An Lão",
        "code": matter.tracking_code,
        "link": status_short_url(matter),
    }
    [delivery] = Delivery.objects.filter(purpose="intake.receipt_sms")
    assert (delivery.channel, delivery.status) == (Channel.ZNS, DeliveryStatus.SENT)


def test_without_zalo_the_receipt_falls_back_to_its_one_segment_sms(
    zns, client, an_lao, form_data, django_capture_on_commit_callbacks
):
    zns.no_zalo.add("84912000101")
    matter = _register(client, an_lao, form_data, django_capture_on_commit_callbacks)
    sms = Delivery.objects.get(purpose="intake.receipt_sms", channel=Channel.SMS)
    assert sms.fallback_of.channel == Channel.ZNS and sms.status == DeliveryStatus.SENT
    assert matter.tracking_code in sms.body_text
    assert (cost(sms.body_text).encoding, cost(sms.body_text).segments) == (SmsEncoding.GSM7, 1)
