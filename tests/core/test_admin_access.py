"""The admin site (/quan-tri/): superusers and system administrators, signed in with a code."""

import pytest
from django.urls import reverse

from tests.factories import StaffRoleFactory, staff_user
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri/"


def test_it_sends_anonymous_visitors_to_the_staff_login(client):
    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('core:login')}?next={ADMIN}"


def test_it_refuses_a_superuser_without_a_code(client, db):
    user = staff_user(None, is_staff=True, is_superuser=True)
    client.force_login(user)

    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("core:login"))


def test_it_opens_for_a_verified_superuser(client, login_staff):
    login_staff(client, staff_user(None, is_staff=True, is_superuser=True))

    assert client.get(ADMIN).status_code == 200


def test_it_opens_for_a_verified_system_administrator(client, city, login_staff):
    user = staff_user(Role.SYSTEM_ADMIN, city=city, is_staff=True)
    login_staff(client, user)

    assert client.get(ADMIN).status_code == 200


def test_it_forbids_other_verified_staff(client, an_lao, login_staff):
    user = staff_user(Role.CHAIRMAN, commune=an_lao, is_staff=True)
    login_staff(client, user)

    assert client.get(ADMIN, follow=True).status_code == 403


def test_it_shows_staff_roles_inline_on_the_user_page(client, an_lao, login_staff):
    login_staff(client, staff_user(None, is_staff=True, is_superuser=True))
    member = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    StaffRoleFactory(user=member, role=Role.COMMUNE_POLICE, commune=an_lao)

    response = client.get(reverse("admin:auth_user_change", args=[member.pk]))

    assert response.status_code == 200
    assert "staff_roles-TOTAL_FORMS" in response.content.decode()
