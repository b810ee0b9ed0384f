"""Staff sessions end after 30 minutes without a request, 12 hours after sign-in, when the
browser closes (SESSION_EXPIRE_AT_BROWSER_CLOSE), and on every device once the password or the
TOTP device changes (OWASP ASVS 5.0 V7).

A password change already ends the other sessions (Django keeps a hash of the password in the
session); the TOTP device is added to that check here: the session remembers a digest of the
user's confirmed devices at sign-in, and a session whose digest no longer matches is ended.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.deprecation import MiddlewareMixin

SIGNED_IN_AT = "_tiepdan_signed_in_at"
LAST_SEEN_AT = "_tiepdan_last_seen_at"
DEVICES_DIGEST = "_tiepdan_otp_devices"
_TOUCH_EVERY = 60  # seconds: the idle clock is written at most once a minute


def devices_digest(user: User) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    keys = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").values_list(
        "pk", "key")
    material = "|".join(f"{pk}:{key}" for pk, key in keys)
    return hashlib.sha256(f"{settings.SECRET_KEY}|{material}".encode()).hexdigest()


def on_sign_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """``user_logged_in``: every sign-in starts the clocks and remembers the devices."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session[DEVICES_DIGEST] = devices_digest(user)


def expired(session: Mapping[str, Any], user: User, now: int | None = None) -> bool:
    """Whether a signed-in staff session is past its limits (pages and the room's socket)."""
    now = int(time.time()) if now is None else now
    signed_in = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN_AT)
    if signed_in is None or last_seen is None:
        return True
    if now - signed_in > settings.STAFF_SESSION_ABSOLUTE_SECONDS:
        return True
    if now - last_seen > settings.STAFF_SESSION_IDLE_SECONDS:
        return True
    return session.get(DEVICES_DIGEST) != devices_digest(user)


class StaffSessionLimitsMiddleware(MiddlewareMixin):
    """After AuthenticationMiddleware: signs out a session past its limits."""

    def process_request(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        now = int(time.time())
        if expired(request.session, user, now):
            auth.logout(request)
            return
        if now - request.session[LAST_SEEN_AT] >= _TOUCH_EVERY:
            request.session[LAST_SEEN_AT] = now
