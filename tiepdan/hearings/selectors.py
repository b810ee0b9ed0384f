"""Permission-checked reads of hearings, their bridge points and online proposals: the only
way the hearing, minutes and conclusion pages and API load them.

Each takes the commune's ward code and what the user must hold there (``core.access``): no
such commune, or no such thing in it, is ``NotFound``; a commune where the user lacks the
permission is ``Forbidden``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from tiepdan.core import access
from tiepdan.core.selectors import commune_get_for_user, first_or_not_found

from .models import BridgePoint, Hearing, OnlineSelection

UserOrAnonymous = User | AnonymousUser

#: Refusal of every hearing page and call of a commune where the user may not.
DENIED = gettext_lazy("Bạn không có quyền với buổi tiếp của xã này.")


def hearing_get_for_user(user: UserOrAnonymous, ward_code: int, pk: int,
                         need: access.Need = access.VIEW_HEARINGS,
                         message: str | Promise = DENIED) -> Hearing:
    """The hearing ``pk`` of commune ``ward_code`` (with its commune and chair)."""
    commune = commune_get_for_user(user, ward_code, need, message)
    return first_or_not_found(
        Hearing.objects.filter(commune=commune, pk=pk).select_related("commune__city", "chair"),
        gettext_lazy("Không tìm thấy buổi tiếp."))


def bridge_point_get_for_user(user: UserOrAnonymous, ward_code: int, pk: int,
                              need: access.Need = access.Perm.PLAN_HEARING,
                              message: str | Promise = DENIED) -> BridgePoint:
    """The bridge point ``pk`` of a hearing of commune ``ward_code``."""
    commune = commune_get_for_user(user, ward_code, need, message)
    return first_or_not_found(
        BridgePoint.objects.filter(pk=pk, hearing__commune=commune)
        .select_related("hearing__commune"),
        gettext_lazy("Không tìm thấy điểm cầu."))


def proposal_get_for_user(user: UserOrAnonymous, ward_code: int, pk: int,
                          need: access.Need = access.Perm.DECIDE_HEARING,
                          message: str | Promise = DENIED) -> OnlineSelection:
    """The online-hearing proposal ``pk`` of a matter of commune ``ward_code``."""
    commune = commune_get_for_user(user, ward_code, need, message)
    return first_or_not_found(
        OnlineSelection.objects.filter(pk=pk, matter__commune=commune)
        .select_related("matter__commune"),
        gettext_lazy("Không tìm thấy đề xuất."))
