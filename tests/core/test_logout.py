"""Signing out."""

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db


def test_it_signs_out_on_post(client, an_lao, login_staff):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))

    response = client.post(reverse("core:logout"))

    assert response.url == reverse("core:login")
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_it_refuses_get(client, an_lao, login_staff):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))

    assert client.get(reverse("core:logout")).status_code == 405
    assert client.get(reverse("core:dashboard")).status_code == 200
