"""Permission-checked reads of matters: the only way pages, API and downloads load them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tiepdan.core import access
from tiepdan.core.access import Perm, communes_with_perm, has_perm
from tiepdan.core.models import Commune
from tiepdan.core.selectors import commune_get, first_or_not_found

from .models import Attachment, LinkKind, Matter, MatterLink


def visible_matters(user: User | AnonymousUser) -> QuerySet[Matter]:
    """Matters of every commune where ``user`` may view matters, plus those the user registered
    on a citizen's behalf (village heads see only those)."""
    if not (user and user.is_authenticated):
        return Matter.objects.none()
    communes = communes_with_perm(user, Perm.VIEW_MATTERS)
    return Matter.objects.filter(Q(commune__in=communes) | Q(registered_by=user))


def matters_in_commune(user: User | AnonymousUser, commune: Commune, *, can_view: bool | None = None
                       ) -> QuerySet[Matter]:
    """``visible_matters`` of one commune: all of them where ``user`` may view matters (one
    plain ``commune =`` condition, which the inbox's indexes serve), else those the user
    registered on a citizen's behalf.  ``can_view``: that permission, if the caller knows it."""
    if not (user and user.is_authenticated):
        return Matter.objects.none()
    if can_view is None:
        can_view = has_perm(user, Perm.VIEW_MATTERS, commune)
    if can_view:
        return Matter.objects.filter(commune=commune)
    return Matter.objects.filter(commune=commune, registered_by=user)


def matter_get_for_user(user: User | AnonymousUser, ward_code: int, pk: int,
                        need: access.Need | None = None,
                        message: str | Promise | None = None) -> Matter:
    """The matter ``pk`` of commune ``ward_code``, or ``NotFound`` — no such commune, a matter
    of another commune, or one the user may not see (``matters_in_commune``) is
    indistinguishable from none.  With ``need``, what the caller is about to do, the user who
    sees the matter must also hold it in the commune: ``Forbidden`` (with ``message``)."""
    commune = commune_get(ward_code)
    matter = first_or_not_found(
        matters_in_commune(user, commune)
        .select_related("registered_by")
        .prefetch_related("representatives", "attachments")
        .filter(pk=pk),
        _("Không tìm thấy hồ sơ."))
    matter.commune = commune  # the one already read (with its city)
    if need is not None:
        access.check(user, need, commune, message)
    return matter


def attachment_get_for_user(user: User | AnonymousUser, pk: int) -> Attachment:
    return first_or_not_found(
        Attachment.objects.select_related("matter", "commune")
        .filter(pk=pk, matter__in=visible_matters(user)),
        _("Không tìm thấy tệp."))


def merged_group_of(matter: Matter) -> Matter | None:
    """The group matter ``matter`` was merged into, if it was (``intake.links.groups``)."""
    link = (MatterLink.objects.filter(from_matter=matter, kind=LinkKind.MERGED_INTO)
            .select_related("to_matter").first())
    return link.to_matter if link else None

