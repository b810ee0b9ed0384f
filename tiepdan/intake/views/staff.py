"""Staff pages of intake: the commune's matters, a matter, assisted registration, downloads.
Every page checks the user's permission in the commune on the server."""

from __future__ import annotations

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from tiepdan.core import access, access_log, admin_units
from tiepdan.core.access import Perm, has_perm
from tiepdan.core.selectors import commune_get_for_user
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required

from ..inbox import InboxForm, InboxQuery, fields_in_use, inbox_page
from ..models import Channel
from ..next_steps import matter_steps
from ..registration.forms import RegistrationForm
from ..registration.services import register_matter
from ..selectors import (
    attachment_get_for_user,
    matter_get_for_user,
    matters_in_commune,
)
from .identity import RevealForm, withheld_attachment
from .public import remember_receipt


@staff_required
@require_GET
def inbox(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    commune = commune_get_for_user(request.user, ward_code, access.OPEN_INBOX)
    can_view = has_perm(request.user, Perm.VIEW_MATTERS, commune)
    visible = matters_in_commune(request.user, commune, can_view=can_view)
    form = InboxForm(request.GET, fields_of_law=fields_in_use(visible))
    query = InboxQuery.from_form(form)
    listing = inbox_page(visible, query, request.GET.get("page"), ward_code=commune.ward_code)
    page = listing.page
    access_log.log_access(
        "intake.inbox.searched" if query.is_filtered else "intake.inbox.listed",
        actor=request.user, commune=commune, request=request, object_type="intake.inbox",
        object_id=str(commune.ward_code), data={
            "page": page.number, "pages": page.paginator.num_pages,
            "count": len(listing.rows)})
    return render(request, "intake/staff/inbox.html", {
        "commune": commune, "rows": listing.rows, "page": page,
        "elided_range": listing.elided_range, "form": form, "query": query,
        "can_register": has_perm(request.user, Perm.REGISTER_ASSISTED, commune),
        "only_own": not can_view, "show_deadlines": True,
    })


@staff_required
@require_GET
def matter_detail(request: AuthenticatedHttpRequest, ward_code: int, pk: int) -> HttpResponse:
    matter = matter_get_for_user(request.user, ward_code, pk)
    commune = matter.commune
    access_log.log_access("intake.matter.viewed", matter, actor=request.user, commune=commune,
                          request=request, data={"tracking_code": matter.tracking_code})
    return render(request, "intake/staff/matter.html", {
        "commune": commune, "matter": matter,
        "address_ward": admin_units.ward(matter.address_ward_code),
        "province_name": admin_units.province_name(matter.address_province_code),
        "can_reveal": matter.identity_sealed and has_perm(request.user, Perm.REVEAL_IDENTITY,
                                                          commune),
        "can_copy": has_perm(request.user, Perm.VIEW_MATTERS, commune),
        "reveal_form": RevealForm(),
        "steps": matter_steps(request.user, matter),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def assisted_register(request: AuthenticatedHttpRequest, ward_code: int) -> HttpResponse:
    """Tiếp nhận hộ: an officer or village head registers on behalf of a citizen."""
    commune = commune_get_for_user(request.user, ward_code, Perm.REGISTER_ASSISTED)
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES)
        if form.is_valid():
            matter = register_matter(
                commune, form.cleaned_data, channel=Channel.ASSISTED,
                files=form.cleaned_data["attachments"], registered_by=request.user,
            )
            remember_receipt(request, matter.tracking_code)
            return HttpResponseRedirect(
                reverse("intake:receipt", args=[commune.ward_code, matter.tracking_code]))
    else:
        form = RegistrationForm(initial={"province": commune.city.province_code,
                                         "ward": commune.ward_code})
    return render(request, "intake/register.html",
                  {"commune": commune, "form": form, "assisted": True},
                  status=422 if form.is_bound else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    attachment = attachment_get_for_user(request.user, pk)
    matter = attachment.matter
    if matter is None:  # attachment_get_for_user finds only the attachments of matters
        raise Http404
    if attachment.encrypted:
        return withheld_attachment(request, attachment)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    access_log.log_access("intake.attachment.downloaded", attachment, actor=request.user,
                          commune=attachment.commune, request=request,
                          data={"tracking_code": matter.tracking_code})
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            as_attachment=True,
                            filename=f"tai-lieu-{attachment.pk}.{attachment.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
