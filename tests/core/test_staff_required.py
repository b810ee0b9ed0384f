"""``staff_required``: staff pages need a session signed in with password AND code."""

import pytest
from django.urls import reverse

from tests.factories import STAFF_PASSWORD, staff_user
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db

DASHBOARD = "/can-bo/"


def test_it_sends_anonymous_visitors_to_login_with_the_page_to_return_to(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response.url == f"{reverse('core:login')}?next={DASHBOARD}"


def test_it_refuses_a_session_that_only_gave_the_password(client, an_lao):
    user = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    client.post(reverse("core:login"), {"username": user.username, "password": STAFF_PASSWORD})

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


def test_it_refuses_a_logged_in_but_unverified_session(client, an_lao):
    # A session logged in by any other path than the two-step login (no OTP device in it).
    user = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    client.force_login(user)

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


def test_it_lets_a_verified_session_through_and_forbids_caching(client, an_lao, login_staff):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
