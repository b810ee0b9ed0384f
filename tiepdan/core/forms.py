"""Staff forms: sign-in (password, then the 6-digit TOTP code) and staff roles (admin)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import CITY_ROLES, StaffRole
from .text_forms import CleanTextMixin, Form, ModelForm

_CODE_RE = re.compile(r"^\d{6}$")


class LoginForm(CleanTextMixin, AuthenticationForm):
    """Step 1: username and password, checked by ``authenticate()`` (and so by django-axes)."""

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị hệ thống."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["username"].error_messages["required"] = _("Vui lòng nhập tên đăng nhập.")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["password"].error_messages["required"] = _("Vui lòng nhập mật khẩu.")


class TokenForm(Form):
    """A 6-digit code from the authenticator app, checked against one TOTP device.

    The check runs with the device row locked so that django-otp's replay protection
    (``last_t``) and throttling hold under concurrent requests.
    """

    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=20,
        error_messages={"required": _("Vui lòng nhập mã xác thực.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                   "autofocus": True, "size": 8}
        ),
    )

    def __init__(self, device: TOTPDevice, *args: Any, **kwargs: Any) -> None:
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not _CODE_RE.match(token):
            raise ValidationError(_("Mã xác thực gồm đúng 6 chữ số."), code="format")
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=self.device.pk)
            allowed, _info = device.verify_is_allowed()
            verified = allowed and device.verify_token(token)
        if not allowed:
            raise ValidationError(
                _("Bạn vừa nhập sai mã. Vui lòng đợi vài giây rồi thử lại."), code="throttled"
            )
        if not verified:
            raise ValidationError(_("Mã xác thực không đúng hoặc đã hết hạn."), code="wrong_code")
        self.device = device
        return token

    @property
    def is_wrong_code(self) -> bool:
        """True when a well-formed code was checked and rejected (a failed sign-in attempt)."""
        return self.has_error("token", "wrong_code")


class StaffRoleForm(ModelForm):
    """A staff role with the right scope: city roles over a city, the others in one commune."""

    class Meta:
        model = StaffRole
        fields = ["user", "role", "commune", "city", "position"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        role, commune, city = cleaned.get("role"), cleaned.get("commune"), cleaned.get("city")
        if not role:
            return cleaned
        if role in CITY_ROLES:
            if city is None or commune is not None:
                raise ValidationError(
                    _("Vai trò này áp dụng cho cả thành phố: chọn thành phố, để trống xã."),
                    code="city_scope",
                )
        elif commune is None or city is not None:
            raise ValidationError(
                _("Vai trò này áp dụng trong một xã: chọn xã, để trống thành phố."),
                code="commune_scope",
            )
        return cleaned
