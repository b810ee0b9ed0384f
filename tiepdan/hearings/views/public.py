"""Public pages of hearings: the published reception schedule (page and iCal feed, with no
personal data) and the personal invitation page."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods
from icalendar import Calendar, Event

from tiepdan.core import audit
from tiepdan.core.errors import DomainError, NotFound
from tiepdan.core.form_errors import add_domain_error
from tiepdan.core.selectors import commune_get

from .. import paperwork
from ..forms import InvitationResponseForm
from ..invitation_page import invitation_page_context
from ..invitations import participant_from_token, respond
from ..models import HearingStatus
from ..schedule import public_schedule

PUBLIC_TITLE = gettext_noop("Tiếp công dân của Chủ tịch UBND xã")


@require_GET
def schedule_page(request: HttpRequest, ward_code: int) -> HttpResponse:
    commune = commune_get(ward_code)
    return render(request, "hearings/public_schedule.html",
                  {"commune": commune, "sessions": public_schedule(commune),
                   "public_title": _(PUBLIC_TITLE)})


@require_GET
def schedule_ical(request: HttpRequest, ward_code: int) -> HttpResponse:
    commune = commune_get(ward_code)
    calendar = Calendar()
    calendar.add("prodid", "-//Tiep Dan//Lich tiep cong dan//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Lịch tiếp công dân — {commune.committee_name}")
    for session in public_schedule(commune):
        event = Event()
        event.add("uid", f"hearing-{session.pk}@{commune.ward_code}.tiepdan")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"{PUBLIC_TITLE} ({session.get_kind_display().lower()})")
        event.add("location", commune.reception_address or commune.committee_name)
        if session.status == "cancelled":
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="lich-tiep-{commune.ward_code}.ics"'
    return response


def _bad_link(request: HttpRequest, error: NotFound) -> HttpResponse:
    return render(request, "error.html", {"title": _("Không mở được giấy mời"),
                                          "text": error.message}, status=404)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        participant = participant_from_token(token)
    except NotFound as exc:
        return _bad_link(request, exc)
    form = InvitationResponseForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            participant = respond(participant, **form.cleaned_data)
            done = True
        except DomainError as exc:
            add_domain_error(form, exc)
    context = invitation_page_context(participant, form)
    response = render(request, "hearings/invitation.html", {**context, "token": token,
                                                            "done": done},
                      status=422 if form.errors else 200)
    response["Cache-Control"] = "private, no-store"
    # The personal link never leaves for another site; not "no-referrer", under which browsers
    # send "Origin: null" with the page's own form, which fails the CSRF check.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def invitation_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The Giấy mời (PDF) of the hearing, for the holder of a personal invitation link."""
    try:
        participant = participant_from_token(token)
    except NotFound as exc:
        return _bad_link(request, exc)
    hearing = participant.bridge_point.hearing
    link = paperwork.invitation_document(hearing)
    if link is None or hearing.status == HearingStatus.CANCELLED:
        raise Http404
    document = link.document
    audit.record("hearings.invitation.downloaded", document, actor=None, commune=hearing.commune,
                 request=request, data={"name": participant.full_name, "symbol": document.symbol})
    code = document.symbol.replace("/", "-").replace("Đ", "D")
    response = FileResponse(document.pdf_file.open("rb"), content_type="application/pdf",
                            as_attachment=True, filename=f"{document.year}-{code}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
