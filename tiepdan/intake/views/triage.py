"""Staff pages of triage: the triage panel of a matter (loaded into the matter page; its context
is ``views.panel``) and the forms that classify, decide on or refuse it.  The rules live in
``intake.triage.state_machine``, the forms in ``intake.triage.forms``."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tiepdan.core.access import Perm
from tiepdan.core.errors import DomainError
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required

from ..models import Matter
from ..selectors import matter_get_for_user
from ..triage import state_machine as triage
from ..triage.forms import triage_form
from ..triage.next_steps import triage_done_message
from ..triage.state_machine import TRIAGE_DENIED
from .panel import panel_context


@staff_required
@require_GET
def panel(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    """The triage panel of the matter page: deadlines, history and the allowed actions."""
    matter = matter_get_for_user(request.user, ward_code, pk)
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
        matter = matter_get_for_user(request.user, ward_code, pk, Perm.TRIAGE, TRIAGE_DENIED)
        form = triage_form(action, matter, request.POST)
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
