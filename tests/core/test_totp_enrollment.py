"""First sign-in without an authenticator app: pair one and confirm it with a code."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import STAFF_PASSWORD, StaffRoleFactory, UserFactory, staff_user, totp_code
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(an_lao):
    """A staff member created by the administrator, who never signed in (no device yet)."""
    user = UserFactory()
    StaffRoleFactory(user=user, role=Role.OFFICE_OFFICER, commune=an_lao)
    return user


def _password_step(client, user):
    return client.post(reverse("core:login"),
                       {"username": user.username, "password": STAFF_PASSWORD})


def test_the_password_leads_to_enrollment_when_there_is_no_device(client, newcomer):
    assert _password_step(client, newcomer).url == reverse("core:totp_enroll")


def test_it_shows_a_qr_code_and_the_key_without_external_resources(client, newcomer):
    _password_step(client, newcomer)

    response = client.get(reverse("core:totp_enroll"))

    page = response.content.decode()
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    assert "<svg" in page
    assert 'id="totp-secret"' in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page


def test_reloading_the_page_keeps_the_same_key(client, newcomer):
    _password_step(client, newcomer)
    client.get(reverse("core:totp_enroll"))
    client.get(reverse("core:totp_enroll"))

    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_a_right_code_confirms_the_device_and_signs_in(client, newcomer):
    _password_step(client, newcomer)
    client.get(reverse("core:totp_enroll"))
    device = TOTPDevice.objects.get(user=newcomer)

    response = client.post(reverse("core:totp_enroll"), {"token": totp_code(device)})

    assert response.url == reverse("core:dashboard")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_wrong_code_leaves_the_device_unconfirmed(client, newcomer):
    _password_step(client, newcomer)
    client.get(reverse("core:totp_enroll"))
    device = TOTPDevice.objects.get(user=newcomer)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("core:totp_enroll"), {"token": wrong})

    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_a_password_alone_cannot_add_a_device_to_an_account_that_has_one(client, an_lao):
    user = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    _password_step(client, user)

    response = client.get(reverse("core:totp_enroll"))

    assert response.url == reverse("core:login_verify")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_enrollment_needs_the_password_first(client):
    assert client.get(reverse("core:totp_enroll")).url == reverse("core:login")
