"""The step-by-step public registration: one question page per topic, a draft kept server-side,
files uploaded as soon as they are chosen, a "check your answers" page, then the submit.

Works without JavaScript (every step is a plain form posted to the server); register.js only
uploads files at once with a progress bar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiepdan.core.models import Commune
from tiepdan.core.selectors import commune_get
from tiepdan.core.throttling import ClientThrottle

from ..attachments import check_file
from ..models import RegistrationDraft
from ..registration import drafts, steps
from ..registration.rules import CONSENT_PURPOSE
from .public import remember_receipt


def _default_address(commune: Commune) -> dict[str, Any]:
    return {"province": str(commune.city.province_code), "ward": str(commune.ward_code)}


def _context(request: HttpRequest, commune: Commune, step: steps.Step,
             draft: RegistrationDraft | None, data: dict[str, Any], **extra: Any
             ) -> dict[str, Any]:
    previous = steps.previous_slug(step)
    return {
        "commune": commune, "step": step, "number": steps.number_of(step),
        "total": len(steps.STEPS), "draft": draft, "data": data,
        "back_url": (reverse("intake:step", args=[commune.ward_code, previous])
                     if previous else reverse("intake:commune", args=[commune.ward_code])),
        "from_check": request.GET.get("tu") == "kiem-tra" or request.POST.get("tu") == "kiem-tra",
        "kind_guide": steps.KIND_GUIDE, "in_person_only": steps.in_person_only(data),
        "uploads": drafts.uploads_of(draft), "consent_text": CONSENT_PURPOSE,
        "upload_url": reverse("intake:step_upload", args=[commune.ward_code]),
        **extra,
    }


def _fields(form: Any, step: steps.Step, data: dict[str, Any]) -> list[Any]:
    return [form[name] for name in step.fields(data)]


def _next_url(request: HttpRequest, commune: Commune, step: steps.Step) -> str:
    if request.POST.get("tu") == "kiem-tra":
        return reverse("intake:check", args=[commune.ward_code])
    slug = steps.next_slug(step)
    if slug == steps.CHECK:
        return reverse("intake:check", args=[commune.ward_code])
    return reverse("intake:step", args=[commune.ward_code, slug])


@require_GET
def start(request: HttpRequest, ward_code: int) -> HttpResponse:
    commune_get(ward_code)
    return HttpResponseRedirect(reverse("intake:step", args=[ward_code, steps.STEP_SLUGS[0]]))


@require_http_methods(["GET", "POST"])
def step_page(request: HttpRequest, ward_code: int, slug: str) -> HttpResponse:
    commune = commune_get(ward_code)
    step = steps.step_of(slug)
    if step is None:
        raise Http404
    draft = drafts.current_draft(request.session, commune)
    data = {**_default_address(commune), **drafts.answers(draft)}
    if step.slug == "tai-lieu":
        return _documents(request, commune, step, draft, data)
    if request.method == "POST":
        answers = steps.answers_of(step, request.POST, data)
        merged = {**data, **answers}
        form, errors = steps.check_step(step, merged)
        if not errors:
            draft = drafts.draft_for_update(request.session, commune)
            drafts.save_answers(draft, answers)
            return HttpResponseRedirect(_next_url(request, commune, step))
        context = _context(request, commune, step, draft, merged, form=form, errors=errors,
                           fields=_fields(form, step, merged))
        return render(request, step.template, context, status=422)
    form = steps.form_for(data) if draft else steps.RegistrationForm(initial=data)
    if draft:
        form.errors.clear()  # a page shown again holds the answers, not yet their errors
    context = _context(request, commune, step, draft, data, form=form, errors={},
                       fields=_fields(form, step, data))
    return render(request, step.template, context)


def _documents(request: HttpRequest, commune: Commune, step: steps.Step,
               draft: RegistrationDraft | None, data: dict[str, Any]) -> HttpResponse:
    """Without JavaScript the files chosen are uploaded by "Tiếp tục"; each good file is kept
    even when another is refused, and one can be removed."""
    errors: list[str] = []
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            if draft is not None:
                drafts.remove_upload(draft, remove)
            return HttpResponseRedirect(reverse("intake:step", args=[commune.ward_code, step.slug])
                                        + ("?tu=kiem-tra" if request.POST.get("tu") else ""))
        files = [f for f in request.FILES.getlist("attachments") if f]
        if files:
            draft = drafts.draft_for_update(request.session, commune)
            for upload in files:
                try:
                    drafts.add_upload(draft, check_file(upload.name, upload, upload.size))
                except ValidationError as exc:
                    errors.extend(exc.messages)
        if not errors:
            return HttpResponseRedirect(_next_url(request, commune, step))
    context = _context(request, commune, step, draft, data, errors={"attachments": errors}
                       if errors else {}, fields=[])
    return render(request, step.template, context, status=422 if errors else 200)


def _upload_json(commune: Commune, attachment: Any) -> dict[str, Any]:
    return {"id": attachment.upload_token, "name": attachment.original_name,
            "size": attachment.size, "pages": attachment.pages}


@require_POST
def upload(request: HttpRequest, ward_code: int) -> JsonResponse:
    """One file chosen on the documents step, uploaded at once by register.js: checked with
    the attachment checker and kept with the draft; 422 with the message otherwise."""
    commune = commune_get(ward_code)
    # The same per-client budget as the API's uploads (one counter for both).
    if not ClientThrottle("upload", settings.UPLOAD_RATE).allow_request(request):
        return JsonResponse({"error": _("Quá nhiều tệp trong thời gian ngắn; vui lòng thử lại "
                                        "sau ít phút.")}, status=429)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        return JsonResponse({"error": _("Chưa chọn tệp.")}, status=422)
    try:
        checked = check_file(upload_file.name, upload_file, upload_file.size)
        draft = drafts.draft_for_update(request.session, commune)
        attachment = drafts.add_upload(draft, checked)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=422)
    return JsonResponse(_upload_json(commune, attachment), status=201)


@require_POST
def remove_upload(request: HttpRequest, ward_code: int) -> JsonResponse:
    commune = commune_get(ward_code)
    draft = drafts.current_draft(request.session, commune)
    if draft is None or not drafts.remove_upload(draft, request.POST.get("id", "")):
        return JsonResponse({"error": _("Không tìm thấy tệp.")}, status=404)
    return JsonResponse({"removed": True})


def _answer_rows(form: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
    """What the "check your answers" page lists, step by step."""
    rows = []
    for step in steps.STEPS:
        fields = []
        for name in step.fields(data):
            bound = form[name]
            value = data.get(name, "")
            if value in ("", None):
                continue
            shown: Any = value
            choices = getattr(bound.field, "choices", None)
            if choices:
                shown = dict((str(k), v) for k, v in choices).get(str(value), value)
            elif isinstance(bound.field, forms.BooleanField):
                shown = _("Có")
            elif isinstance(bound.field, forms.DateField) and name not in form.errors:
                shown = date_format(form.cleaned_data[name], "d/m/Y")
            label = _("Đồng ý xử lý dữ liệu cá nhân") if name == "consent" else bound.label
            fields.append({"label": label, "value": shown,
                           "errors": list(form.errors.get(name, []))})
        rows.append({"step": step, "fields": fields,
                     "errors": any(name in form.errors for name in step.fields(data))})
    return rows


@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest, ward_code: int) -> HttpResponse:
    commune = commune_get(ward_code)
    refused = ""
    draft = drafts.current_draft(request.session, commune)
    if request.method == "POST":
        try:
            draft = drafts.check_submitted_draft(request.session, commune,
                                                 request.POST.get("draft", ""))
        except drafts.DraftRefused as exc:
            refused = str(exc.message)
        else:
            form = steps.form_for(steps.asked(
                {**_default_address(commune), **drafts.answers(draft)}))
            if form.is_valid():
                matter = drafts.submit_draft(draft, form.cleaned_data, request.session)
                remember_receipt(request, matter.tracking_code)
                return HttpResponseRedirect(
                    reverse("intake:receipt", args=[commune.ward_code, matter.tracking_code]))
    data = {**_default_address(commune), **drafts.answers(draft)}
    form = steps.form_for(data)
    form.is_valid()
    context = {
        "commune": commune, "draft": draft, "rows": _answer_rows(form, data), "form": form,
        "uploads": drafts.uploads_of(draft), "refused": refused,
        "first_error": steps.first_step_with_errors(form, data),
        "back_url": reverse("intake:step", args=[commune.ward_code, steps.STEP_SLUGS[-1]]),
    }
    status = 200
    if request.method == "POST":
        status = 409 if refused else 422
    return render(request, "intake/steps/check.html", context, status=status)
