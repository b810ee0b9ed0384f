"""Permission-checked reads of communes: the first step of every staff page and API call that
names a commune (``/communes/<ward_code>/...``)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from . import access
from .errors import NotFound
from .models import Commune


def commune_get(ward_code: int) -> Commune:
    """The active commune ``ward_code``, or ``NotFound``."""
    commune = Commune.objects.select_related("city").filter(
        ward_code=ward_code, is_active=True
    ).first()
    if commune is None:
        raise NotFound(gettext_lazy("Không tìm thấy xã này trên hệ thống."))
    return commune


def commune_get_for_user(user: User | AnonymousUser, ward_code: int,
                         need: access.Need, message: str | Promise | None = None) -> Commune:
    """The active commune ``ward_code`` if ``user`` holds ``need`` there: ``NotFound`` when
    there is no such commune, ``Forbidden`` (with ``message``) when the user may not."""
    commune = commune_get(ward_code)
    access.check(user, need, commune, message)
    return commune
