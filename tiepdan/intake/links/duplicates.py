"""Duplicate matters: suggestions (same citizen, or near-identical content in the same commune),
and the officer's answer to each — link the two matters, or dismiss the suggestion for good.

Linking records a relation only; it never changes a status (the officer then decides on each
matter, e.g. refusing a repeat petition under NĐ 154/2026 Đ4 h, through the triage actions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz, process, utils

from tiepdan.core import access, audit
from tiepdan.core.access import Perm
from tiepdan.core.errors import DomainError
from tiepdan.core.text import strip_diacritics

from ..models import DuplicateDismissal, LinkKind, Matter, MatterLink
from ..selectors import visible_matters
from ..triage.state_machine import TRIAGE_DENIED
from .shared import (
    actor_or_none,
    create_link,
    field_error,
    pair_is_linked,
    raise_if,
)

#: Only matters received within this window before the matter (or any time after) are compared.
WINDOW = dt.timedelta(days=365)
#: At most this many of the newest matters of the window are compared by text.
MAX_CANDIDATES = 500
MAX_SUGGESTIONS = 10
#: token_sort_ratio (0–100) of the normalised "summary + content" from which two matters are
#: suggested as the same content.  Tests (tests/intake/test_duplicates.py) pin it: a re-typed
#: or reworded petition about the same road scores ≥ 90, petitions on the same topic at another
#: place or on unrelated topics score ≤ 60; 80 sits in the gap.
SIMILARITY_THRESHOLD = 80
#: Long contents are cut: the opening of a petition says what it is about.
TEXT_LIMIT = 2000


class Reason(StrEnum):
    SAME_ID_NUMBER = "same_id_number"
    SAME_PHONE = "same_phone"
    SIMILAR_CONTENT = "similar_content"


REASON_LABELS = {
    Reason.SAME_ID_NUMBER: gettext_lazy("Cùng số giấy tờ tùy thân"),
    Reason.SAME_PHONE: gettext_lazy("Cùng số điện thoại"),
    Reason.SIMILAR_CONTENT: gettext_lazy("Nội dung gần giống"),
}


@dataclass(frozen=True)
class Suggestion:
    matter: Matter
    reasons: list[Reason] = field(default_factory=list)
    score: float = 0.0  # text similarity, 0–100

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[r]) for r in self.reasons]


class AlreadyLinked(DomainError):
    status = 409
    code = "already_linked"


# Suggesting -----------------------------------------------------------------------------------


def _same_citizen_q(matter: Matter) -> Q:
    """Matters of the same petitioner: the same ID number or the same phone number, compared
    through their keyed digests (``intake.digests``), so that sealed denunciations,
    whose columns hold only masks, are matched without decrypting anything."""
    q = Q(pk__in=[])
    if matter.id_digest:
        q |= Q(id_digest=matter.id_digest)
    if matter.phone_digest:
        q |= Q(phone_digest=matter.phone_digest)
    return q


def normalized_text(summary: str, content: str) -> str:
    """Lower case, no diacritics (đ → d), no punctuation: a petition typed without accents
    still matches the same petition typed with them."""
    return utils.default_process(strip_diacritics(f"{summary} {content[:TEXT_LIMIT]}"))


def similarity(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(a, b)


def _excluded_ids(matter: Matter) -> set[int]:
    linked = MatterLink.objects.filter(Q(from_matter=matter) | Q(to_matter=matter))
    dismissed = DuplicateDismissal.objects.filter(Q(matter_a=matter) | Q(matter_b=matter))
    ids = {matter.pk}
    for a, b in [*linked.values_list("from_matter_id", "to_matter_id"),
                 *dismissed.values_list("matter_a_id", "matter_b_id")]:
        ids |= {a, b}
    return ids


def candidates(matter: Matter, user: User | AnonymousUser | None = None) -> QuerySet[Matter]:
    """The matters ``matter`` may duplicate: same commune, within the window, not itself, not
    already linked to it nor dismissed, and visible to ``user`` when given."""
    queryset = Matter.objects.filter(
        commune_id=matter.commune_id, received_at__gte=matter.received_at - WINDOW,
    ).exclude(pk__in=_excluded_ids(matter))
    if user is not None:
        queryset = queryset.filter(pk__in=visible_matters(user).values("pk"))
    return queryset


def suggest(matter: Matter, *, user: User | AnonymousUser | None = None,
            limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Possible duplicates of ``matter``, the strongest first (more reasons, then closer text)."""
    pool = candidates(matter, user).order_by("-received_at")
    query = normalized_text(matter.summary, matter.content)
    texts = {pk: normalized_text(summary, content) for pk, summary, content in
             pool.values_list("pk", "summary", "content")[:MAX_CANDIDATES]}
    reasons: dict[int, list[Reason]] = {}
    scores: dict[int, float] = {}
    for _choice, score, pk in process.extract(
        query, texts, scorer=fuzz.token_sort_ratio, processor=None,
        score_cutoff=SIMILARITY_THRESHOLD, limit=None,
    ):
        reasons[pk], scores[pk] = [Reason.SIMILAR_CONTENT], score
    same = pool.filter(_same_citizen_q(matter)).values_list(
        "pk", "id_digest", "phone_digest", "summary", "content")[:MAX_CANDIDATES]
    for pk, id_digest, phone_digest, summary, content in same:
        found = []
        if matter.id_digest and id_digest == matter.id_digest:
            found.append(Reason.SAME_ID_NUMBER)
        if matter.phone_digest and phone_digest == matter.phone_digest:
            found.append(Reason.SAME_PHONE)
        reasons[pk] = [*found, *reasons.get(pk, [])]
        if pk not in scores:
            scores[pk] = similarity(query, texts.get(pk) or normalized_text(summary, content))
    ranked = sorted(reasons, key=lambda pk: (len(reasons[pk]), scores[pk]), reverse=True)[:limit]
    matters = Matter.objects.in_bulk(ranked)
    return [Suggestion(matters[pk], reasons[pk], round(scores[pk], 1)) for pk in ranked]


# Answering a suggestion -----------------------------------------------------------------------


def _check_pair(matter: Matter, other: Matter) -> None:
    if other.pk == matter.pk:
        raise_if(field_error("other", _("Không thể liên kết hồ sơ với chính nó."),
                             code="same_matter"))
    if other.commune_id != matter.commune_id:
        raise_if(field_error("other", _("Chỉ liên kết được hồ sơ của cùng một xã."),
                             code="other_commune"))


def link(matter: Matter, other: Matter, *, actor: User | AnonymousUser, reason: str = "",
         request: HttpRequest | None = None) -> MatterLink:
    """Record that ``matter`` and ``other`` are duplicates.  The link points from the later
    registration to the earlier one ("duplicate of")."""
    access.check(actor, Perm.TRIAGE, matter.commune, TRIAGE_DENIED)
    _check_pair(matter, other)
    reason = (reason or "").strip()
    later, earlier = sorted([matter, other], key=lambda m: (m.received_at, m.pk), reverse=True)
    already = AlreadyLinked(_("Hai hồ sơ %(a)s và %(b)s đã được liên kết.") % {
        "a": matter.tracking_code, "b": other.tracking_code})
    if pair_is_linked(matter, other):
        raise already
    try:
        with transaction.atomic():
            created = create_link(later, earlier, LinkKind.DUPLICATE_OF, actor=actor,
                                  reason=reason)
            audit.record("intake.link.created", created, actor=actor, commune=matter.commune,
                         request=request, reason=reason,
                         data={"later": later.tracking_code, "earlier": earlier.tracking_code})
    except IntegrityError:  # linked meanwhile by someone else
        raise already from None
    return created


def dismiss(matter: Matter, other: Matter, *, actor: User | AnonymousUser, reason: str = "",
            request: HttpRequest | None = None) -> DuplicateDismissal:
    """Record that ``matter`` and ``other`` are not duplicates; the pair is not suggested again.
    Dismissing a pair twice keeps the first answer."""
    access.check(actor, Perm.TRIAGE, matter.commune, TRIAGE_DENIED)
    _check_pair(matter, other)
    reason = (reason or "").strip()
    a, b = sorted([matter, other], key=lambda m: m.pk)
    with transaction.atomic():
        dismissal, created = DuplicateDismissal.objects.get_or_create(
            matter_a=a, matter_b=b,
            defaults={"actor": actor_or_none(actor), "at": timezone.now(), "reason": reason},
        )
        if created:
            audit.record("intake.duplicate.dismissed", dismissal, actor=actor,
                         commune=matter.commune, request=request, reason=reason,
                         data={"first": a.tracking_code, "second": b.tracking_code})
    return dismissal
