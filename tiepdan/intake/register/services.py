"""Writing the Sổ tiếp công dân: the entry of a triage outcome (with its STT) and the follow-up
column of later status changes. Called by ``intake.triage.state_machine.transition`` inside its
transaction, so an entry exists exactly when its outcome committed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tiepdan.core.models import Commune

from ..models import Matter, MatterStatus, TriageRecord
from .models import RegisterEntry, RegisterSequence

S = MatterStatus

#: Statuses that are a triage outcome (hướng xử lý): each writes the matter into the register.
OUTCOME_STATUSES = frozenset({S.ACCEPTED, S.GUIDED, S.FORWARDED, S.RETURNED, S.FILED,
                              S.REFUSED})
#: Later statuses shown in the follow-up column (theo dõi kết quả).
FOLLOW_UP_STATUSES = frozenset({S.SCHEDULED, S.HEARD, S.CONCLUDED, S.CLOSED})


def record_transition(matter: Matter, record: TriageRecord) -> RegisterEntry | None:
    """The register's part of a transition: an outcome writes the entry, a later status updates
    its follow-up column; other statuses (new, triaged) leave the register alone."""
    if record.to_status in OUTCOME_STATUSES:
        return record_outcome(matter, record)
    if record.to_status in FOLLOW_UP_STATUSES:
        return record_follow_up(matter, record)
    return None


def record_outcome(matter: Matter, triage_record: TriageRecord) -> RegisterEntry:
    """Write ``matter`` into its commune's register with the next STT of the year it was
    received; idempotent (a matter has one entry, the first outcome's)."""
    existing = RegisterEntry.objects.filter(matter=matter).first()
    if existing is not None:
        return existing
    received_on = timezone.localdate(matter.received_at)
    number = _next_number(matter.commune, received_on.year)
    outcome = S(triage_record.to_status)
    body, letter = matter.competent_body, matter.forwarded_letter_number
    return RegisterEntry.objects.create(
        commune=matter.commune, matter=matter, year=received_on.year, number=number,
        received_on=received_on, summary=matter.summary, kind=matter.kind,
        group_size=matter.group_size, prior_agency=matter.prior_agency,
        within_competence=matter.within_competence,
        # col. 10: "hướng dẫn đến" for guidance and returns with guidance.
        guided_to=body if outcome in (S.GUIDED, S.RETURNED) else "",
        guidance_letter=letter if outcome in (S.GUIDED, S.RETURNED) else "",
        # col. 11: the accepting body (the commune itself) or the body a petition went to.
        handled_by=(matter.commune.committee_name if outcome == S.ACCEPTED
                    else body if outcome == S.FORWARDED else ""),
        forwarding_letter=letter if outcome == S.FORWARDED else "",
        outcome=outcome, follow_up_status=outcome,
        follow_up_on=timezone.localdate(triage_record.at),
        refusal_ground=matter.refusal_ground if outcome == S.REFUSED else "",
        recorded_at=triage_record.at,
    )


def record_follow_up(matter: Matter, triage_record: TriageRecord) -> RegisterEntry | None:
    """Show the matter's new status in the follow-up column (None if it has no entry)."""
    entry = RegisterEntry.objects.filter(matter=matter).first()
    if entry is None:
        return None
    entry.follow_up_status = triage_record.to_status
    entry.follow_up_on = timezone.localdate(triage_record.at)
    entry.save(update_fields=["follow_up_status", "follow_up_on"])
    return entry


def _next_number(commune: Commune, year: int) -> int:
    """The next STT of ``commune``'s register for ``year``, under a row lock held until the
    caller's transaction ends: the entry commits with its number or neither does, so numbers
    run without gaps and are never given twice."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register numbers are taken inside the outcome's transaction")
    sequence, _created = RegisterSequence.objects.select_for_update().get_or_create(
        commune=commune, year=year, defaults={"last_number": _highest_recorded(commune, year)},
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _highest_recorded(commune: Commune, year: int) -> int:
    # A lost sequence row must not restart the numbering below entries already written.
    found = RegisterEntry.objects.filter(commune=commune, year=year).aggregate(
        top=Max("number"))["top"]
    return found or 0
