"""The official documents of a hearing (NĐ 30/2020): the Giấy mời (GM), the Thông báo lịch tiếp
công dân (TB) and, when city leaders attend, the report to the city People's Committee (BC).

They are issued when the hearing is confirmed, before its status changes: a document that fails
to render stops the confirmation and leaves the hearing in preparation.  Each document is linked
to the hearing and its version as soon as it exists, so a retry reuses what was already issued
instead of taking new numbers; a reschedule (new version) issues fresh ones.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from tiepdan.core.access import roles_of
from tiepdan.core.models import Role
from tiepdan.core.names import full_name
from tiepdan.documents.layout import Signer
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.documents.services import issue_document, supersede

from .models import BridgePoint, Hearing, HearingDocument, HearingDocumentPurpose, Participant

P = HearingDocumentPurpose


def signer_for(hearing: Hearing) -> Signer:
    """The chair signs: in their own name as Chairman, or "KT. Chủ tịch" as Vice Chairman."""
    name = full_name(hearing.chair)
    if Role.CHAIRMAN in roles_of(hearing.chair, hearing.commune):
        return Signer.chair(name)
    return Signer.vice_chair(name)


def purposes(hearing: Hearing) -> list[HearingDocumentPurpose]:
    """The documents this hearing needs, in the order they are issued."""
    needed = [P.INVITATION, P.SCHEDULE_NOTICE]
    if hearing.city_leaders_attend:
        needed.append(P.CITY_REPORT)
    return needed


def _invitee(participant: Participant) -> str:
    parts = [participant.full_name, participant.position, participant.organisation]
    return ", ".join(part for part in parts if part)


def _chair_text(hearing: Hearing) -> str:
    signer = signer_for(hearing)
    return f"{signer.name}, {signer.position} {hearing.commune.committee_name}"


def _central(hearing: Hearing) -> BridgePoint:
    return hearing.bridge_points.get(is_central=True)


def _data(hearing: Hearing, purpose: HearingDocumentPurpose) -> dict[str, Any]:
    central = _central(hearing)
    location = f"{central.name}, {central.address}"
    components = [p for p in hearing.bridge_points.all() if not p.is_central]
    if purpose == P.INVITATION:
        participants = Participant.objects.filter(bridge_point__hearing=hearing).select_related(
            "bridge_point")
        invitees = "; ".join(_invitee(p) for p in participants) or _(
            "đại diện các điểm cầu thành phần")
        return {
            "invitees": invitees,
            "event": _("Buổi tiếp công dân trực tuyến: %(title)s") % {"title": hearing.title},
            "chair": _chair_text(hearing),
            "start": hearing.starts_at,
            "location": location + (
                "; " + _("các điểm cầu thành phần: %(points)s") % {
                    "points": "; ".join(p.name for p in components)} if components else ""),
        }
    if purpose == P.SCHEDULE_NOTICE:
        return {"sessions": [{"start": hearing.starts_at, "location": location,
                              "host": _chair_text(hearing)}]}
    agenda = hearing.agenda.select_related("matter")
    return {
        "start": hearing.starts_at,
        "location": location,
        "chair": _chair_text(hearing),
        "matter_count": agenda.count(),
        # Summaries only: never a citizen's identity in a document sent to other bodies.
        "matters": "; ".join(f"{item.matter.get_kind_display()}: {item.matter.summary}"
                             for item in agenda),
        "component_points": "; ".join(p.name for p in components),
    }


_DOC_TYPES = {P.INVITATION: DocType.INVITATION, P.SCHEDULE_NOTICE: DocType.NOTICE,
              P.CITY_REPORT: DocType.REPORT}


def issue_for_confirmation(hearing: Hearing, *, actor: AbstractBaseUser) -> list[HearingDocument]:
    """Issue (or reuse, for this version of the hearing) every document it needs.

    Runs outside any transaction (``issue_document`` takes numbers durably).  Raises the
    documents app's ``DomainError`` when one cannot be rendered; those already issued stay
    linked and are reused by the next attempt.
    """
    issued = []
    for purpose in purposes(hearing):
        existing = HearingDocument.objects.filter(
            hearing=hearing, purpose=purpose, hearing_version=hearing.version).first()
        if existing is None:
            document = issue_document(hearing.commune, _DOC_TYPES[purpose],
                                      _data(hearing, purpose), actor=actor,
                                      signer=signer_for(hearing))
            existing = HearingDocument.objects.create(
                hearing=hearing, purpose=purpose, document=document,
                hearing_version=hearing.version)
        issued.append(existing)
    return issued


def current_documents(hearing: Hearing) -> list[HearingDocument]:
    return list(HearingDocument.objects.filter(hearing=hearing, hearing_version=hearing.version)
                .select_related("document").order_by("id"))


def invitation_document(hearing: Hearing) -> HearingDocument | None:
    return HearingDocument.objects.filter(
        hearing=hearing, hearing_version=hearing.version, purpose=P.INVITATION,
    ).select_related("document").first()


def issue_for_time(hearing: Hearing, starts_at: dt.datetime, ends_at: dt.datetime, *,
                   actor: AbstractBaseUser) -> dict[str, IssuedDocument]:
    """New numbered documents of ``hearing`` for a new time, not linked yet (the move links
    them in its transaction).  Outside any transaction; if one fails to render, those already
    issued are marked as not used and the error is raised: nothing else changes."""
    moved = copy.copy(hearing)
    moved.starts_at, moved.ends_at = starts_at, ends_at
    issued: dict[str, IssuedDocument] = {}
    try:
        for purpose in purposes(hearing):
            issued[purpose] = issue_document(hearing.commune, _DOC_TYPES[purpose],
                                             _data(moved, purpose), actor=actor,
                                             signer=signer_for(hearing))
    except Exception:
        discard_unused(issued.values(), actor=actor)
        raise
    return issued


def discard_unused(documents, *, actor: AbstractBaseUser) -> None:
    """Documents issued for a move that did not happen: kept, marked as never used."""
    for document in documents:
        supersede(document, actor=actor,
                  reason=_("Không sử dụng: việc dời lịch không thực hiện được."))


def supersede_current(hearing: Hearing, *, actor: AbstractBaseUser, reason: str,
                      replacements: dict[str, IssuedDocument] | None = None) -> list[str]:
    """Mark the documents of the hearing's current version superseded (by the replacement of
    the same purpose, or withdrawn); returns their numbers.  Inside the caller's transaction."""
    replaced = []
    for link in current_documents(hearing):
        by = (replacements or {}).get(link.purpose)
        if supersede(link.document, actor=actor, reason=reason, by=by):
            replaced.append(link.document.symbol)
    return replaced


def link(hearing: Hearing, documents: dict[str, IssuedDocument]) -> list[HearingDocument]:
    return [HearingDocument.objects.create(hearing=hearing, purpose=purpose, document=document,
                                           hearing_version=hearing.version)
            for purpose, document in documents.items()]


def all_documents(hearing: Hearing) -> list[HearingDocument]:
    """Every document of every version, newest version first (superseded ones included)."""
    return list(HearingDocument.objects.filter(hearing=hearing)
                .select_related("document__superseded_by")
                .order_by("-hearing_version", "id"))
