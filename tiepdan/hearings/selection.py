"""Selecting matters for an online hearing (Quy chế An Lão Điều 4): the office proposes with the
ground of Điều 4.1, the system checks the rules it can, the Chairman approves or rejects."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import access, audit
from tiepdan.core.access import Perm
from tiepdan.intake.models import Matter, MatterKind, MatterStatus, OnlineReason

from .errors import HearingStateError, field_error
from .models import OnlineGround, OnlineSelection, SelectionStatus

#: The citizen's stated reason for an online reception (registration) → the Điều 4.1 ground.
_GROUND_FOR_REASON = {
    OnlineReason.FAR_AWAY: OnlineGround.REMOTE_OR_VULNERABLE,
    OnlineReason.ELDERLY: OnlineGround.REMOTE_OR_VULNERABLE,
    OnlineReason.DISABLED: OnlineGround.REMOTE_OR_VULNERABLE,
    OnlineReason.POLICY_BENEFICIARY: OnlineGround.REMOTE_OR_VULNERABLE,
}


def suggested_ground(matter: Matter) -> str:
    """The ground the proposal starts from (the office may change it): a group matter is
    đ) (đông người); a citizen far away, elderly, disabled or a policy beneficiary is b); a
    denunciation without protection is d); otherwise the office chooses."""
    if matter.is_group:
        return OnlineGround.MASS_CASE
    if matter.online_reason in _GROUND_FOR_REASON:
        return _GROUND_FOR_REASON[matter.online_reason]
    if matter.kind == MatterKind.TO_CAO and not matter.identity_protection:
        return OnlineGround.DENUNCIATION_NO_PROTECTION
    return ""


def eligibility_problems(matter: Matter, ground: str | None = None) -> list[str]:
    """Why ``matter`` cannot be heard online (empty when it can)."""
    problems = []
    if matter.status != MatterStatus.ACCEPTED:
        problems.append(_("Chỉ vụ việc đã thụ lý mới được chọn tiếp trực tuyến."))
    if matter.kind == MatterKind.TO_CAO and (matter.identity_protection or matter.in_person_only):
        # Quy chế Điều 4.1.d; NĐ 154 Đ20 k4.
        problems.append(_("Tố cáo có yêu cầu bảo vệ danh tính không được tiếp trực tuyến."))
    if getattr(matter, "within_competence", True) is False:
        problems.append(_("Vụ việc không thuộc thẩm quyền của UBND xã."))
    if matter.is_group and not matter.representatives.exists():
        problems.append(_("Vụ việc đông người phải có người đại diện (NĐ 154 Đ22)."))
    if ground == OnlineGround.DENUNCIATION_NO_PROTECTION and matter.kind != MatterKind.TO_CAO:
        problems.append(_("Căn cứ d) chỉ áp dụng cho đơn tố cáo."))
    if ground == OnlineGround.MASS_CASE and not matter.is_group:
        problems.append(_("Căn cứ đ) chỉ áp dụng cho vụ việc đông người."))
    return problems


@transaction.atomic
def propose(matter: Matter, *, ground: str, actor: AbstractBaseUser,
            note: str = "") -> OnlineSelection:
    access.check(actor, Perm.PLAN_HEARING, matter.commune,
                 _("Bạn không có quyền đề xuất vụ việc tiếp trực tuyến."))
    if ground not in OnlineGround.values:
        raise field_error("ground", _("Chọn căn cứ theo Điều 4.1 Quy chế."), "required")
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    problems = eligibility_problems(matter, ground)
    if problems:
        raise HearingStateError(" ".join(problems), code="not_eligible")
    if matter.online_selections.filter(status=SelectionStatus.APPROVED).exists():
        raise HearingStateError(_("Vụ việc đã được đồng ý tiếp trực tuyến."), code="duplicate")
    try:
        with transaction.atomic():
            selection = OnlineSelection.objects.create(
                matter=matter, ground=ground, note=note.strip(), proposed_by=actor,
                proposed_at=timezone.now())
    except IntegrityError:
        raise HearingStateError(_("Vụ việc đang chờ Chủ tịch quyết định."),
                                code="duplicate") from None
    audit.record("hearings.selection.proposed", selection, actor=actor, commune=matter.commune,
                 data={"tracking_code": matter.tracking_code, "ground": str(ground)},
                 reason=note)
    return selection


@transaction.atomic
def decide(selection: OnlineSelection, *, approve: bool, actor: AbstractBaseUser,
           reason: str) -> OnlineSelection:
    selection = OnlineSelection.objects.select_for_update().select_related(
        "matter__commune").get(pk=selection.pk)
    commune = selection.matter.commune
    access.check(actor, Perm.DECIDE_HEARING, commune,
                 _("Chỉ Chủ tịch (Phó Chủ tịch được ủy quyền) quyết định."))
    if selection.status != SelectionStatus.PROPOSED:
        raise HearingStateError(_("Đề xuất này đã được quyết định."), code="decided")
    if not reason.strip():
        raise field_error("reason", _("Nêu lý do quyết định."), "required")
    if approve:
        problems = eligibility_problems(selection.matter, selection.ground)
        if problems:
            raise HearingStateError(" ".join(problems), code="not_eligible")
    selection.status = SelectionStatus.APPROVED if approve else SelectionStatus.REJECTED
    selection.decided_by, selection.decided_at = actor, timezone.now()
    selection.decision_reason = reason.strip()
    selection.save()
    audit.record("hearings.selection.approved" if approve else "hearings.selection.declined",
                 selection, actor=actor, commune=commune, reason=reason,
                 data={"tracking_code": selection.matter.tracking_code})
    return selection
