"""Merging the individual registrations of members of a group (đoàn đông người) into the group
matter: people with the same content who come as a group are received as one group through
their representatives (Luật Tiếp công dân Đ29–30), and the register counts them in column 7
"số người cùng nội dung" (Mẫu 03/TCD).

Each merged registration is filed (“lưu đơn”) through the triage state machine, linked
``merged_into`` the group matter, its running deadlines closed, and its petitioner named among
the group's members; the citizen's status page then points to the group matter.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import access, audit
from tiepdan.core.access import Perm
from tiepdan.notify import sms_templates
from tiepdan.notify.services import queue_template_sms

from .. import matter_deadlines as deadlines
from ..models import (
    GroupMember,
    LinkKind,
    Matter,
    MatterDeadline,
    MatterStatus,
    TriageAction,
    TriageRecord,
)
from ..selectors import merged_group_of
from ..status import status_short_url
from ..triage import state_machine as triage
from ..triage.state_machine import TRIAGE_DENIED
from .shared import (
    FieldErrors,
    actor_or_none,
    create_link,
    field_error,
    raise_if,
)

S = MatterStatus
#: A member's own registration may be merged only before any decision on it.
MERGEABLE = frozenset({S.NEW, S.TRIAGED})
#: The group matter must still be handled: not yet ended by a decision, a refusal or closing.
GROUP_OPEN = frozenset({S.NEW, S.TRIAGED, S.ACCEPTED, S.SCHEDULED})


def merge_into(
    group_matter: Matter, member_matters: Sequence[Matter], *, actor: User | AnonymousUser,
    reason: str, request: HttpRequest | None = None, already_counted: bool = False,
) -> Matter:
    """Merge ``member_matters`` into ``group_matter``; all or nothing.

    ``already_counted``: the members are among the people the group declared (its
    ``group_size``), so the size only grows if the named people outnumber it; otherwise each
    merged registration adds its own people to the group."""
    access.check(actor, Perm.TRIAGE, group_matter.commune, TRIAGE_DENIED)
    reason = (reason or "").strip()
    _raise_invalid(group_matter, member_matters, reason)
    ids = sorted(m.pk for m in member_matters)
    with transaction.atomic():
        # Lock in id order (group included) so that concurrent merges cannot deadlock.
        locked = {m.pk: m for m in Matter.objects.select_for_update(of=("self",))
                  .select_related("commune").filter(pk__in=[group_matter.pk, *ids])
                  .order_by("pk")}
        group, members = locked[group_matter.pk], [locked[pk] for pk in ids]
        _raise_invalid(group, members, reason)  # again, on the locked rows
        now = timezone.now()
        for member in members:
            _merge_one(group, member, actor, reason, request)
        added = sum(m.group_size for m in members)
        named = 1 + (GroupMember.objects.filter(matter=group)
                     .aggregate(n=Sum("headcount"))["n"] or 0)
        old_size = group.group_size
        group.group_size = (max(group.group_size, named) if already_counted
                            else group.group_size + added)
        group.save(update_fields=["group_size", "updated_at"])
        codes = ", ".join(m.tracking_code for m in members)
        TriageRecord.objects.create(
            matter=group, action=TriageAction.MERGE, from_status=group.status,
            to_status=group.status, actor=actor_or_none(actor), at=now,
            reason=_("Gộp hồ sơ %(codes)s của thành viên nhóm: %(reason)s") % {
                "codes": codes, "reason": reason},
        )
        audit.record("intake.group.merged", group, actor=actor, commune=group.commune,
                     request=request, reason=reason,
                     data={"merged": codes, "group": group.tracking_code,
                           "old_size": old_size, "new_size": group.group_size})
    return group


def _raise_invalid(group: Matter, members: Sequence[Matter], reason: str) -> None:
    errors: FieldErrors = {}
    if not reason:
        errors |= field_error("reason", _("Cần ghi rõ lý do."))
    if not group.is_group:
        errors |= field_error("__all__", _(
            "Chỉ gộp vào hồ sơ của đoàn đông người (từ 5 người trở lên)."), code="not_a_group")
    elif group.status not in GROUP_OPEN or merged_group_of(group) is not None:
        errors |= field_error("__all__", _(
            "Hồ sơ nhóm đang ở trạng thái “%(status)s”, không gộp thêm được.") % {
                "status": MatterStatus(group.status).label}, code="group_closed")
    if not members:
        errors |= field_error("member_ids", _("Cần chọn ít nhất một hồ sơ để gộp."))
    if len({m.pk for m in members}) != len(members):
        errors |= field_error("member_ids", _("Một hồ sơ được chọn hai lần."))
    problems = [_member_problem(group, m) for m in members]
    for problem in filter(None, problems):
        errors.setdefault("member_ids", []).append({"code": "not_mergeable", "message": problem})
    raise_if(errors)


def _member_problem(group: Matter, member: Matter) -> str | None:
    values = {"code": member.tracking_code}
    if member.pk == group.pk:
        return _("Không thể gộp hồ sơ %(code)s vào chính nó.") % values
    if member.commune_id != group.commune_id:
        return _("Hồ sơ %(code)s thuộc xã khác, không gộp được.") % values
    if member.kind != group.kind:
        return _("Hồ sơ %(code)s khác loại đơn với hồ sơ nhóm (%(kind)s).") % {
            **values, "kind": member.get_kind_display()}
    if member.status not in MERGEABLE:
        return _("Hồ sơ %(code)s đã qua bước phân loại (“%(status)s”), không gộp được.") % {
            **values, "status": MatterStatus(member.status).label}
    if member.is_group:
        return _("Hồ sơ %(code)s là đơn của một đoàn đông người, không gộp như một thành "
                 "viên.") % values
    return None


def _merge_one(group: Matter, member: Matter, actor: User | AnonymousUser, reason: str,
               request: HttpRequest | None) -> None:
    values = {"code": group.tracking_code, "reason": reason}
    if member.status == S.NEW:
        # The state machine files a matter only after classification (TRANSITIONS[NEW]); the
        # kind is already the group's, so the member is classified as it stands.
        triage.transition(
            member.pk, S.TRIAGED, actor=actor, request=request, action=TriageAction.MERGE,
            reason=_("Phân loại để gộp vào hồ sơ nhóm %(code)s (cùng loại, cùng nội dung): "
                     "%(reason)s") % values,
            kind=member.kind,
        )
    triage.transition(
        member.pk, S.FILED, actor=actor, request=request, action=TriageAction.MERGE,
        reason=_("Lưu đơn, đã gộp vào hồ sơ nhóm %(code)s: %(reason)s") % values,
    )
    open_keys = MatterDeadline.objects.filter(matter=member, open=True).values_list(
        "rule_key", flat=True)
    deadlines.close_deadlines(member, list(open_keys))
    create_link(member, group, LinkKind.MERGED_INTO, actor=actor, reason=reason)
    GroupMember.objects.create(matter=group, full_name=member.full_name, phone=member.phone,
                               headcount=member.group_size, merged_from=member,
                               added_at=timezone.now())
    _notify_member(group, member)


def _notify_member(group: Matter, member: Matter) -> None:
    """Luật Tiếp công dân Đ28: the petitioner learns what became of their petition."""
    queue_template_sms(sms_templates.MERGED, commune=group.commune, to=member.phone,
                       link=status_short_url(member), obj=member, code=member.tracking_code,
                       group=group.tracking_code)
