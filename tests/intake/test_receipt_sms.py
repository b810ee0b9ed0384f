"""The SMS receipt on registration: one text, in one GSM-7 segment, with the tracking code, the
commune and the short link to the status page; its job is idempotent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.intake import identity_helpers as sealed
from tiepdan.intake import tasks
from tiepdan.intake.models import Matter
from tiepdan.intake.registration.receipt_sms import send_receipt_sms
from tiepdan.intake.status import status_short_url
from tiepdan.notify.models import Channel, Delivery, DeliveryStatus
from tiepdan.notify.sms_text import SmsEncoding, cost

pytestmark = pytest.mark.django_db

PURPOSE = "intake.receipt_sms"


def _register(client, an_lao, form_data, django_capture_on_commit_callbacks) -> Matter:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    return Matter.objects.get()


def test_the_citizen_gets_a_receipt_sms_on_registration(
    client, an_lao, form_data, django_capture_on_commit_callbacks, settings
):
    matter = _register(client, an_lao, form_data, django_capture_on_commit_callbacks)
    [sms] = Delivery.objects.filter(purpose=PURPOSE)
    assert (sms.channel, sms.recipient, sms.status) == (
        Channel.SMS,
        "+84912000101",
        DeliveryStatus.SENT,
    )
    assert sms.body_text == (
        f"UBND xa An Lao da nhan don, ma ho so {matter.tracking_code}. "
        f"Theo doi: {status_short_url(matter)}"
    )
    assert (cost(sms.body_text).encoding, cost(sms.body_text).segments) == (SmsEncoding.GSM7, 1)
    # The link opens the matter's status page on any device.
    link = sms.body_text.rsplit(" ", 1)[1].removeprefix(settings.SITE_URL)
    page = Client().get(link, follow=True)
    assert page.status_code == 200 and matter.tracking_code in page.content.decode()


def test_running_the_job_again_sends_nothing_more(
    client, an_lao, form_data, django_capture_on_commit_callbacks
):
    matter = _register(client, an_lao, form_data, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        # The Huey job (run inline), as a retry or a re-driven run would.
        assert tasks.send_receipt_sms(matter.pk).get() is None
        assert tasks.send_receipt_sms(matter.pk).get() is None
    assert Delivery.objects.filter(purpose=PURPOSE).count() == 1


def test_the_job_sends_one_text_when_run_twice_before_any_delivery(
    client, an_lao, form_data, django_capture_on_commit_callbacks
):
    matter = _register(client, an_lao, form_data, django_capture_on_commit_callbacks)
    Delivery.objects.filter(purpose=PURPOSE).delete()  # as if the job had not run yet
    first, second = send_receipt_sms(matter.pk), send_receipt_sms(matter.pk)
    assert first is not None and second is None
    assert Delivery.objects.filter(purpose=PURPOSE).count() == 1


def test_no_phone_no_sms(client, an_lao, form_data, django_capture_on_commit_callbacks):
    matter = _register(client, an_lao, form_data, django_capture_on_commit_callbacks)
    Delivery.objects.filter(purpose=PURPOSE).delete()
    Matter.objects.filter(pk=matter.pk).update(phone="")
    assert send_receipt_sms(matter.pk) is None
    assert not Delivery.objects.filter(purpose=PURPOSE).exists()


def test_a_failed_registration_sends_no_sms(
    client, an_lao, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("intake:register", args=[an_lao.ward_code]), {**form_data, "consent": ""}
        )
    assert not Matter.objects.exists()
    assert not Delivery.objects.exists()


def test_a_denouncer_gets_the_receipt_on_their_own_phone_naming_nobody(
    an_lao, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        matter = sealed.register(an_lao)
    [sms] = Delivery.objects.filter(purpose=PURPOSE)
    assert sms.recipient == sealed.PHONE_E164
    assert matter.tracking_code in sms.body_text
    assert not any(secret in sms.body_text for secret in sealed.SECRETS)
    assert "Bình" not in sms.body_text and "Binh" not in sms.body_text
