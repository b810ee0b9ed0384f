"""Staff sign-in: password, then a TOTP code (or first-time enrollment of an authenticator app).

Between the two steps the user is *not* logged in: only their id sits in the session, for a few
minutes.  Wrong codes count as failed sign-ins for django-axes, exactly like wrong passwords,
so one lockout covers both factors.

``staff_required`` is the gate for every staff page of every app.
"""

from __future__ import annotations

import time
from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

import django_otp
import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.middleware import is_verified
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..forms import LoginForm, TokenForm

__all__ = ["AuthenticatedHttpRequest", "staff_required", "login", "login_verify", "totp_enroll",
           "logout"]

_PENDING = "core.pending_login"
#: How long the half-logged-in state (password accepted, code not yet given) lasts.
PENDING_MAX_AGE = 5 * 60

P = ParamSpec("P")


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a staff page behind :func:`staff_required`: its user is signed in."""

    user: User


def staff_required(
    view: Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Let through only users signed in with both password and TOTP code; others go to login."""

    @wraps(view)
    @never_cache  # staff pages show personal data: never kept in a browser or proxy cache
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and is_verified(user):
            # The check above is what AuthenticatedHttpRequest promises.
            return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    return wrapper


# -- The half-logged-in state ------------------------------------------------------------------


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _start_pending(request: HttpRequest, user: User, next_url: str) -> None:
    request.session.cycle_key()
    request.session[_PENDING] = {
        "user_id": user.pk,
        "backend": user.backend,  # set by authenticate()
        "since": time.time(),
        "next": next_url,
    }


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    data = request.session.get(_PENDING)
    if not data or time.time() - data["since"] > PENDING_MAX_AGE:
        request.session.pop(_PENDING, None)
        return None
    user = get_user_model()._default_manager.filter(pk=data["user_id"], is_active=True).first()
    return (user, data) if user else None


def _clear_pending(request: HttpRequest) -> None:
    request.session.pop(_PENDING, None)


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def _locked_out(request: HttpRequest, user: User) -> HttpResponse | None:
    """The lockout page if axes has locked this account (and address) out, else None."""
    credentials = _credentials(user)
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    _clear_pending(request)
    return get_lockout_response(request, None, credentials)


def _record_wrong_code(request: HttpRequest, user: User) -> None:
    # Same signal authenticate() sends for a wrong password, so axes counts both alike; when this
    # was the last allowed failure, axes flags the request and its middleware shows the lockout.
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False):
        _clear_pending(request)


def _complete_login(
    request: HttpRequest, user: User, device: TOTPDevice, pending: dict[str, Any]
) -> HttpResponse:
    _clear_pending(request)
    auth.login(request, user, backend=pending["backend"])
    django_otp.login(request, device)
    return redirect(pending["next"])


def _token_step(
    request: HttpRequest, device: TOTPDevice, pending: dict[str, Any], template: str,
    context: dict[str, Any], on_success: Callable[[TOTPDevice], None] | None = None,
) -> HttpResponse:
    """Ask for a code from ``device``; on a right one complete the login."""
    user = device.user
    form = TokenForm(device, data=request.POST or None)
    if request.method == "POST":
        locked = _locked_out(request, user)
        if locked:
            return locked
        if form.is_valid():
            if on_success:
                on_success(form.device)
            return _complete_login(request, user, form.device, pending)
        if form.is_wrong_code:
            _record_wrong_code(request, user)
    return render(request, template, {"form": form, "pending_user": user, **context})


# -- Views -------------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    """Step 1: username and password."""
    next_url = request.POST.get("next") or request.GET.get("next")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        _start_pending(request, user, _safe_next(request, next_url))
        if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            return redirect("core:login_verify")
        return redirect("core:totp_enroll")
    return render(request, "core/login.html", {"form": form, "next": next_url or ""})


@sensitive_post_parameters("token")
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the 6-digit code of the user's authenticator app."""
    found = _pending(request)
    if found is None:
        return redirect("core:login")
    user, pending = found
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
    if device is None:
        return redirect("core:totp_enroll")
    return _token_step(request, device, pending, "core/login_verify.html", {})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def _grouped_base32(key: bytes) -> str:
    """The key as typed into an authenticator app by hand: base32 in groups of four."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _confirm(device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])


@sensitive_post_parameters("token")
@never_cache
def totp_enroll(request: HttpRequest) -> HttpResponse:
    """First sign-in: pair an authenticator app (QR code or key), confirm it with one code."""
    found = _pending(request)
    if found is None:
        return redirect("core:login")
    user, pending = found
    # A password alone must never add a second factor to an account that already has one.
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect("core:login_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    context = {
        # The SVG is drawn by qrcode from our own URI (paths only, no text), safe to inline.
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
        "secret": _grouped_base32(device.bin_key),
    }
    return _token_step(request, device, pending, "core/totp_enroll.html", context, _confirm)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("core:login")
