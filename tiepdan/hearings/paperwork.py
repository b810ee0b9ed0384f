"""The official documents of a hearing (NĐ 30/2020): the Giấy mời (GM), the Thông báo lịch tiếp
công dân (TB) and, when city leaders attend, the report to the city People's Committee (BC).

They are rendered before the hearing is confirmed (or moved) and numbered in the transaction that
confirms (moves) it: a document that fails to render stops the confirmation, leaves the hearing
in preparation and takes no number, so the numbering register keeps no gap however often it is
tried.  Each document is linked to the hearing and its version; a reschedule (new version)
issues fresh ones.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F
from django.utils.translation import gettext as _

from tiepdan.documents.layout import Signer
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.documents.services import (
    PreparedDocument,
    prepare_document,
    store_document,
    supersede,
)
from tiepdan.documents.signers import signer_for_user
from tiepdan.documents.wording import labelled, without_leading

from .models import BridgePoint, Hearing, HearingDocument, HearingDocumentPurpose, Participant

P = HearingDocumentPurpose


def signer_for(hearing: Hearing) -> Signer:
    """The chair signs: "TM. Ủy ban nhân dân / Chủ tịch" as Chairman, "KT. Chủ tịch / Phó
    Chủ tịch" as Vice-Chairman (``documents.signers``)."""
    return signer_for_user(hearing.chair, hearing.commune)


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
            # A title that already says "Tiếp công dân trực tuyến: …" is not said twice.
            "event": _("Buổi tiếp công dân trực tuyến: %(title)s") % {"title": without_leading(
                hearing.title, "Buổi tiếp công dân trực tuyến", "Tiếp công dân trực tuyến")},
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
        "matters": "; ".join(labelled(f"{item.matter.get_kind_display()}:",
                                      item.matter.summary) for item in agenda),
        "component_points": "; ".join(p.name for p in components),
    }


_DOC_TYPES = {P.INVITATION: DocType.INVITATION, P.SCHEDULE_NOTICE: DocType.NOTICE,
              P.CITY_REPORT: DocType.REPORT}


def prepare_for_confirmation(hearing: Hearing) -> dict[str, PreparedDocument]:
    """Render every document this version of the hearing still lacks, before its confirmation
    transaction (no number is taken).  Raises the documents app's ``DomainError`` when one
    cannot be made: nothing has changed then."""
    linked = set(HearingDocument.objects.filter(hearing=hearing, hearing_version=hearing.version)
                 .values_list("purpose", flat=True))
    return {purpose: prepare_document(hearing.commune, _DOC_TYPES[purpose],
                                      _data(hearing, purpose), signer=signer_for(hearing))
            for purpose in purposes(hearing) if purpose not in linked}


def store_for_confirmation(hearing: Hearing, prepared: dict[str, PreparedDocument], *,
                           actor: User,
                           issued: list[IssuedDocument]) -> list[HearingDocument]:
    """Inside the confirmation's transaction: number, store and link the prepared documents
    (each appended to ``issued``, see ``documents.services.discarding_on_rollback``); the
    hearing's links for its version, in the order of ``purposes``."""
    link(hearing, store_all(prepared, actor=actor, issued=issued))
    order: dict[str, int] = {purpose: index for index, purpose in enumerate(purposes(hearing))}
    return sorted(current_documents(hearing), key=lambda d: order.get(d.purpose, len(order)))


def store_all(prepared: dict[str, PreparedDocument], *, actor: User,
              issued: list[IssuedDocument]) -> dict[str, IssuedDocument]:
    stored = {}
    for purpose, document in prepared.items():
        stored[purpose] = store_document(document, actor=actor)
        issued.append(stored[purpose])
    return stored


def current_documents(hearing: Hearing) -> list[HearingDocument]:
    return list(HearingDocument.objects.filter(hearing=hearing, hearing_version=hearing.version)
                .select_related("document").order_by("id"))


def current_documents_of(hearings: list[Hearing]) -> dict[int, list[HearingDocument]]:
    """:func:`current_documents` of several hearings in one query: hearing id → documents."""
    found: dict[int, list[HearingDocument]] = {}
    if hearings:
        for paper in (HearingDocument.objects
                      .filter(hearing__in=hearings, hearing_version=F("hearing__version"))
                      .select_related("document").order_by("id")):
            found.setdefault(paper.hearing_id, []).append(paper)
    return found


def invitation_document(hearing: Hearing) -> HearingDocument | None:
    return HearingDocument.objects.filter(
        hearing=hearing, hearing_version=hearing.version, purpose=P.INVITATION,
    ).select_related("document").first()


def prepare_for_time(hearing: Hearing, starts_at: dt.datetime,
                     ends_at: dt.datetime) -> dict[str, PreparedDocument]:
    """The documents of ``hearing`` for a new time, rendered before the move's transaction
    (which numbers and links them: ``store_all``, ``link``); no number is taken here."""
    moved = copy.copy(hearing)
    moved.starts_at, moved.ends_at = starts_at, ends_at
    return {purpose: prepare_document(hearing.commune, _DOC_TYPES[purpose],
                                      _data(moved, purpose), signer=signer_for(hearing))
            for purpose in purposes(hearing)}


def supersede_current(hearing: Hearing, *, actor: User, reason: str,
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
