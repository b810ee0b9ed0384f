"""What a participant's personal invitation page shows: who is invited ("Kính gửi Ông/Bà Họ đệm
Tên"), what the hearing is about for them, and where to go next (the readiness test, the
matter's status page).  A sealed denunciation shows its kind only, as on the status page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tiepdan.intake.status import status_url

from . import paperwork
from .join_tokens import readiness_url, room_url
from .models import Attendance, HearingStatus, Participant


def subject(participant: Participant) -> str:
    """The matter the participant is invited for ("Kiến nghị: Kiến nghị sửa đường"), or the
    hearing's title for those invited for the hearing as a whole (officials, guests)."""
    matter = participant.matter
    if matter is None:
        return participant.bridge_point.hearing.title
    if matter.identity_sealed:
        return matter.get_kind_display()
    return _("%(kind)s: %(summary)s") % {
        "kind": matter.get_kind_display(),
        "summary": matter.summary,
    }


def invitation_page_context(participant: Participant, form: Any) -> dict[str, Any]:
    hearing = participant.bridge_point.hearing
    upcoming = hearing.status in (HearingStatus.DRAFT, HearingStatus.CONFIRMED)
    # The substitute's fields are shown on demand; open when they are being answered.
    chosen = form["attendance"].value() if form.is_bound else participant.attendance
    substitute_open = chosen == Attendance.SUBSTITUTED or bool(
        form.errors.get("substitute_name") or form.errors.get("substitute_position")
    )
    return {
        "participant": participant,
        "hearing": hearing,
        "point": participant.bridge_point,
        "subject": subject(participant),
        "form": form,
        "substitute_open": substitute_open,
        "room_url": room_url(participant) if hearing.status == HearingStatus.CONFIRMED else "",
        "readiness_url": readiness_url(participant) if upcoming else "",
        "status_url": status_url(participant.matter) if participant.matter_id else "",
        "has_document": paperwork.invitation_document(hearing) is not None,
    }
