"""Staff pages of the minutes and conclusions of a held hearing, and the citizen's (or body's)
download of a conclusion notice through a signed link.  Each page checks the permission in the
commune; the rules are in the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tiepdan.core import access, access_log, audit
from tiepdan.core.errors import DomainError, NotFound
from tiepdan.core.form_errors import add_domain_error
from tiepdan.core.models import Commune
from tiepdan.core.views.auth import staff_required
from tiepdan.hearings.models import Hearing
from tiepdan.hearings.selectors import hearing_get_for_user

from . import drafting, paperwork, services
from .confirmation_views import section_html
from .forms import ConclusionForm, MinutesForm
from .models import Conclusion, Minutes


def _page_url(ward_code: int, pk: int, anchor: str = "") -> str:
    return reverse("minutes:page", args=[ward_code, pk]) + anchor


def _minutes_form(minutes: Minutes | None) -> MinutesForm:
    initial = {name: getattr(minutes, name) for name in services.SECTIONS} if minutes else {}
    return MinutesForm(initial=initial)


def _prefix(matter_id: int) -> str:
    return f"m{matter_id}"  # one form per matter on the page: distinct field ids


def _conclusion_form(commune: Commune, matter_id: int,
                     conclusion: Conclusion | None) -> ConclusionForm:
    if conclusion is None:
        return ConclusionForm(prefix=_prefix(matter_id), commune=commune)
    bodies = services.body_ids(commune, conclusion.responsible_bodies)
    return ConclusionForm(prefix=_prefix(matter_id), commune=commune, initial={
        "outcome": conclusion.outcome, "directions": conclusion.directions,
        "responsible_bodies": bodies, "contact_person": conclusion.contact_person,
        "deadline_working_days": conclusion.deadline_working_days})


def _context(request: HttpRequest, commune: Commune, hearing: Hearing, *,
             minutes_form: MinutesForm | None = None, failed_matter: int | None = None,
             conclusion_form: ConclusionForm | None = None,
             notice_error: tuple[int, str] | None = None) -> dict[str, Any]:
    minutes = services.current_minutes(hearing)
    timeline = [{**row, "link": drafting.recording_link(hearing, row["offset"])}
                for row in (minutes.timeline if minutes else [])]
    conclusions = {c.matter_id: c for c in hearing.conclusions.select_related("notice")}
    rows = []
    for item in hearing.agenda.select_related("matter"):
        conclusion = conclusions.get(item.matter_id)
        form = conclusion_form if failed_matter == item.matter_id else None
        rows.append({
            "matter": item.matter, "conclusion": conclusion,
            "form": form or _conclusion_form(commune, item.matter_id, conclusion),
            "open": form is not None,
            "notice_error": notice_error[1] if notice_error and
            notice_error[0] == item.matter_id else "",
        })
    return {
        "commune": commune, "hearing": hearing, "minutes": minutes, "timeline": timeline,
        "versions": hearing.minutes.select_related("document", "finalised_by"),
        "form": minutes_form or _minutes_form(minutes),
        "missing": services.missing_parts(minutes) if minutes and not minutes.is_final else {},
        "can_edit": access.has_perm(request.user, access.EDIT_MINUTES, commune),
        "can_conclude": access.has_perm(request.user, access.CONCLUDE, commune),
        "rows": rows,
        "confirmations_html": (section_html(request, minutes)
                               if minutes is not None and minutes.document_id else ""),
    }


@staff_required
@require_GET
def minutes_page(request: HttpRequest, ward_code: int, pk: int) -> HttpResponse:
    hearing = hearing_get_for_user(request.user, ward_code, pk, access.READ_MINUTES)
    commune = hearing.commune
    context = _context(request, commune, hearing)
    if context["minutes"] is not None:
        access_log.log_access("minutes.minutes.viewed", context["minutes"], actor=request.user,
                              commune=commune, request=request, data={"hearing": str(hearing.pk)})
    return render(request, "minutes/page.html", context)


def _save_and_finalise(minutes: Minutes, request: HttpRequest, data: dict[str, str]) -> None:
    # Both or neither: a refused finalisation leaves the draft as it was (the page keeps
    # what was typed).
    with transaction.atomic():
        minutes = services.update_sections(minutes, actor=request.user, **data)
        services.finalise(minutes, actor=request.user)


@staff_required
@require_POST
def minutes_action(request: HttpRequest, ward_code: int, pk: int, action: str) -> HttpResponse:
    hearing = hearing_get_for_user(request.user, ward_code, pk, access.EDIT_MINUTES)
    commune = hearing.commune
    minutes = services.current_minutes(hearing)
    form = MinutesForm(request.POST)
    try:
        if action == "draft":
            services.draft_minutes(hearing, actor=request.user)
            done = _("Đã lập dự thảo biên bản từ dữ liệu buổi tiếp. Ghi diễn biến, ý kiến công "
                     "dân và kết luận, rồi bấm “Hoàn thành biên bản”.")
        elif action == "new-version" and minutes is not None:
            services.new_version(minutes, actor=request.user)
            done = _("Đã lập phiên bản sửa đổi; bản cũ được giữ nguyên. Sửa rồi hoàn thành để "
                     "ban hành biên bản mới.")
        elif action == "issue-document" and minutes is not None:
            document = services.issue_minutes_document(minutes, actor=request.user)
            done = _("Đã ban hành Biên bản số %(symbol)s.") % {"symbol": document.symbol}
        elif action in ("save", "finalise") and minutes is not None:
            if not form.is_valid():
                raise DomainError(_("Vui lòng kiểm tra các mục được đánh dấu."))
            if action == "save":
                services.update_sections(minutes, actor=request.user, **form.cleaned_data)
                done = _("Đã lưu dự thảo biên bản.")
            else:
                _save_and_finalise(minutes, request, form.cleaned_data)
                done = _("Đã hoàn thành biên bản; văn bản Biên bản đang được lập và sẽ có trên "
                         "trang này. Tiếp theo: ghi kết luận cho từng vụ việc.")
        else:
            raise Http404
    except DomainError as exc:
        if action in ("save", "finalise"):
            add_domain_error(form, exc)
        else:
            form = _minutes_form(minutes)
            form.add_error(None, str(exc.message))
        context = _context(request, commune, hearing, minutes_form=form)
        return render(request, "minutes/page.html", context, status=422)
    messages.success(request, done)
    return HttpResponseRedirect(_page_url(ward_code, pk, "#minutes"))


@staff_required
@require_POST
def record_conclusion(request: HttpRequest, ward_code: int, pk: int,
                      matter_id: int) -> HttpResponse:
    hearing = hearing_get_for_user(request.user, ward_code, pk, access.CONCLUDE)
    commune = hearing.commune
    item = hearing.agenda.select_related("matter").filter(matter_id=matter_id).first()
    if item is None:
        raise Http404
    form = ConclusionForm(request.POST, prefix=_prefix(matter_id), commune=commune)
    if form.is_valid():
        try:
            services.record_conclusion(hearing, item.matter, actor=request.user,
                                       **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _(
                "Đã ghi kết luận về hồ sơ %(code)s. Kiểm tra lại rồi bấm “Ban hành thông báo "
                "kết luận”: thông báo, việc giao cho các cơ quan và tin gửi công dân được lập "
                "cùng lúc.") % {"code": item.matter.tracking_code})
            return HttpResponseRedirect(_page_url(ward_code, pk, f"#matter-{matter_id}"))
    context = _context(request, commune, hearing, failed_matter=matter_id,
                       conclusion_form=form)
    return render(request, "minutes/page.html", context, status=422)


@staff_required
@require_POST
def issue_notice(request: HttpRequest, ward_code: int, pk: int, matter_id: int) -> HttpResponse:
    hearing = hearing_get_for_user(request.user, ward_code, pk, access.CONCLUDE)
    commune = hearing.commune
    conclusion = hearing.conclusions.filter(matter_id=matter_id).first()
    if conclusion is None:
        raise Http404
    try:
        conclusion = services.issue_conclusion_notice(conclusion, actor=request.user)
    except DomainError as exc:
        context = _context(request, commune, hearing,
                           notice_error=(matter_id, str(exc.message)))
        return render(request, "minutes/page.html", context, status=422)
    tasks = conclusion.follow_up_created
    if tasks:
        messages.success(request, ngettext(
            "Đã ban hành Thông báo kết luận số %(symbol)s, gửi công dân và giao %(n)s việc "
            "cho cơ quan, đơn vị. Theo dõi tiến độ trên bảng theo dõi.",
            "Đã ban hành Thông báo kết luận số %(symbol)s, gửi công dân và giao %(n)s việc "
            "cho cơ quan, đơn vị. Theo dõi tiến độ trên bảng theo dõi.", tasks) % {
            "symbol": conclusion.notice.symbol, "n": tasks})
    else:
        messages.success(request, _(
            "Đã ban hành Thông báo kết luận số %(symbol)s và gửi công dân; hồ sơ chuyển sang "
            "“đã có kết luận”.") % {"symbol": conclusion.notice.symbol})
    return HttpResponseRedirect(_page_url(ward_code, pk, f"#matter-{matter_id}"))


@never_cache
@require_GET
def notice_download(request: HttpRequest, token: str) -> HttpResponse:
    """The notice (PDF) for the holder of a link sent with it: the citizen or a body."""
    try:
        conclusion, recipient = paperwork.conclusion_from_token(token)
    except NotFound as exc:
        return render(request, "error.html", {"title": _("Không tải được thông báo"),
                                              "text": str(exc.message)}, status=404)
    document = conclusion.notice
    audit.record("minutes.notice.downloaded", document, actor=None, commune=document.commune,
                 request=request, data={"recipient": str(recipient), "symbol": document.symbol})
    code = document.symbol.replace("/", "-").replace("Đ", "D")
    response = FileResponse(document.pdf_file.open("rb"), content_type="application/pdf",
                            as_attachment=True, filename=f"{document.year}-{code}.pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
