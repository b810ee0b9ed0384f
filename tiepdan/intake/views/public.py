"""Public pages: the communes, the registration form, the receipt and the status lookup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tiepdan.core import admin_units
from tiepdan.core.errors import NotFound
from tiepdan.core.models import Commune
from tiepdan.core.selectors import commune_get
from tiepdan.core.throttling import over_limit
from tiepdan.core.views.errors import too_many_requests

from ..identity.reveal import own_identity
from ..models import Channel, Matter
from ..registration.forms import RegistrationForm
from ..registration.rules import CONSENT_PURPOSE
from ..registration.services import register_matter
from ..status import citizen_status_text, find_for_citizen, status_path
from .citizen_status import render_status

if TYPE_CHECKING:
    from ..identity.sealing import Identity

SESSION_RECEIPTS = "intake_receipts"
MAX_RECEIPTS_IN_SESSION = 20


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    communes = Commune.objects.filter(is_active=True).select_related("city").order_by(
        "city__name", "name")
    return render(request, "intake/home.html", {"communes": communes})


@require_GET
def commune_page(request: HttpRequest, ward_code: int) -> HttpResponse:
    commune = commune_get(ward_code)
    return render(request, "intake/commune.html", {"commune": commune})


def remember_receipt(request: HttpRequest, code: str) -> None:
    codes = [c for c in request.session.get(SESSION_RECEIPTS, []) if c != code]
    request.session[SESSION_RECEIPTS] = [code, *codes][:MAX_RECEIPTS_IN_SESSION]


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, ward_code: int) -> HttpResponse:
    commune = commune_get(ward_code)
    if request.method == "POST":
        wait = over_limit(request, "registration_form", settings.REGISTRATION_FORM_RATE)
        if wait is not None:
            return too_many_requests(request, wait)
        form = RegistrationForm(request.POST, request.FILES)
        if form.is_valid():
            matter = register_matter(
                commune, form.cleaned_data, channel=Channel.ONLINE_FORM,
                files=form.cleaned_data["attachments"],
            )
            remember_receipt(request, matter.tracking_code)
            return HttpResponseRedirect(
                reverse("intake:receipt", args=[commune.ward_code, matter.tracking_code]))
    else:
        form = RegistrationForm(initial={"province": commune.city.province_code,
                                         "ward": commune.ward_code})
    return render(request, "intake/register.html", {"commune": commune, "form": form},
                  status=422 if form.is_bound else 200)


@require_GET
def receipt(request: HttpRequest, ward_code: int, code: str) -> HttpResponse:
    commune = commune_get(ward_code)
    if code not in request.session.get(SESSION_RECEIPTS, []):
        return render(request, "error.html", {
            "title": _("Không xem được giấy biên nhận"),
            "text": _("Giấy biên nhận chỉ hiển thị trên thiết bị đã gửi đơn. Bạn có thể tra cứu "
                      "trạng thái hồ sơ bằng mã hồ sơ và số điện thoại.")}, status=404)
    matter = (Matter.objects.filter(commune=commune, tracking_code=code)
              .prefetch_related("attachments", "representatives").first())
    if matter is None:
        return render(request, "error.html", {"title": _("Không tìm thấy hồ sơ"), "text": ""},
                      status=404)
    # The citizen's own device shows the citizen's own data.  A staff session (assisted
    # intake) shows a sealed identity's masks: staff read it only through the audited reveal.
    person: Matter | Identity = matter
    if matter.identity_sealed and not request.user.is_authenticated:
        person = own_identity(matter)
    response = render(request, "intake/receipt.html", {
        "commune": commune, "matter": matter, "person": person,
        "status_text": citizen_status_text(matter), "status_path": status_path(matter),
        "consent_text": CONSENT_PURPOSE,
        "address_ward": admin_units.ward(person.address_ward_code),
        "province_name": admin_units.province_name(person.address_province_code),
    })
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"code": "", "phone": ""}
    status = 200
    if request.method == "POST":
        wait = over_limit(request, "lookup_page", settings.LOOKUP_PAGE_RATE)
        if wait is not None:
            return too_many_requests(request, wait)
        code = request.POST.get("code", "")[:40]
        phone = request.POST.get("phone", "")[:30]
        context.update(code=code, phone=phone)
        try:
            matter = find_for_citizen(code, phone)
        except NotFound as exc:
            context["error"] = exc.message
            status = 404
        else:
            return render_status(request, matter)
    return render(request, "intake/lookup.html", context, status=status)


@require_GET
def ward_options(request: HttpRequest) -> HttpResponse:
    """<option> list of the communes of a province, for the address selector (htmx)."""
    try:
        province = int(request.GET.get("province", ""))
    except ValueError:
        province = 0
    return render(request, "intake/_ward_options.html",
                  {"wards": admin_units.wards_of(province)})
