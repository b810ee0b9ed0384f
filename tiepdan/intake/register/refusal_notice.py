"""Thông báo từ chối tiếp công dân (Mẫu 01/TCD; Luật Tiếp công dân Đ9, NĐ 154/2026 Đ4) of a
refused matter: a "TB" notice in the commune's NĐ 30 numbering, addressed to the citizen (so it
carries their own identity), signed by the commune's Chairman.

Issued after the refusal commits (``issue_after_refusal`` from ``transaction.on_commit``) as a
durable step: retried with back-off, and on final failure the office is alerted and the step is
listed for a retry (the officer may also issue the notice again from the matter page).  A
failure never undoes the refusal.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiepdan.core import access, admin_units, durable
from tiepdan.core.access import Perm
from tiepdan.core.errors import DomainError
from tiepdan.core.models import Commune, Role, StaffRole
from tiepdan.core.names import full_name
from tiepdan.documents.layout import Signer
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.documents.services import discard_files, issue_document

from .. import matter_deadlines
from ..models import Gender, Matter, MatterStatus, RefusalGround
from .models import RegisterEntry

logger = logging.getLogger(__name__)

TEMPLATE_KEY = "refusal_01_tcd"

_LAW = "Luật Tiếp công dân năm 2013"
_DECREE = "Nghị định số 154/2026/NĐ-CP ngày 15/5/2026 của Chính phủ"
#: The legal basis of each ground as the notice cites it ("Căn cứ …").
LEGAL_BASIS: dict[str, str] = {
    RefusalGround.INTOXICATED: f"khoản 1 Điều 9 {_LAW}",
    RefusalGround.THREATENING: f"khoản 2 Điều 9 {_LAW}",
    RefusalGround.PERSISTENT: f"khoản 3 Điều 9 {_LAW}",
    RefusalGround.REPEAT_NO_NEW_FACTS: f"điểm h Điều 4 {_DECREE}",
    **{ground: f"Điều 4 {_DECREE}" for ground in (
        RefusalGround.WEAPONS, RefusalGround.RECORDING, RefusalGround.INCITING,
        RefusalGround.NO_CAPACITY, RefusalGround.UNPROVEN_REPRESENTATIVE,
        RefusalGround.OUT_OF_SCOPE, RefusalGround.FINAL_JUDGMENT,
        RefusalGround.HANDLED_ELSEWHERE)},
}


def signer_for(commune: Commune) -> Signer:
    """The commune's Chairman; failing one, a Vice-Chairman signing "KT. Chủ tịch"."""
    for role, make in ((Role.CHAIRMAN, Signer.chair), (Role.VICE_CHAIRMAN, Signer.vice_chair)):
        held = (StaffRole.objects.filter(commune=commune, role=role, user__is_active=True)
                .select_related("user").order_by("id").first())
        if held is not None:
            return make(full_name(held.user))
    raise DomainError(_("Xã chưa có Chủ tịch hoặc Phó Chủ tịch để ký thông báo."),
                      code="no_signer")


_SALUTATIONS: dict[str, str] = {Gender.MALE: "Ông", Gender.FEMALE: "Bà"}


def notice_data(matter: Matter) -> dict[str, object]:
    """The variables of the 01/TCD template for ``matter`` (in Vietnamese, whoever asks)."""
    with translation.override("vi"):
        ground = RefusalGround(matter.refusal_ground)
        return {
            "citizen_name": matter.full_name,
            "salutation": _SALUTATIONS.get(matter.gender, "Ông/Bà"),
            "visit_date": timezone.localdate(matter.received_at),
            "id_label": matter.get_id_type_display(),
            "id_number": matter.id_number,
            "id_issue_date": matter.id_issue_date,
            "id_issue_place": matter.id_issue_place,
            "address": full_address(matter),
            "kind_label": matter.get_kind_display(),
            "summary": matter.summary,
            # The ground's label without its "(Luật … Đ9 k1)" citation, which the basis gives.
            "reason": str(ground.label).rsplit(" (", 1)[0],
            "legal_basis": LEGAL_BASIS[ground],
        }


def full_address(matter: Matter) -> str:
    """"Thôn Hàm Hy, Xã An Lão, Thành phố Hải Phòng" from the matter's address fields."""
    ward = admin_units.ward(matter.address_ward_code)
    return ", ".join(filter(None, [
        matter.address, ward[0].name if ward else "",
        admin_units.province_name(matter.address_province_code) or "",
    ]))


def issue_refusal_notice(matter: Matter, *, actor: User | AnonymousUser | None) -> IssuedDocument:
    """Issue the 01/TCD of the refused ``matter`` (or return the one already issued), link it
    to the register entry and close the ``refusal_notice`` deadline. Outside any transaction.
    Raises ``DomainError`` (nothing changed) when it cannot be issued."""
    if actor is not None:  # None: the system, issuing after a refusal it just recorded
        access.check(actor, Perm.TRIAGE, matter.commune,
                     _("Bạn không có quyền phát hành thông báo của xã này."))
    entry = RegisterEntry.objects.select_related("refusal_notice").filter(matter=matter).first()
    if entry is None or entry.outcome != MatterStatus.REFUSED or not matter.refusal_ground:
        raise DomainError(_("Hồ sơ này không bị từ chối tiếp; không có thông báo 01/TCD."),
                          code="not_refused")
    if entry.refusal_notice is not None:
        return entry.refusal_notice
    document: IssuedDocument | None = None
    try:
        # The number belongs to this transaction: a notice that fails to render takes none.
        with transaction.atomic():
            entry = (RegisterEntry.objects.select_for_update(of=("self",))
                     .select_related("refusal_notice")
                     .get(pk=entry.pk))
            if entry.refusal_notice is not None:  # issued meanwhile: that one stands
                return entry.refusal_notice
            document = issue_document(
                matter.commune, DocType.NOTICE, notice_data(matter), actor=actor,
                signer=signer_for(matter.commune), template_key=TEMPLATE_KEY, with_caller=True,
            )
            entry.refusal_notice = document
            entry.save(update_fields=["refusal_notice"])
            matter_deadlines.close_deadlines(matter, [matter_deadlines.REFUSAL_NOTICE],
                                             at=timezone.now())
    except BaseException:
        discard_files(document)
        raise
    return document


def issue_after_refusal(matter_id: int, actor: User | AnonymousUser | None) -> None:
    """``on_commit`` hook of ``triage.refuse``: the notice is a durable step (retried, and the
    office alerted if it cannot be issued; see ``register.steps``)."""
    matter = Matter.objects.select_related("commune").get(pk=matter_id)
    durable.schedule(
        "register.refusal_notice", key=f"register.refusal_notice:{matter_id}",
        commune=matter.commune,
        args={"matter_id": matter_id,
              "actor_id": actor.pk if actor is not None and actor.is_authenticated else None},
        label=f"Thông báo từ chối tiếp công dân (01/TCD) hồ sơ {matter.tracking_code}")
