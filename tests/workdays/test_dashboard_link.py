"""The system administrator reaches the override table (ngày nghỉ, ngày làm bù) from the staff
dashboard, and only they get the link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db

LINK = "/quan-tri/workdays/calendaroverride/"


def test_the_system_administrator_follows_the_link_to_the_override_table(client, login_staff, city):
    admin = staff_user(Role.SYSTEM_ADMIN, city=city, is_staff=True, is_superuser=True)
    login_staff(client, admin)
    assert f'href="{LINK}"' in client.get(reverse("core:dashboard")).content.decode()
    assert reverse("admin:workdays_calendaroverride_changelist") == LINK
    assert client.get(LINK).status_code == 200


@pytest.mark.parametrize("role", [Role.OFFICE_OFFICER, Role.CHAIRMAN])
def test_commune_staff_get_no_link(client, login_staff, an_lao, role):
    login_staff(client, staff_user(role, commune=an_lao))
    assert f'href="{LINK}"' not in client.get(reverse("core:dashboard")).content.decode()
