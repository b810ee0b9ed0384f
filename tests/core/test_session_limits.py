"""Staff sessions: 30 minutes idle, 12 hours at most, gone with the browser, and ended on every
device after a password or TOTP change."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import STAFF_PASSWORD, device_of

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return client.get(reverse("core:dashboard")).status_code == 200


def test_the_session_cookie_ends_with_the_browser(client, officer, login_staff):
    login_staff(client, officer)
    cookie = client.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_thirty_idle_minutes_sign_out(client, officer, login_staff):
    login_staff(client, officer)
    with time_machine.travel(dt.timedelta(minutes=29)):
        assert _signed_in(client)
    with time_machine.travel(dt.timedelta(minutes=29 + 31)):
        assert not _signed_in(client)


def test_activity_keeps_the_session_but_not_beyond_twelve_hours(client, officer, login_staff):
    login_staff(client, officer)
    for minutes in range(25, 12 * 60, 25):
        with time_machine.travel(dt.timedelta(minutes=minutes)):
            assert _signed_in(client), f"signed out after {minutes} min of activity"
    with time_machine.travel(dt.timedelta(hours=12, minutes=5)):
        assert not _signed_in(client)


def test_a_password_change_signs_out_the_other_devices(officer, login_staff):
    laptop, phone = Client(), Client()
    login_staff(laptop, officer)
    login_staff(phone, officer)
    officer.set_password(STAFF_PASSWORD + "-moi")
    officer.save()
    assert not _signed_in(laptop) and not _signed_in(phone)


def test_a_new_totp_device_signs_out_every_session(officer, login_staff):
    laptop = Client()
    login_staff(laptop, officer)
    device_of(officer).delete()
    TOTPDevice.objects.create(user=officer, name="Điện thoại mới", confirmed=True)
    assert not _signed_in(laptop)


def test_an_unchanged_device_keeps_the_session(officer, login_staff):
    laptop = Client()
    login_staff(laptop, officer)
    device = device_of(officer)
    device.name = "Đổi tên"
    device.save()
    assert _signed_in(laptop)
