"""Who may read which report: a commune's report needs ``VIEW_REPORTS`` in that commune; the
city dashboard needs a city-level role that grants ``VIEW_REPORTS`` over that city (the city's
Ban Tiếp công dân / Thanh tra), because it shows every commune side by side. Issuing the
commune's report to the city is the commune's own act: its office or its leaders."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _

from tiepdan.core import access
from tiepdan.core.access import ROLE_PERMS, Perm, has_perm, roles_of
from tiepdan.core.errors import Forbidden
from tiepdan.core.models import City, Commune, Role, StaffRole
from tiepdan.core.selectors import first_or_not_found

#: Commune roles that write and issue the periodic report (Văn phòng, Chủ tịch, Phó Chủ tịch).
ISSUING_ROLES = frozenset({Role.OFFICE_OFFICER, Role.CHAIRMAN, Role.VICE_CHAIRMAN})


def require_commune_reports(user: User | AnonymousUser, commune: Commune) -> None:
    access.check(user, Perm.VIEW_REPORTS, commune, _("Bạn không có quyền xem báo cáo của xã này."))


def may_issue_report(user: User | AnonymousUser, commune: Commune) -> bool:
    return has_perm(user, Perm.VIEW_REPORTS, commune) and bool(
        roles_of(user, commune) & ISSUING_ROLES)


def require_issue_report(user: User | AnonymousUser, commune: Commune) -> None:
    if not may_issue_report(user, commune):
        raise Forbidden(_("Chỉ Văn phòng và lãnh đạo UBND xã được ban hành báo cáo của xã."))


def may_view_city(user: User | AnonymousUser, city: City) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    roles = [role for role, perms in ROLE_PERMS.items() if Perm.VIEW_REPORTS in perms]
    return StaffRole.objects.filter(user=user, city=city, role__in=roles).exists()


def city_get_for_user(user: User | AnonymousUser, city_id: int) -> City:
    """The city ``city_id`` if ``user`` may see its dashboard; ``NotFound`` / ``Forbidden``."""
    city = first_or_not_found(City.objects.filter(pk=city_id),
                              _("Không tìm thấy thành phố này trên hệ thống."))
    if not may_view_city(user, city):
        raise Forbidden(_("Bạn không có quyền xem báo cáo tổng hợp của thành phố này."))
    return city
