"""The admin site can never reveal a protected identity."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import staff_user
from tiepdan.intake.protection import MASK_NAME

from .identity_helpers import leaked, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, login_staff):
    login_staff(client, staff_user(None, is_staff=True, is_superuser=True))
    return client


def test_the_change_page_of_a_sealed_matter_shows_only_masks(admin_client, an_lao):
    matter = register(an_lao)
    page = admin_client.get(reverse("admin:intake_matter_change", args=[matter.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert MASK_NAME in text and leaked(text) == []
    assert 'name="full_name"' not in text  # read-only: nobody types a real name back


def test_the_sealed_identities_are_not_in_the_admin(admin_client):
    with pytest.raises(NoReverseMatch):
        reverse("admin:intake_protectedidentity_changelist")
    assert admin_client.get("/quan-tri/intake/protectedidentity/").status_code == 404
