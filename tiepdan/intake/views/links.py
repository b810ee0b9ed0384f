"""Staff pages of split, duplicates and group merges: the actions posted from their part of the
triage panel (``views.panel``).  The rules live in ``intake.links.splitting``,
``intake.links.duplicates`` and ``intake.links.groups``, the forms in ``intake.links.forms``; a
form shows their errors and keeps what the officer typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiepdan.core.access import Perm
from tiepdan.core.errors import DomainError
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required

from ..links import duplicates, groups, splitting
from ..links.forms import MergeForm, PairForm, merge_candidates, split_forms
from ..models import Matter
from ..selectors import matter_get_for_user, matters_in_commune
from ..tracking_codes import normalize_tracking_code
from ..triage.state_machine import TRIAGE_DENIED
from .panel import panel_context

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _render_panel(request: HttpRequest, matter: Matter, status: int, **bound: Any
                  ) -> HttpResponse:
    return render(request, "intake/staff/triage_page.html",
                  panel_context(request, matter, **bound), status=status)


def _load(request: HttpRequest, ward_code: int, pk: int) -> Matter:
    return matter_get_for_user(request.user, ward_code, pk, Perm.TRIAGE, TRIAGE_DENIED)


def _done(request: HttpRequest, matter: Matter, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("intake:matter", args=[matter.commune.ward_code,
                                                                matter.pk]))


def _place_errors(exc: DomainError, targets: Mapping[str, tuple[forms.Form, str | None]],
                  fallback: forms.Form) -> int:
    """Put each field error of ``exc`` on the form field it belongs to."""
    if exc.status == 403:
        raise PermissionDenied
    placed = False
    for key, errors in exc.field_errors.items():
        form, field = targets.get(key, (fallback, None))
        for error in errors:
            form.add_error(field, error["message"])
        placed = True
    if not placed:
        fallback.add_error(None, str(exc.message))
    return exc.status


# Actions --------------------------------------------------------------------------------------


@staff_required
@require_POST
def split(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    matter = _load(request, ward_code, pk)
    form, parts = split_forms(matter, request.POST)
    status = 422
    if form.is_valid() and parts.is_valid():
        used = [f for f in parts.forms if f.has_changed()]
        data = form.cleaned_data
        try:
            created = splitting.split_matter(
                matter, [f.cleaned_data for f in used], actor=request.user,
                reason=data["reason"], request=request,
                remaining={"kind": data["remaining_kind"], "summary": data["remaining_summary"],
                           "content": data["remaining_content"]},
            )
        except DomainError as exc:
            targets = {f"remaining.{name}": (form, f"remaining_{name}")
                       for name in ("kind", "summary", "content")}
            targets["reason"] = (form, "reason")
            for i, part in enumerate(used):
                targets |= {f"parts.{i}.{name}": (part, name) for name in part.fields}
            status = _place_errors(exc, targets, form)
        else:
            return _done(request, matter, _(
                "Đã tách đơn thành hồ sơ mới %(codes)s. Tiếp theo: phân loại, xử lý từng hồ "
                "sơ mới (mở từ danh sách hồ sơ liên quan bên dưới).") % {
                "codes": ", ".join(m.tracking_code for m in created)})
    return _render_panel(request, matter, status, split_form=form, part_forms=parts,
                         failed_action="split")


def _pair_view(apply: Any, done_message: StrOrPromise) -> Any:
    @staff_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
        matter = _load(request, ward_code, pk)
        form = PairForm(request.POST)
        valid = form.is_valid()
        other = matters_in_commune(request.user, matter.commune).filter(
            pk=form.cleaned_data["other"] if valid else 0).first()
        try:
            if not valid and "reason" in form.errors:
                raise DomainError(str(form.errors["reason"][0]))
            if other is None:
                raise DomainError(_("Không tìm thấy hồ sơ trong xã này."))
            apply(matter, other, actor=request.user, reason=form.cleaned_data["reason"],
                  request=request)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from None
            messages.error(request, str(exc.message))
            return HttpResponseRedirect(reverse("intake:matter", args=[ward_code, matter.pk]))
        return _done(request, matter, done_message % {"code": other.tracking_code})

    return view


link_duplicate = _pair_view(duplicates.link, gettext_lazy(
    "Đã liên kết hồ sơ trùng %(code)s. Hai hồ sơ hiện ở mục hồ sơ liên quan; tiếp "
    "tục phân loại, xử lý hồ sơ này."))
dismiss_duplicate = _pair_view(duplicates.dismiss, gettext_lazy(
    "Đã bỏ qua gợi ý trùng với hồ sơ %(code)s; gợi ý này sẽ không hiện lại. Tiếp "
    "tục phân loại, xử lý hồ sơ này."))


@staff_required
@require_POST
def merge(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    group = _load(request, ward_code, pk)
    candidates = merge_candidates(group, duplicates.suggest(group, user=request.user))
    form = MergeForm(request.POST, prefix="merge", candidates=candidates)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        members = list(matters_in_commune(request.user, group.commune)
                       .filter(pk__in=data["members"]))
        codes = [normalize_tracking_code(c) for c in data["codes"].split() if c.strip()]
        found = {m.tracking_code: m for m in matters_in_commune(request.user, group.commune)
                 .filter(tracking_code__in=codes)}
        unknown = [c for c in codes if c not in found]
        members += [found[c] for c in codes if c in found and found[c] not in members]
        if unknown:
            form.add_error("codes", _("Không tìm thấy hồ sơ mã %(codes)s trong xã này.") % {
                "codes": ", ".join(unknown)})
        else:
            try:
                groups.merge_into(group, members, actor=request.user, reason=data["reason"],
                                  request=request, already_counted=data["already_counted"])
            except DomainError as exc:
                status = _place_errors(exc, {"reason": (form, "reason"),
                                             "member_ids": (form, None)}, form)
            else:
                return _done(request, group, _(
                    "Đã gộp %(n)s hồ sơ vào hồ sơ nhóm; số người của đoàn đã được cập "
                    "nhật. Tiếp theo: phân loại, xử lý hồ sơ nhóm.") % {
                    "n": len(members)})
    return _render_panel(request, group, status, merge_form=form, failed_action="merge")
