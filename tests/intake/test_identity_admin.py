"""The admin site can never reveal a protected identity."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import staff_user
from tiepdan.intake.identity.sealing import MASK_NAME

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


def test_matters_are_view_only_in_the_admin_and_viewing_is_audited(admin_client, an_lao):
    """No status can be changed past the state machine, and no matter added or deleted."""
    from tiepdan.core.models import PersonalDataAccess
    from tiepdan.intake.models import Matter

    matter = register(an_lao)
    url = reverse("admin:intake_matter_change", args=[matter.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="_save"' not in page
    response = admin_client.post(url, {"status": "closed"})
    assert response.status_code == 403
    matter.refresh_from_db()
    assert matter.status == "new"
    assert admin_client.get(reverse("admin:intake_matter_add")).status_code == 403
    assert admin_client.post(reverse("admin:intake_matter_delete", args=[matter.pk]),
                             {"post": "yes"}).status_code == 403
    assert Matter.objects.filter(pk=matter.pk).exists()
    assert PersonalDataAccess.objects.filter(
        type="intake.matter.viewed_in_admin", object_id=str(matter.pk),
        data={"tracking_code": matter.tracking_code}).exists()


@pytest.mark.parametrize("model", ["triagerecord", "matterdeadline"])
def test_triage_records_and_deadlines_are_listed_read_only(admin_client, an_lao, model):
    register(an_lao)
    assert admin_client.get(reverse(f"admin:intake_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:intake_{model}_add")).status_code == 403
