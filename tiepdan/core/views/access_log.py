"""Nhật ký truy cập dữ liệu cá nhân: the page where the commune's Chairman (and the system
administrator) see who read whose personal data — type, reader, time, object, reason, address —
filtered by type and dates, 50 a page.  Reading it is itself an entry of that log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .. import access_log
from ..models import Commune, Role
from ..text_forms import Form
from .auth import AuthenticatedHttpRequest, staff_required

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50
OBJECT_TYPE = "core.personaldataaccess"


def _type_choices() -> list[tuple[str, StrOrPromise]]:
    # Each type named by its own sentence, its values left out ("Xem hồ sơ …").
    return [("", _("Tất cả"))] + [
        (kind.name, kind.render({key: "…" for key in kind.keys}))
        for kind in access_log.access_types()]


class AccessLogFilterForm(Form):
    type = forms.ChoiceField(label=_("Loại truy cập"), required=False, choices=_type_choices)
    date_from = forms.DateField(label=_("Từ ngày"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Đến ngày"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        return data

    def describe(self) -> str:
        """The filter as stored in the log entry: field names and ISO dates, in no language."""
        data = self.cleaned_data
        parts = [f"type={data['type']}" if data.get("type") else "",
                 f"from={data['date_from']:%Y-%m-%d}" if data.get("date_from") else "",
                 f"to={data['date_to']:%Y-%m-%d}" if data.get("date_to") else ""]
        return "; ".join(p for p in parts if p) or "-"

    def query(self) -> dict[str, str]:
        data = self.cleaned_data
        return {key: (f"{value:%Y-%m-%d}" if hasattr(value, "year") else value)
                for key, value in data.items() if value}


def _role_labels(text: str) -> str:
    labels = {role.value: str(role.label) for role in Role}
    return ", ".join(labels.get(value, value) for value in text.split(",") if value)


@staff_required
@require_GET
def access_log_page(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    commune = get_object_or_404(Commune, ward_code=ward_code)
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        access_log.entries_for(request.user, commune)  # 403 before saying what is wrong
        return render(request, "core/access_log.html",
                      {"commune": commune, "form": form, "rows": []}, status=422)
    data = form.cleaned_data if form.is_bound else {}
    # The permission is checked by the fetch itself (PermissionDenied: 403).
    entries = access_log.entries_for(
        request.user, commune, access_type=data.get("type") or "",
        date_from=data.get("date_from"), date_to=data.get("date_to"))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"entry": entry, "text": entry.text, "roles": _role_labels(entry.actor_roles)}
            for entry in page.object_list]
    access_log.log_access(
        "core.access_log.viewed", actor=request.user, commune=commune, request=request,
        object_type=OBJECT_TYPE, object_id=str(commune.ward_code),
        data={"filter": form.describe() if form.is_bound else "-", "page": page.number})
    return render(request, "core/access_log.html", {
        "commune": commune, "form": form, "page": page, "rows": rows,
        "query": form.query() if form.is_bound else {}})
