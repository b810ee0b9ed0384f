"""``tiepdan totp``: print a user's current code (demo only) or give them a device."""

import io
import time

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import device_of, staff_user, totp_code
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db

SECRET = "3132333435363738393031323334353637383930"


def _run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command("totp", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_current_code_in_demo_mode(monkeypatch, an_lao, time_machine):
    time_machine.move_to(time.time(), tick=False)  # no step change between the two codes
    monkeypatch.setenv("TIEPDAN_DEMO", "1")
    user = staff_user(Role.OFFICE_OFFICER, commune=an_lao)

    out, err = _run(user.username)

    assert out.strip() == totp_code(device_of(user))
    assert "Warning" in err


def test_it_refuses_to_print_a_code_outside_demo_mode(monkeypatch, an_lao):
    monkeypatch.delenv("TIEPDAN_DEMO", raising=False)
    user = staff_user(Role.OFFICE_OFFICER, commune=an_lao)

    with pytest.raises(CommandError, match="TIEPDAN_DEMO"):
        _run(user.username)


def test_it_creates_a_confirmed_device_with_a_known_secret(an_lao):
    user = staff_user(Role.OFFICE_OFFICER, commune=an_lao)

    _run(user.username, "--create", "--secret", SECRET)

    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert device.key == SECRET


def test_it_creates_a_random_device_and_prints_its_setup_uri(an_lao):
    user = staff_user(None)

    out, _ = _run(user.username, "--create")

    assert "otpauth://totp/" in out
    assert TOTPDevice.objects.get(user=user).confirmed


def test_it_rejects_a_secret_that_is_not_hex(an_lao):
    user = staff_user(None)

    with pytest.raises(CommandError, match="hexadecimal"):
        _run(user.username, "--create", "--secret", "not-hex")


def test_it_rejects_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        _run("nobody", "--create")
