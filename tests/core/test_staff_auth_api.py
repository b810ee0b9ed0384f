"""``StaffAuth``: API calls need a session signed in with password AND code."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import STAFF_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.staff_api_urls")]


def test_it_returns_the_user_of_a_verified_session(client, officer, login_staff):
    login_staff(client, officer)

    response = client.get("/api/me")

    assert response.status_code == 200
    assert response.json() == {"username": officer.username}


def test_it_refuses_anonymous_calls(client, db):
    assert client.get("/api/me").status_code == 401


def test_it_refuses_a_password_only_session(client, officer):
    client.post(reverse("core:login"), {"username": officer.username, "password": STAFF_PASSWORD})

    assert client.get("/api/me").status_code == 401


def test_it_refuses_an_unverified_session(client, officer):
    client.force_login(officer)

    assert client.get("/api/me").status_code == 401


def test_it_checks_csrf_on_unsafe_methods(client, officer, login_staff):
    login_staff(client, officer)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies
    assert browser.post("/api/ping").status_code == 403

    browser.get(reverse("core:login"))  # any page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value

    assert browser.post("/api/ping", headers={"X-CSRFToken": token}).status_code == 200
