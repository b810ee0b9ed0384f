"""What a citizen sees of a matter: its status in plain Vietnamese, looked up by tracking code and
phone number together (so codes cannot be probed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiepdan.core import short_links
from tiepdan.core.errors import NotFound
from tiepdan.core.public_urls import absolute

from .digests import citizen_digests
from .id_numbers import normalize_mobile
from .models import Matter, MatterStatus
from .selectors import merged_group_of
from .tracking_codes import normalize_tracking_code

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PUBLIC_STATUS_TEXT: dict[str, StrOrPromise] = {
    MatterStatus.NEW: _("Đơn đã được tiếp nhận, đang chờ cán bộ xem xét, phân loại."),
    MatterStatus.TRIAGED: _("Đơn đã được phân loại, đang được xử lý theo quy định."),
    MatterStatus.ACCEPTED: _("Đơn đã được thụ lý để giải quyết."),
    MatterStatus.GUIDED: _("Đơn không thuộc thẩm quyền của xã; bạn đã được hướng dẫn nơi gửi đơn."),
    MatterStatus.FORWARDED: _("Đơn đã được chuyển đến cơ quan có thẩm quyền giải quyết."),
    MatterStatus.RETURNED: _("Đơn đã được trả lại kèm hướng dẫn."),
    MatterStatus.FILED: _("Đơn đã được lưu theo quy định."),
    MatterStatus.REFUSED: _("Cơ quan đã từ chối tiếp; thông báo bằng văn bản được gửi cho bạn."),
    MatterStatus.SCHEDULED: _("Đơn đã được xếp lịch tiếp công dân; bạn sẽ nhận giấy mời."),
    MatterStatus.HEARD: _("Buổi tiếp công dân đã diễn ra; đang chờ thông báo kết luận."),
    MatterStatus.CONCLUDED: _("Đã có kết luận; các cơ quan đang thực hiện."),
    MatterStatus.CLOSED: _("Vụ việc đã kết thúc."),
}


#: Apps built on intake (follow-up) give a more precise line for some matters, registered in
#: their ``AppConfig.ready()`` so that intake does not depend on them; the first that answers
#: wins.
StatusText = Callable[[Matter], str | None]
_STATUS_TEXTS: list[StatusText] = []


def register_status_text(provider: StatusText) -> StatusText:
    if provider not in _STATUS_TEXTS:
        _STATUS_TEXTS.append(provider)
    return provider


def public_status_text(status: str) -> str:
    return str(PUBLIC_STATUS_TEXT.get(status, _("Đang xử lý.")))


def citizen_status_text(matter: Matter) -> str:
    """The status line of ``matter`` for its petitioner: a registration merged into a group
    matter points to the group's tracking code, a matter whose conclusion is being carried out
    shows its progress (registered providers), any other shows its status."""
    group = merged_group_of(matter)
    if group is not None:
        return str(_("Đã gộp vào hồ sơ nhóm %(code)s.") % {"code": group.tracking_code})
    for provider in _STATUS_TEXTS:
        text = provider(matter)
        if text:
            return text
    return public_status_text(matter.status)


def find_for_citizen(tracking_code: str, phone: str) -> Matter:
    """The matter with this code whose petitioner has this phone; ``NotFound`` otherwise — the
    same answer for a wrong code, a wrong phone or a malformed input."""
    not_found = NotFound(_("Không tìm thấy hồ sơ với mã và số điện thoại này."))
    try:
        phone_e164 = normalize_mobile(phone)
    except Exception:  # noqa: BLE001 - any malformed phone is simply "not found"
        raise not_found from None
    code = normalize_tracking_code(tracking_code)
    # A sealed matter's phone column holds a mask: its phone is matched by the blind index.
    _id_digest, phone_digest = citizen_digests("", phone_e164)
    matter = (
        Matter.objects.select_related("commune")
        .filter(Q(phone=phone_e164) | Q(phone_digest=phone_digest), tracking_code=code)
        .first()
    )
    if matter is None:
        raise not_found
    return matter


# The citizen's status page ------------------------------------------------------------------

STATUS_SALT = "tiepdan.intake.status"


def status_token(matter: Matter) -> str:
    """The personal token of ``matter``'s status page: its id, signed (not guessable, no
    personal data)."""
    return signing.Signer(salt=STATUS_SALT).sign(signing.b62_encode(matter.pk))


def status_path(matter: Matter) -> str:
    return reverse("intake:status", args=[status_token(matter)])


def status_url(matter: Matter) -> str:
    """The absolute personal link to ``matter``'s status page, carried by every message."""
    return absolute(status_path(matter))


#: The short-link kind of a status page (``tiepdan.core.short_links``): "h" for hồ sơ.
SHORT_LINK_KIND = "h"


def status_short_url(matter: Matter) -> str:
    """The short personal link to ``matter``'s status page, for SMS."""
    return short_links.short_url(SHORT_LINK_KIND, matter.pk)


def status_path_of(pk: int) -> str | None:
    """What a status short link opens: the status page of matter ``pk``, if it exists."""
    matter = Matter.objects.filter(pk=pk).only("pk").first()
    return status_path(matter) if matter is not None else None


def matter_from_status_token(token: str) -> Matter:
    """The matter of a personal status link; ``NotFound`` for any bad or forged token."""
    not_found = NotFound(_("Không tìm thấy hồ sơ với mã và số điện thoại này."))
    try:
        pk = signing.b62_decode(signing.Signer(salt=STATUS_SALT).unsign(token[:100]))
    except (signing.BadSignature, ValueError):
        raise not_found from None
    matter = Matter.objects.select_related("commune").filter(pk=pk).first()
    if matter is None:
        raise not_found
    return matter


#: What the commune must do next, in plain words, per running deadline (the due date is the
#: stored one, computed by the workdays engine).
NEXT_STEP_TEXT: dict[str, StrOrPromise] = {
    "notify_outcome": _("UBND xã phải thông báo kết quả xử lý đơn cho bạn trước ngày %(date)s."),
    "complaint_acceptance": _("UBND xã phải thông báo việc thụ lý hoặc không thụ lý giải quyết "
                              "khiếu nại trước ngày %(date)s."),
    "denunciation_initial_processing": _("UBND xã phải xử lý ban đầu đơn tố cáo trước ngày "
                                         "%(date)s."),
    "denunciation_forwarding": _("UBND xã phải chuyển đơn đến cơ quan có thẩm quyền trước ngày "
                                 "%(date)s."),
    "refusal_notice": _("UBND xã phải gửi thông báo từ chối bằng văn bản trước ngày %(date)s."),
}
_NEXT_STEP_OTHER = _("Việc tiếp theo phải hoàn thành trước ngày %(date)s.")

TIMELINE_TEXT: dict[str, StrOrPromise] = {
    MatterStatus.TRIAGED: _("Đơn được phân loại"),
    MatterStatus.ACCEPTED: _("Đơn được thụ lý giải quyết"),
    MatterStatus.GUIDED: _("Bạn được hướng dẫn nơi gửi đơn"),
    MatterStatus.FORWARDED: _("Đơn được chuyển đến cơ quan có thẩm quyền"),
    MatterStatus.RETURNED: _("Đơn được trả lại kèm hướng dẫn"),
    MatterStatus.FILED: _("Đơn được lưu theo quy định"),
    MatterStatus.REFUSED: _("Cơ quan từ chối tiếp"),
    MatterStatus.SCHEDULED: _("Đơn được xếp lịch tiếp công dân"),
    MatterStatus.HEARD: _("Buổi tiếp công dân đã diễn ra"),
    MatterStatus.CONCLUDED: _("Có kết luận"),
    MatterStatus.CLOSED: _("Vụ việc kết thúc"),
}


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    text: str


@dataclass(frozen=True)
class StatusSection:
    """A part of the status page given by a later app (the hearing invitation, the conclusion
    and its follow-up): a template and its context."""

    template: str
    context: dict[str, Any]
    order: int = 50


StatusSectionProvider = Callable[[Matter], "StatusSection | None"]
_SECTIONS: list[StatusSectionProvider] = []


def register_status_section(provider: StatusSectionProvider) -> StatusSectionProvider:
    if provider not in _SECTIONS:
        _SECTIONS.append(provider)
    return provider


def timeline(matter: Matter) -> list[TimelineEvent]:
    """The steps of ``matter`` with their dates: its receipt and each status change (from the
    triage records; never a reason or a name, which may identify someone)."""
    events = [TimelineEvent(matter.received_at, str(_("Đơn được tiếp nhận")))]
    for record in matter.triage_records.order_by("at", "pk"):
        if record.to_status != record.from_status and record.to_status in TIMELINE_TEXT:
            events.append(TimelineEvent(record.at, str(TIMELINE_TEXT[record.to_status])))
    return events


def next_deadline_text(matter: Matter) -> str:
    """The nearest running deadline of ``matter`` in plain words, or ""."""
    deadline = matter.deadlines.filter(open=True).order_by("due", "pk").first()
    if deadline is None:
        return ""
    text = NEXT_STEP_TEXT.get(deadline.rule_key, _NEXT_STEP_OTHER)
    return str(text) % {"date": deadline.due.strftime("%d/%m/%Y")}


def status_page_context(matter: Matter) -> dict[str, Any]:
    """Everything the citizen's status page shows of ``matter``.  A sealed denunciation shows
    its code, kind, dates and steps only: no name, no content, nothing about the accused."""
    sections = [s for s in (provider(matter) for provider in _SECTIONS) if s is not None]
    return {
        "matter": matter, "commune": matter.commune, "sealed": matter.identity_sealed,
        "status_text": citizen_status_text(matter), "timeline": timeline(matter),
        "next_deadline": next_deadline_text(matter),
        "sections": sorted(sections, key=lambda s: s.order),
        "receipt_pdf_url": reverse("intake:status_receipt", args=[status_token(matter)]),
        "status_path": status_path(matter),
    }
