"""Signing in: password, then the 6-digit code of the authenticator app."""

import time

import pytest
from django.urls import reverse

from tests.factories import STAFF_PASSWORD, device_of, totp_code
from tiepdan.core.views.auth import PENDING_MAX_AGE

pytestmark = pytest.mark.django_db


def _password_step(client, user, password=STAFF_PASSWORD, **extra):
    data = {"username": user.get_username(), "password": password, **extra}
    return client.post(reverse("core:login"), data)


def test_it_shows_the_login_page_in_vietnamese(client):
    response = client.get(reverse("core:login"))
    assert response.status_code == 200
    assert "Đăng nhập cán bộ" in response.content.decode()


def test_it_signs_in_with_password_then_code(client, officer):
    response = _password_step(client, officer)
    assert response.url == reverse("core:login_verify")

    response = client.post(reverse("core:login_verify"), {"token": totp_code(device_of(officer))})

    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_password_alone_does_not_sign_in(client, officer):
    _password_step(client, officer)

    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


def test_it_rejects_a_wrong_password(client, officer):
    response = _password_step(client, officer, password="sai-mat-khau-roi")

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert client.get(reverse("core:login_verify")).url == reverse("core:login")


def test_it_rejects_a_wrong_code_and_keeps_asking(client, officer):
    _password_step(client, officer)
    right = totp_code(device_of(officer))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(reverse("core:login_verify"), {"token": wrong})

    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_it_rejects_a_code_that_is_not_six_digits(client, officer):
    _password_step(client, officer)

    response = client.post(reverse("core:login_verify"), {"token": "12ab"})

    assert "Mã xác thực gồm đúng 6 chữ số." in response.content.decode()


def test_it_accepts_a_code_typed_with_a_space(client, officer):
    _password_step(client, officer)
    code = totp_code(device_of(officer))

    response = client.post(reverse("core:login_verify"), {"token": f"{code[:3]} {code[3:]}"})

    assert response.url == reverse("core:dashboard")


def test_a_code_cannot_be_used_twice(client, officer):
    _password_step(client, officer)
    code = totp_code(device_of(officer))
    client.post(reverse("core:login_verify"), {"token": code})
    client.post(reverse("core:logout"))
    _password_step(client, officer)

    response = client.post(reverse("core:login_verify"), {"token": code})

    assert response.status_code == 200
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_it_goes_to_the_page_asked_for_after_signing_in(client, officer):
    _password_step(client, officer, next="/can-bo/xa/11629/ho-so/")

    response = client.post(reverse("core:login_verify"), {"token": totp_code(device_of(officer))})

    assert response.url == "/can-bo/xa/11629/ho-so/"


def test_it_never_redirects_to_another_site(client, officer):
    _password_step(client, officer, next="https://evil.example/")

    response = client.post(reverse("core:login_verify"), {"token": totp_code(device_of(officer))})

    assert response.url == reverse("core:dashboard")


def test_the_half_signed_in_state_expires(client, officer, time_machine):
    time_machine.move_to(time.time(), tick=True)
    _password_step(client, officer)
    time_machine.shift(PENDING_MAX_AGE + 1)

    response = client.get(reverse("core:login_verify"))

    assert response.url == reverse("core:login")


def test_an_inactive_user_cannot_sign_in(client, officer):
    officer.is_active = False
    officer.save()

    response = _password_step(client, officer)

    assert response.status_code == 200
    assert client.get(reverse("core:login_verify")).url == reverse("core:login")
