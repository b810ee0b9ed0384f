"""``tiepdan totp <username>``: the current TOTP code of a staff member, for demos and tests.

``tiepdan totp <username> --create [--secret HEX]`` gives the user a new confirmed TOTP device
(replacing any TOTP devices they had), with a known key so demo accounts sign in predictably.

Printing a code turns a second factor into "whoever has a shell on the server", so it is
refused unless ``DEBUG`` is on or ``TIEPDAN_DEMO`` is set (``TIEPDAN_DEMO=1 tiepdan totp ...``),
and warns on stderr even then.  Creating a device is allowed always: it is what demo data
loading does, and someone with a shell can change a password anyway; a fixed ``--secret``
outside demo mode is warned about.  In production, reset a lost phone by deleting the user's
TOTP device in the admin: the user pairs a new one at the next sign-in.
"""

from __future__ import annotations

import binascii
import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

DEMO_ENV = "TIEPDAN_DEMO"


def demo_mode() -> bool:
    return settings.DEBUG or os.environ.get(DEMO_ENV, "").strip().lower() not in {"", "0", "false"}


def current_code(device: TOTPDevice) -> str:
    """The code ``device`` accepts right now, zero-padded."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def _hex_key(value: str) -> str:
    try:
        raw = binascii.unhexlify(value)
    except (binascii.Error, ValueError) as exc:
        raise CommandError("--secret must be hexadecimal (e.g. 40 hex digits).") from exc
    if not 10 <= len(raw) <= 64:
        raise CommandError("--secret must be 10 to 64 bytes (20 to 128 hex digits).")
    return value.lower()


class Command(BaseCommand):
    help = "Print the current TOTP code of a user (demo/ops only), or --create a TOTP device."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--create", action="store_true",
            help="Replace the user's TOTP devices with a new confirmed one.",
        )
        parser.add_argument("--secret", help="Hex key for --create (default: a random key).")

    def handle(self, *args: Any, username: str, create: bool, secret: str | None,
               **options: Any) -> None:
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if secret and not create:
            raise CommandError("--secret only goes with --create.")
        if create:
            self._create(user, secret)
            return
        if not demo_mode():
            raise CommandError(
                f"Refusing to print a second-factor code: set {DEMO_ENV}=1 (demo/tests only)."
            )
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"{username!r} has no confirmed TOTP device.")
        self.stderr.write("Warning: demo/ops only; a printed code bypasses the second factor.")
        self.stdout.write(current_code(device))

    def _create(self, user: Any, secret: str | None) -> None:
        key = _hex_key(secret) if secret else default_key()
        if secret and not demo_mode():
            self.stderr.write("Warning: a fixed --secret outside demo mode; use it only for demos.")
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(
                user=user, name="demo" if secret else "totp", key=key, confirmed=True
            )
        self.stdout.write(f"TOTP device created for {user.get_username()}.")
        if not secret:
            # A random key is useless unless someone can put it into an authenticator app.
            self.stdout.write(device.config_url)
