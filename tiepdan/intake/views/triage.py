"""Staff pages of triage: the triage panel of a matter (loaded into the matter page) and the
forms that classify, decide on or refuse it.  The rules live in ``intake.triage``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tiepdan.core.access import Perm, has_perm
from tiepdan.core.errors import DomainError
from tiepdan.core.text_forms import Form, choice_field
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required

from .. import triage
from ..fields import field_choices
from ..matter_deadlines import deadlines_for_display
from ..models import ComplaintRound, Matter, MatterKind, RefusalGround
from ..next_steps import triage_done_message
from ..selectors import commune_get, matter_get_for_user
from .links import links_context

_REASON = forms.CharField(label=gettext_lazy("Lý do, căn cứ"), max_length=1000,
                          widget=forms.Textarea(attrs={"rows": 3}))


class ClassifyForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại đơn"), choices=MatterKind.choices)
    # The commune's list (intake.fields); the choices are set per matter.
    field_of_law = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), choices=())
    complaint_round = forms.ChoiceField(
        label=gettext_lazy("Lần khiếu nại (chỉ với đơn khiếu nại)"), required=False,
        choices=[("", "—"), *ComplaintRound.choices],
    )
    reason = _REASON

    def __init__(self, *args: Any, matter: Matter | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if matter is not None:
            choice_field(self, "field_of_law").choices = field_choices(matter.commune,
                                                                matter.field_of_law)


class DecideForm(Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Hướng xử lý"), choices=[
        ("", gettext_lazy("— Chọn hướng xử lý —")),
        ("accept", gettext_lazy("Thụ lý")),
        ("guide", gettext_lazy("Hướng dẫn công dân đến cơ quan có thẩm quyền")),
        ("forward", gettext_lazy("Chuyển đơn")),
        ("return", gettext_lazy("Trả lại đơn và hướng dẫn")),
        ("file", gettext_lazy("Lưu đơn")),
    ])
    within_competence = forms.BooleanField(
        label=gettext_lazy("Thuộc thẩm quyền của Ủy ban nhân dân xã"), required=False)
    competent_body = forms.CharField(label=gettext_lazy("Cơ quan có thẩm quyền"),
                                     max_length=255, required=False)
    letter_number = forms.CharField(label=gettext_lazy("Số văn bản chuyển đơn / hướng dẫn"),
                                    max_length=60, required=False)
    reason = _REASON


class RefuseForm(Form):
    ground = forms.ChoiceField(label=gettext_lazy("Căn cứ từ chối tiếp"), choices=[
        ("", gettext_lazy("— Chọn căn cứ theo Luật Tiếp công dân Đ9, NĐ 154/2026 Đ4 —")),
        *RefusalGround.choices,
    ])
    reason = _REASON


FORMS: dict[str, type[forms.Form]] = {
    "classify": ClassifyForm, "decide": DecideForm, "refuse": RefuseForm,
}


def _initial_forms(matter: Matter) -> dict[str, forms.Form]:
    initial = {"classify": {"kind": matter.kind, "field_of_law": matter.field_of_law,
                            "complaint_round": matter.complaint_round}}
    return {action: _form(action, matter, initial=initial.get(action))
            for action in triage.available_actions(matter)}


def _form(action: str, matter: Matter, data: Any = None, **kwargs: Any) -> forms.Form:
    if action == "classify":
        kwargs["matter"] = matter
    return FORMS[action](data, prefix=action, **kwargs)


def panel_context(request: HttpRequest, matter: Matter, **extra: Any) -> dict[str, Any]:
    can_triage = has_perm(request.user, Perm.TRIAGE, matter.commune)
    return {
        "commune": matter.commune, "matter": matter, "can_triage": can_triage,
        "deadlines": deadlines_for_display(matter),
        "records": matter.triage_records.select_related("actor"),
        "forms": _initial_forms(matter) if can_triage else {},
        **links_context(request, matter), **extra,
    }


@staff_required
@require_GET
def panel(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    """The triage panel of the matter page: deadlines, history and the allowed actions."""
    matter = matter_get_for_user(request.user, commune_get(ward_code), pk)
    # The matter page loads the panel with htmx; without JavaScript it opens as a page.
    fragment = bool(request.headers.get("HX-Request"))
    template = "triage_panel" if fragment else "triage_page"
    # A fragment shows the messages still pending itself (a full page shows them in base.html).
    return render(request, f"intake/staff/{template}.html",
                  panel_context(request, matter, fragment=fragment))


def _action_view(action: str, apply: Callable[..., Matter]) -> Callable[..., HttpResponseBase]:
    @staff_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
        matter = matter_get_for_user(request.user, commune_get(ward_code), pk)
        if not has_perm(request.user, Perm.TRIAGE, matter.commune):
            raise PermissionDenied
        form = _form(action, matter, request.POST)
        status = 422
        if form.is_valid():
            try:
                changed = apply(matter, actor=request.user, request=request,
                                **form.cleaned_data)
            except DomainError as exc:
                status = _form_errors(form, exc)
            else:
                messages.success(request, triage_done_message(action, changed))
                return HttpResponseRedirect(
                    reverse("intake:matter", args=[ward_code, matter.pk]))
        context = panel_context(request, matter, failed_action=action)
        context["forms"][action] = form
        return render(request, "intake/staff/triage_page.html", context, status=status)

    view.__name__ = action
    return view


def _form_errors(form: forms.Form, exc: DomainError) -> int:
    if exc.status == 403:
        raise PermissionDenied
    placed = False
    for field, errors in exc.field_errors.items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error["message"])
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))
    return exc.status


classify = _action_view("classify", triage.classify)
decide = _action_view("decide", triage.decide)
refuse = _action_view("refuse", triage.refuse)
