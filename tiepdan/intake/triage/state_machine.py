"""The triage state machine of a matter (phân loại, xử lý; NĐ 154 Đ15, Luật Tiếp công dân
Đ26, Đ28): the table of allowed transitions, the one function that applies a transition, and
the triage actions built on it (classify, decide, refuse).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiepdan.core import access, audit
from tiepdan.core.access import Perm
from tiepdan.core.errors import DomainError, InvalidInput

from .. import matter_deadlines as deadlines
from ..identity.sealing import protect_if_denunciation
from ..models import (
    ComplaintRound,
    Matter,
    MatterKind,
    MatterStatus,
    RefusalGround,
    TriageAction,
    TriageRecord,
)
from ..register.refusal_notice import issue_after_refusal
from ..register.services import record_transition
from .fields import resolve_field

S = MatterStatus

#: Refusal of triage (classify, decide, refuse, split, link, merge) to whoever lacks
#: ``Perm.TRIAGE`` in the matter's commune.
TRIAGE_DENIED = gettext_lazy("Bạn không có quyền phân loại, xử lý đơn của xã này.")
_ENDINGS = (S.GUIDED, S.FORWARDED, S.RETURNED, S.FILED, S.REFUSED)

#: Every allowed change of ``Matter.status``; anything else is refused.
TRANSITIONS: dict[MatterStatus, frozenset[MatterStatus]] = {
    # Refusal at reception (Luật Tiếp công dân Đ9) may come before any classification.
    S.NEW: frozenset({S.TRIAGED, S.REFUSED}),
    S.TRIAGED: frozenset({S.ACCEPTED, *_ENDINGS}),
    S.ACCEPTED: frozenset({S.SCHEDULED}),
    # A cancelled hearing gives its matters back (hearings.planning.cancel).
    S.SCHEDULED: frozenset({S.HEARD, S.ACCEPTED}),
    S.HEARD: frozenset({S.CONCLUDED}),
    S.CONCLUDED: frozenset({S.CLOSED}),
    **{status: frozenset({S.CLOSED}) for status in _ENDINGS},
    S.CLOSED: frozenset(),
}

#: The outcome of a decision and the status it leads to (register 03/TCD, "hướng xử lý").
OUTCOMES: dict[str, MatterStatus] = {
    "accept": S.ACCEPTED,  # thụ lý
    "guide": S.GUIDED,  # hướng dẫn
    "forward": S.FORWARDED,  # chuyển đơn
    "return": S.RETURNED,  # trả lại đơn
    "file": S.FILED,  # lưu đơn
}

#: Grounds for which the refusal notice 01/TCD must be issued within 03 working days
#: (Luật Tiếp công dân Đ9 k3; NĐ 154/2026 Đ4 h); otherwise the reason is given orally.
WRITTEN_NOTICE_GROUNDS = frozenset({RefusalGround.PERSISTENT, RefusalGround.REPEAT_NO_NEW_FACTS})

#: Details of a transition that are also kept on the matter (record field → matter field).
_MATTER_FIELDS = {
    "kind": "kind", "field_of_law": "field_of_law", "complaint_round": "complaint_round",
    "within_competence": "within_competence", "competent_body": "competent_body",
    "letter_number": "forwarded_letter_number", "refusal_ground": "refusal_ground",
}


class IllegalTransition(DomainError):
    status = 409
    code = "illegal_transition"



def allowed_targets(status: str) -> frozenset[MatterStatus]:
    return TRANSITIONS.get(MatterStatus(status), frozenset())


def is_allowed(from_status: str, to_status: str) -> bool:
    return MatterStatus(to_status) in allowed_targets(from_status)


def transition(
    matter_id: int, to_status: MatterStatus | str, *, actor: User | AnonymousUser | None,
    reason: str, request: HttpRequest | None = None, action: TriageAction = TriageAction.TRANSITION,
    **details: Any,
) -> Matter:
    """Move the matter to ``to_status``: lock, check the table, save, record, audit.

    ``details`` are fields of :class:`TriageRecord` (``kind``, ``competent_body`` …); those that
    describe the matter are saved on it too.  Raises :class:`IllegalTransition` (409).
    """
    to_status = MatterStatus(to_status)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi rõ lý do."), code="reason_required",
                           field_errors=_field("reason", _("Cần ghi rõ lý do.")))
    with transaction.atomic():
        # Lock the matter row only, not the joined commune (PostgreSQL locks every joined row).
        matter = (Matter.objects.select_for_update(of=("self",)).select_related("commune")
                  .get(pk=matter_id))
        from_status = matter.status
        if not is_allowed(from_status, to_status):
            raise IllegalTransition(
                _("Không thể chuyển hồ sơ từ trạng thái “%(old)s” sang “%(new)s”.")
                % {"old": MatterStatus(from_status).label, "new": to_status.label}
            )
        matter.status = to_status
        fields = ["status", "updated_at"]
        for name, value in details.items():
            if name in _MATTER_FIELDS:
                setattr(matter, _MATTER_FIELDS[name], value)
                fields.append(_MATTER_FIELDS[name])
        matter.save(update_fields=fields)
        # A matter classified as a denunciation is sealed now, in this transaction; a matter
        # once sealed stays sealed whatever it becomes later (Luật Tố cáo Đ47 k1 e).
        protect_if_denunciation(matter)
        record = TriageRecord.objects.create(
            matter=matter, action=action, from_status=from_status, to_status=to_status,
            actor=actor if actor is not None and actor.is_authenticated else None,
            at=timezone.now(), reason=reason, **details,
        )
        # Sổ tiếp công dân (03/TCD): an outcome is written in the same transaction; later
        # statuses update its follow-up column.
        record_transition(matter, record)
        audit.record(
            "intake.matter.transitioned", matter, actor=actor, commune=matter.commune,
            request=request, reason=reason,
            data={"tracking_code": matter.tracking_code, "from_status": str(from_status),
                  "to_status": str(to_status), "action": str(action)},
        )
    return matter


# Triage actions -------------------------------------------------------------------------------


def classify(
    matter: Matter, *, kind: str, field_of_law: str, complaint_round: str = "",
    actor: User | AnonymousUser, reason: str, request: HttpRequest | None = None,
) -> Matter:
    """Phân loại: the kind of the matter, its field of law and, for a complaint, its round."""
    access.check(actor, Perm.TRIAGE, matter.commune, TRIAGE_DENIED)
    errors: dict[str, list[dict[str, str]]] = {}
    if kind not in MatterKind.values:
        errors |= _field("kind", _("Loại đơn không hợp lệ."))
    chosen_field = None
    if not (field_of_law or "").strip():
        errors |= _field("field_of_law", _("Cần ghi lĩnh vực của vụ việc."))
    else:
        chosen_field = resolve_field(matter.commune, field_of_law, current=matter.field_of_law)
        if chosen_field is None:
            errors |= _field("field_of_law", _("Chọn lĩnh vực trong danh sách lĩnh vực của "
                                               "xã."))
    if kind == MatterKind.KHIEU_NAI and complaint_round not in ComplaintRound.values:
        errors |= _field("complaint_round", _("Cần chọn khiếu nại lần đầu hay lần hai."))
    if kind != MatterKind.KHIEU_NAI and complaint_round:
        errors |= _field("complaint_round", _("Chỉ đơn khiếu nại mới có lần khiếu nại."))
    _raise_if(errors)
    with transaction.atomic():
        matter = transition(
            matter.pk, S.TRIAGED, actor=actor, reason=reason, request=request,
            action=TriageAction.CLASSIFY, kind=kind, field_of_law=chosen_field,
            complaint_round=complaint_round or "",
        )
        deadlines.follow_kind(matter)
    return matter


def decide(
    matter: Matter, *, outcome: str, within_competence: bool, competent_body: str = "",
    letter_number: str = "", actor: User | AnonymousUser, reason: str,
    request: HttpRequest | None = None,
) -> Matter:
    """Hướng xử lý: accept (thụ lý), guide, forward, return or file the matter."""
    access.check(actor, Perm.TRIAGE, matter.commune, TRIAGE_DENIED)
    competent_body, letter_number = (competent_body or "").strip(), (letter_number or "").strip()
    errors: dict[str, list[dict[str, str]]] = {}
    if outcome not in OUTCOMES:
        errors |= _field("outcome", _("Hướng xử lý không hợp lệ."))
    if outcome == "accept" and not within_competence:
        errors |= _field("within_competence",
                         _("Chỉ thụ lý vụ việc thuộc thẩm quyền của Ủy ban nhân dân xã."))
    if outcome == "forward" and not competent_body:
        errors |= _field("competent_body", _("Cần ghi cơ quan có thẩm quyền nhận đơn chuyển."))
    # Luật Tố cáo Đ24 k2: a denunciation outside competence is forwarded by a letter.
    if outcome == "forward" and matter.kind == MatterKind.TO_CAO and not letter_number:
        errors |= _field("letter_number", _("Cần ghi số văn bản chuyển đơn tố cáo."))
    _raise_if(errors)
    with transaction.atomic():
        matter = transition(
            matter.pk, OUTCOMES[outcome], actor=actor, reason=reason, request=request,
            action=TriageAction.DECIDE, within_competence=bool(within_competence),
            competent_body=competent_body, letter_number=letter_number,
        )
        now = timezone.now()
        deadlines.close_deadlines(matter, deadlines.MET_BY_DECISION, at=now)
        if outcome == "forward" and matter.kind == MatterKind.TO_CAO:
            # Counted from receipt; the letter is issued with this decision, so it is met now.
            deadlines.start_deadline(matter, deadlines.DENUNCIATION_FORWARDING, matter.received_at)
            deadlines.close_deadlines(matter, [deadlines.DENUNCIATION_FORWARDING], at=now)
    return matter


def refuse(
    matter: Matter, *, ground: str, actor: User | AnonymousUser, reason: str,
    request: HttpRequest | None = None,
) -> Matter:
    """Từ chối tiếp on one of the legal grounds (Luật Tiếp công dân Đ9; NĐ 154/2026 Đ4)."""
    access.check(actor, Perm.TRIAGE, matter.commune, TRIAGE_DENIED)
    if ground not in RefusalGround.values:
        _raise_if(_field("ground", _("Cần chọn căn cứ từ chối tiếp theo quy định.")))
    with transaction.atomic():
        matter = transition(
            matter.pk, S.REFUSED, actor=actor, reason=reason, request=request,
            action=TriageAction.REFUSE, refusal_ground=ground,
        )
        now = timezone.now()
        deadlines.close_deadlines(matter, deadlines.MET_BY_DECISION, at=now)
        if ground in WRITTEN_NOTICE_GROUNDS:
            deadlines.start_deadline(matter, deadlines.REFUSAL_NOTICE, now)
        # The notice 01/TCD is numbered and rendered outside the transaction, once the refusal
        # has committed; a failure there leaves the refusal standing (retried from the page).
        transaction.on_commit(partial(issue_after_refusal, matter.pk, actor))
    return matter


def available_actions(matter: Matter) -> list[str]:
    """The triage actions the current status allows, in the order a person considers them."""
    targets = allowed_targets(matter.status)
    actions = []
    if S.TRIAGED in targets:
        actions.append("classify")
    if targets & set(OUTCOMES.values()):
        actions.append("decide")
    if S.REFUSED in targets:
        actions.append("refuse")
    return actions


def _field(name: str, message: str) -> dict[str, list[dict[str, str]]]:
    return {name: [{"code": "invalid", "message": str(message)}]}


def _raise_if(errors: dict[str, list[dict[str, str]]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]["message"]
        raise InvalidInput(first, field_errors=errors)
