"""The hearing invitation on the citizen's status page (registered with ``intake.status``)."""

from __future__ import annotations

from django.urls import reverse

from tiepdan.intake.models import Matter
from tiepdan.intake.status import StatusSection

from . import paperwork
from .invitations import _when, invitation_token, invitation_url
from .join_tokens import readiness_url
from .models import HearingStatus, Participant


def invitation_section(matter: Matter) -> StatusSection | None:
    """The citizen's invitation to the coming (or confirmed) hearing of ``matter``: time, how
    to join, the readiness test and the Giấy mời PDF; ``None`` when there is none."""
    participant = (
        Participant.objects.select_related("bridge_point__hearing")
        .filter(matter=matter, is_citizen=True)
        .exclude(bridge_point__hearing__status=HearingStatus.CANCELLED)
        .order_by("-bridge_point__hearing__starts_at").first()
    )
    if participant is None:
        return None
    hearing = participant.bridge_point.hearing
    upcoming = hearing.status in (HearingStatus.DRAFT, HearingStatus.CONFIRMED)
    has_pdf = paperwork.invitation_document(hearing) is not None
    return StatusSection("hearings/_citizen_status.html", {
        "hearing": hearing, "when": _when(hearing), "point": participant.bridge_point,
        "upcoming": upcoming, "online": matter.wants_online,
        "invitation_url": invitation_url(participant) if upcoming else "",
        "readiness_url": readiness_url(participant) if upcoming and matter.wants_online else "",
        "pdf_url": (reverse("hearings:invitation_pdf", args=[invitation_token(participant)])
                    if has_pdf and upcoming else ""),
    }, order=10)
