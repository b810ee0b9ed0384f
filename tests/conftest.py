"""Fixtures shared by every app's tests: communes of Hải Phòng and signing staff in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tiepdan.core.models import City, Commune

from .factories import STAFF_PASSWORD, CityFactory, CommuneFactory, device_of, totp_code

LoginStaff = Callable[..., HttpResponse]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers take ~0.2 s per check; security of test passwords does not matter.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city(db) -> City:
    """Thành phố Hải Phòng (province code 31)."""
    return CityFactory()


@pytest.fixture
def an_lao(city: City) -> Commune:
    return CommuneFactory(ward_code=11629, name="Xã An Lão", city=city)


@pytest.fixture
def lac_phuong(city: City) -> Commune:
    return CommuneFactory(ward_code=11140, name="Xã Lạc Phượng", city=city)


@pytest.fixture
def login_staff(db) -> LoginStaff:
    """``login_staff(client, user)`` signs ``user`` in through the real pages: password, then
    the current code of their TOTP device.  Returns the final redirect."""

    def login(client: Client, user: AbstractBaseUser, password: str = STAFF_PASSWORD
              ) -> HttpResponse:
        response = client.post(
            reverse("core:login"), {"username": user.get_username(), "password": password}
        )
        assert response.status_code == 302, "password step failed"
        assert response.url == reverse("core:login_verify")
        response = client.post(reverse("core:login_verify"), {"token": totp_code(device_of(user))})
        assert response.status_code == 302, "code step failed"
        return response

    return login
