"""Lockout (django-axes) after AXES_FAILURE_LIMIT failed sign-ins, wrong passwords and wrong
codes alike."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import STAFF_PASSWORD, device_of, totp_code

pytestmark = pytest.mark.django_db

LOCKED = "Tài khoản tạm thời bị khóa"


@pytest.fixture(autouse=True)
def _no_device_throttle(settings):
    # django-otp also slows down retries on the device itself (1 s, 2 s, 4 s ...); that has its
    # own tests upstream.  Switched off here so only axes' counting is exercised.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _password(client, user, password):
    return client.post(reverse("core:login"),
                       {"username": user.get_username(), "password": password})


def _wrong_code(user):
    return f"{(int(totp_code(device_of(user))) + 1) % 1_000_000:06d}"


def test_it_locks_out_after_five_wrong_passwords(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _password(client, officer, "sai-mat-khau").status_code == 200

    response = _password(client, officer, "sai-mat-khau")

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "liên hệ quản trị hệ thống" in page


def test_a_locked_out_user_is_refused_even_with_the_right_password(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(client, officer, "sai-mat-khau")

    response = _password(client, officer, STAFF_PASSWORD)

    assert response.status_code == 429
    assert client.get(reverse("core:login_verify")).url == reverse("core:login")


def test_wrong_codes_count_as_failures(client, officer, settings):
    _password(client, officer, STAFF_PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("core:login_verify"), {"token": _wrong_code(officer)})
        assert response.status_code == 200

    response = client.post(reverse("core:login_verify"), {"token": _wrong_code(officer)})

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start == 5


def test_wrong_passwords_and_wrong_codes_add_up(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _password(client, officer, "sai-mat-khau")
    _password(client, officer, STAFF_PASSWORD)

    response = client.post(reverse("core:login_verify"), {"token": _wrong_code(officer)})

    assert response.status_code == 429


def test_the_right_code_is_refused_once_locked_out(client, officer, settings):
    _password(client, officer, STAFF_PASSWORD)
    # Meanwhile someone else, from the same address, guesses the password.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(Client(), officer, "sai-mat-khau")

    response = client.post(reverse("core:login_verify"), {"token": totp_code(device_of(officer))})

    assert response.status_code == 429
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, officer, settings, login_staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _password(client, officer, "sai-mat-khau")

    login_staff(client, officer)

    assert not AccessAttempt.objects.filter(username=officer.username).exists()
