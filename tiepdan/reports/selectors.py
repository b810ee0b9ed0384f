"""Who may read which report: a commune's report needs ``VIEW_REPORTS`` in that commune; the
city dashboard needs a city-level role that grants ``VIEW_REPORTS`` over that city (the city's
Ban Tiếp công dân / Thanh tra), because it shows every commune side by side. Issuing the
commune's report to the city is the commune's own act: ``ISSUE_REPORTS`` (its office or its
leaders)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext_lazy

from tiepdan.core import access
from tiepdan.core.access import Perm
from tiepdan.core.errors import Forbidden
from tiepdan.core.models import City, StaffRole
from tiepdan.core.selectors import first_or_not_found

#: Refusal of a commune's report pages and API to whoever lacks ``VIEW_REPORTS`` there.
REPORTS_DENIED = gettext_lazy("Bạn không có quyền xem báo cáo của xã này.")
#: Refusal of the results report to whoever lacks ``ISSUE_REPORTS`` in the commune.
ISSUE_DENIED = gettext_lazy("Chỉ Văn phòng và lãnh đạo UBND xã được ban hành báo cáo của xã.")


def city_get_for_user(user: User | AnonymousUser, city_id: int) -> City:
    """The city ``city_id`` if ``user`` holds, over that city, a city role granting
    ``VIEW_REPORTS`` (a commune role is not enough: the dashboard shows every commune);
    ``NotFound`` / ``Forbidden``."""
    city = first_or_not_found(City.objects.filter(pk=city_id),
                              gettext_lazy("Không tìm thấy thành phố này trên hệ thống."))
    if not (user.is_authenticated and user.is_active and StaffRole.objects.filter(
            user=user, city=city, role__in=access.roles_granting(Perm.VIEW_REPORTS)).exists()):
        raise Forbidden(gettext_lazy("Bạn không có quyền xem báo cáo tổng hợp của thành phố này."))
    return city
