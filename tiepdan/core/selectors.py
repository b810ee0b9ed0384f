"""Permission-checked reads of communes: the first step of every staff page and API call that
names a commune (``/communes/<ward_code>/...``)."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from . import access
from .errors import NotFound
from .models import Commune

M = TypeVar("M", bound=Model)


def first_or_not_found(rows: QuerySet[M], message: str | Promise) -> M:
    """The first of ``rows`` (already narrowed to what the user may see), or
    ``NotFound(message)``: every fetch selector ends with this."""
    row = rows.first()
    if row is None:
        raise NotFound(message)
    return row


def commune_get(ward_code: int) -> Commune:
    """The active commune ``ward_code``, or ``NotFound``."""
    return first_or_not_found(
        Commune.objects.select_related("city").filter(ward_code=ward_code, is_active=True),
        gettext_lazy("Không tìm thấy xã này trên hệ thống."))


def commune_get_for_user(user: User | AnonymousUser, ward_code: int,
                         need: access.Need, message: str | Promise | None = None) -> Commune:
    """The active commune ``ward_code`` if ``user`` holds ``need`` there: ``NotFound`` when
    there is no such commune, ``Forbidden`` (with ``message``) when the user may not."""
    commune = commune_get(ward_code)
    access.check(user, need, commune, message)
    return commune
