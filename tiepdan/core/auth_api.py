"""API authentication for staff endpoints (django-ninja): the Django session of a staff member
who signed in with both password and TOTP code.

Usage: ``@router.get("/...", auth=StaffAuth())``.  Like ninja's ``SessionAuth`` it reads the
session cookie and enforces CSRF on unsafe methods; it also requires the session to be
OTP-verified, so a password-only (half signed-in) session gets 401.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp.middleware import is_verified
from ninja.security import SessionAuth


class StaffAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = request.user
        if user.is_authenticated and is_verified(user):
            return user
        return None
