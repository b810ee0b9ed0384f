"""Staff pages of denouncer identity protection: revealing an identity (with a reason), downloading
a withheld attachment (with a reason) and the redacted copy for verifiers.  The rules live in
``intake.identity.reveal``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tiepdan.core import admin_units
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.errors import DomainError, Forbidden
from tiepdan.core.form_errors import add_domain_error
from tiepdan.core.text_forms import Form
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required

from ..identity.reveal import (
    REASON_MAX,
    open_withheld_attachment,
    redacted_copy,
    reveal_identity,
)
from ..models import Attachment
from ..selectors import matter_get_for_user


class RevealForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do xem danh tính (bắt buộc, được ghi vào nhật ký)"),
        max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Cần ghi rõ lý do xem danh tính người tố cáo.")},
    )


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def reveal(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    """Xem danh tính người tố cáo: shown once, for this response only."""
    matter = matter_get_for_user(request.user, ward_code, pk, Perm.REVEAL_IDENTITY)
    commune = matter.commune
    if not matter.identity_sealed:  # nothing withheld: nothing to reveal
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    identity = None
    if form.is_bound and form.is_valid():
        try:
            identity = reveal_identity(matter, actor=request.user,
                                       reason=form.cleaned_data["reason"], request=request)
        except DomainError as exc:
            add_domain_error(form, exc)
    context = {"commune": commune, "matter": matter, "form": form, "identity": identity}
    if identity is not None:
        context |= {
            "address_ward": admin_units.ward(identity.address_ward_code),
            "province_name": admin_units.province_name(identity.address_province_code),
        }
    status = 422 if form.is_bound and identity is None else 200
    return _private(render(request, "intake/staff/identity_reveal.html", context, status=status))


def withheld_attachment(request: HttpRequest, attachment: Attachment) -> HttpResponse:
    """An encrypted attachment: a reason form for those who may open it, 403 for the others."""
    commune = attachment.commune
    if not has_perm(request.user, Perm.REVEAL_IDENTITY, commune):
        return render(request, "error.html", {
            "title": gettext_lazy("Tài liệu được giữ bí mật"),
            "text": gettext_lazy("Tài liệu này có thể làm lộ danh tính người tố cáo (Luật Tố cáo "
                                 "Điều 47, 56); bạn không có quyền mở. Hãy dùng bản sao đã che "
                                 "danh tính của hồ sơ."),
        }, status=403)
    form = RevealForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            data, name = open_withheld_attachment(
                attachment, actor=request.user, reason=form.cleaned_data["reason"],
                request=request)
        except Forbidden:
            raise  # the 403 page, not a form error
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            response = HttpResponse(data, content_type=attachment.content_type)
            response["Content-Disposition"] = (
                f'attachment; filename="tai-lieu-{attachment.pk}.{attachment.extension}"')
            response["X-Content-Type-Options"] = "nosniff"
            del name  # the original name stays out of headers and logs
            return _private(response)
    return _private(render(request, "intake/staff/attachment_reveal.html", {
        "commune": commune, "attachment": attachment, "form": form,
    }, status=422 if form.is_bound else 200))


@staff_required
@require_GET
def redacted(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    """Bản sao đã che danh tính, for those who verify the petition (printable)."""
    matter = matter_get_for_user(request.user, ward_code, pk)
    copy = redacted_copy(matter, actor=request.user, request=request)
    return _private(render(request, "intake/staff/redacted_copy.html",
                           {"commune": matter.commune, "matter": matter, "copy": copy}))
