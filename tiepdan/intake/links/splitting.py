"""Splitting a petition that mixes contents (e.g. a complaint and a denunciation) into separate
matters (NĐ 154/2026 Đ14: "đơn có nhiều nội dung khác nhau thì hướng dẫn tách riêng").

Each part becomes a new matter of the same petitioner, received at the same time as the original
(the legal deadlines count from receipt), with its own tracking code; the original keeps the rest.
Documents chosen for a part are *moved* to it: a document belongs to one matter only, so the
permission checks, downloads and receipts stay unchanged, and a denunciation's documents do not
remain readable in the complaint matter (Luật Tố cáo Đ9: the denouncer's identity is protected).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiepdan.core import access, audit
from tiepdan.core.access import Perm
from tiepdan.core.public_urls import absolute_reverse
from tiepdan.notify import sms_templates
from tiepdan.notify.services import queue_email, queue_template_sms

from .. import matter_deadlines as deadlines
from ..identity import sealing
from ..models import (
    Attachment,
    LinkKind,
    Matter,
    MatterKind,
    MatterStatus,
    Representative,
    TriageAction,
    TriageRecord,
)
from ..status import status_short_url
from ..tracking_codes import new_tracking_code
from ..triage.state_machine import TRIAGE_DENIED
from .shared import (
    FieldErrors,
    actor_or_none,
    create_link,
    field_error,
    raise_if,
)

#: A matter may be split only before a decision is taken on it.
SPLITTABLE = frozenset({MatterStatus.NEW, MatterStatus.TRIAGED})
SUMMARY_MAX = 300

#: What a part inherits from the original: the petitioner, the registration and the consent.
_COPIED = (
    "commune", "full_name", "id_type", "id_number", "id_issue_date", "id_issue_place", "gender",
    "date_of_birth", "address_province_code", "address_ward_code", "address", "phone", "email",
    "group_size", "wants_online", "online_reason", "online_reason_text", "join_point",
    "join_point_detail", "consent_given_at", "consent_purpose_version", "channel",
    "registered_by", "received_at", "id_digest", "phone_digest",
)
#: The identity columns a sealed original holds only as masks (taken from its sealed copy).
_IDENTITY = (
    "full_name", "id_type", "id_number", "id_issue_date", "id_issue_place", "gender",
    "date_of_birth", "address_province_code", "address_ward_code", "address", "phone", "email",
)


def split_matter(
    matter: Matter, parts: Sequence[Mapping[str, Any]], *, actor: User | AnonymousUser, reason: str,
    request: HttpRequest | None = None, remaining: Mapping[str, Any] | None = None,
) -> list[Matter]:
    """Split ``parts`` (``kind``, ``summary``, ``content``, ``attachment_ids``) off ``matter``
    into new matters; ``remaining`` (``kind``, ``summary``, ``content``) optionally replaces
    what the original keeps.  Returns the new matters.  All or nothing."""
    access.check(actor, Perm.TRIAGE, matter.commune, TRIAGE_DENIED)
    reason = (reason or "").strip()
    cleaned, kept = _validate(matter, parts, remaining, reason)
    with transaction.atomic():
        original = Matter.objects.select_for_update(of=("self",)).get(pk=matter.pk)
        if original.status not in SPLITTABLE:
            raise_if(field_error("__all__", _(
                "Chỉ tách được đơn mới tiếp nhận hoặc đã phân loại (hồ sơ đang ở trạng thái "
                "“%(status)s”).") % {"status": MatterStatus(original.status).label},
                code="not_splittable"))
        now = timezone.now()
        new_matters = [_create_part(original, part, actor, reason, now, request)
                       for part in cleaned]
        _update_original(original, kept, new_matters, actor, reason, now, request)
        _notify_citizen(original, new_matters)
    return new_matters


# Validation -----------------------------------------------------------------------------------


def _validate(
    matter: Matter, parts: Sequence[Mapping[str, Any]], remaining: Mapping[str, Any] | None,
    reason: str,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    errors: FieldErrors = {}
    if not reason:
        errors |= field_error("reason", _("Cần ghi rõ lý do."))
    if not parts:
        errors |= field_error("parts", _(
            "Cần ít nhất một phần nội dung được tách thành đơn mới (đơn sau khi tách phải có ít "
            "nhất hai phần)."))
    own = set(matter.attachments.values_list("pk", flat=True))
    claimed: set[int] = set()
    cleaned = []
    for i, part in enumerate(parts):
        text, part_errors = _clean_text(part, f"parts.{i}")
        errors |= part_errors
        ids: list[int] = []
        for raw in part.get("attachment_ids") or []:
            try:
                ids.append(int(raw))
            except (TypeError, ValueError):
                ids.append(-1)
        if any(pk not in own for pk in ids):
            errors |= field_error(f"parts.{i}.attachment_ids",
                                  _("Tài liệu đã chọn không thuộc hồ sơ này."))
        elif claimed & set(ids) or len(set(ids)) != len(ids):
            errors |= field_error(f"parts.{i}.attachment_ids",
                                  _("Mỗi tài liệu chỉ chuyển sang một đơn."))
        claimed |= set(ids)
        cleaned.append({**text, "attachment_ids": ids})
    kept = None
    if remaining is not None:
        kept, kept_errors = _clean_text(remaining, "remaining")
        errors |= kept_errors
    raise_if(errors)
    return cleaned, kept


def _clean_text(part: Mapping[str, Any], prefix: str) -> tuple[dict[str, str], FieldErrors]:
    errors: FieldErrors = {}
    kind = str(part.get("kind") or "")
    summary = " ".join(str(part.get("summary") or "").split())
    content = str(part.get("content") or "").strip()
    if kind not in MatterKind.values:
        errors |= field_error(f"{prefix}.kind", _("Loại đơn không hợp lệ."))
    if not summary:
        errors |= field_error(f"{prefix}.summary", _("Cần ghi tóm tắt nội dung."))
    elif len(summary) > SUMMARY_MAX:
        errors |= field_error(f"{prefix}.summary", _(
            "Tóm tắt nội dung tối đa %(n)s ký tự.") % {"n": SUMMARY_MAX})
    if not content:
        errors |= field_error(f"{prefix}.content", _("Cần ghi nội dung của đơn."))
    return {"kind": kind, "summary": summary, "content": content}, errors


# Creating the parts ---------------------------------------------------------------------------


def _create_part(original: Matter, part: dict[str, Any], actor: User | AnonymousUser, reason: str,
                 now: dt.datetime, request: HttpRequest | None) -> Matter:
    fields = {name: getattr(original, name) for name in _COPIED}
    representatives = [(r.position, r.full_name, r.phone) for r in original.representatives.all()]
    if original.identity_sealed:
        # The parts get the real identity and are sealed in turn (below): a part of a
        # denunciation never shows the denouncer, whatever its kind.
        identity = sealing.open_sealed(original)
        fields.update({name: getattr(identity, name) for name in _IDENTITY})
        representatives = [(r.position, r.full_name, r.phone)
                           for r in identity.representatives]
    kind = part["kind"]
    fields.update(kind=kind, summary=part["summary"], content=part["content"])
    if kind == MatterKind.KHIEU_NAI:
        fields.update(complained_decision=original.complained_decision,
                      complained_by=original.complained_by, prior_agency=original.prior_agency)
    if kind == MatterKind.TO_CAO:
        # The petitioner never chose for this denunciation: protect unless they had already
        # waived protection for a denunciation (Luật Tố cáo Đ9; Quy chế Điều 4.1.d).
        waived = original.kind == MatterKind.TO_CAO and not original.identity_protection
        fields.update(identity_protection=not waived, in_person_only=not waived)
        if not waived:
            fields.update(wants_online=False, online_reason="", online_reason_text="",
                          join_point="", join_point_detail="")
    new = _create_with_fresh_code(fields)
    Representative.objects.bulk_create(
        Representative(matter=new, position=position, full_name=name, phone=phone)
        for position, name, phone in representatives
    )
    if part["attachment_ids"]:
        Attachment.objects.filter(pk__in=part["attachment_ids"], matter=original).update(
            matter=new)
    if kind == MatterKind.TO_CAO or original.identity_sealed:
        sealing.protect_identity(new)  # after the move: its documents are sealed too
    deadlines.start_registration_deadlines(new)
    create_link(new, original, LinkKind.SPLIT_FROM, actor=actor, reason=reason)
    TriageRecord.objects.create(
        matter=new, action=TriageAction.SPLIT, from_status=new.status, to_status=new.status,
        actor=actor_or_none(actor), at=now, kind=kind,
        reason=_("Tách từ đơn %(code)s: %(reason)s") % {"code": original.tracking_code,
                                                      "reason": reason},
    )
    audit.record("intake.matter.split_off", new, actor=actor, commune=original.commune,
                 request=request, reason=reason,
                 data={"tracking_code": new.tracking_code, "kind": str(kind),
                       "original": original.tracking_code})
    return new


def _create_with_fresh_code(fields: dict[str, Any]) -> Matter:
    for attempt in range(5):
        try:
            with transaction.atomic():
                return Matter.objects.create(tracking_code=new_tracking_code(),
                                             status=MatterStatus.NEW, **fields)
        except IntegrityError:  # a tracking-code collision: 60 random bits make it rare
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _update_original(
    original: Matter, kept: dict[str, Any] | None, new_matters: list[Matter],
    actor: User | AnonymousUser, reason: str, now: dt.datetime, request: HttpRequest | None,
) -> None:
    codes = ", ".join(m.tracking_code for m in new_matters)
    kind_changed = False
    if kept is not None:
        kind_changed = kept["kind"] != original.kind
        original.kind, original.summary, original.content = (
            kept["kind"], kept["summary"], kept["content"])
        fields = ["kind", "summary", "content", "updated_at"]
        if original.kind != MatterKind.KHIEU_NAI and original.complaint_round:
            original.complaint_round = ""
            fields.append("complaint_round")
        if original.kind != MatterKind.TO_CAO and original.identity_protection:
            original.identity_protection = original.in_person_only = False
            fields += ["identity_protection", "in_person_only"]
        original.save(update_fields=fields)
    if kind_changed:
        deadlines.follow_kind(original)
    TriageRecord.objects.create(
        matter=original, action=TriageAction.SPLIT, from_status=original.status,
        to_status=original.status, actor=actor_or_none(actor), at=now, kind=original.kind,
        reason=_("Tách thành đơn %(codes)s: %(reason)s") % {"codes": codes, "reason": reason},
    )
    audit.record("intake.matter.split", original, actor=actor, commune=original.commune,
                 request=request, reason=reason,
                 data={"tracking_code": original.tracking_code, "parts": codes})


def _notify_citizen(original: Matter, new_matters: list[Matter]) -> None:
    """Tell the petitioner the new tracking codes: SMS always (the phone is required), e-mail
    when they gave one.  Queued in this transaction, sent only after commit.  A sealed
    denouncer's contact comes from the sealed copy and the message names nobody (delivery
    records are kept in the database)."""
    phone, email, name = original.phone, original.email, original.full_name
    if original.identity_sealed:
        identity = sealing.open_sealed(original)
        phone, email, name = identity.phone, identity.email, ""
    with translation.override("vi"):
        codes = ", ".join(m.tracking_code for m in new_matters)
        lookup = absolute_reverse("intake:lookup")
        subject = _("Đơn %(code)s được tách thành hồ sơ %(codes)s") % {
            "code": original.tracking_code, "codes": codes}
        lines = [
            original.commune.committee_name, "",
            (_("Kính gửi ông/bà %(name)s,") % {"name": name}) if name
            else _("Kính gửi ông/bà,"), "",
            _("Đơn %(code)s của ông/bà có nhiều nội dung khác nhau nên được tách thành các hồ "
              "sơ riêng để xử lý theo quy định (Nghị định 154/2026/NĐ-CP Điều 14). Thời hạn "
              "xử lý vẫn tính từ ngày tiếp nhận đơn.") % {"code": original.tracking_code}, "",
            *[_("Mã hồ sơ mới: %(code)s — %(summary)s") % {
                "code": m.tracking_code, "summary": m.summary} for m in new_matters],
            "",
            _("Ông/bà tra cứu trạng thái từng hồ sơ bằng mã hồ sơ và số điện thoại đã khai tại "
              "%(url)s.") % {"url": lookup},
        ]
    queue_template_sms(sms_templates.SPLIT, commune=original.commune, to=phone,
                       link=status_short_url(original), obj=original,
                       code=original.tracking_code, codes=codes)
    if email:
        queue_email(commune=original.commune, to=email, subject=subject,
                    text="\n".join(str(line) for line in lines), purpose="intake.split",
                    obj=original)
