"""Permission-checked reads of communes: the first step of every staff page and API call that
names a commune (``/communes/<ward_code>/...``)."""

from __future__ import annotations

import copy
import threading
import time
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
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


#: Seconds a web process trusts a commune it read (every public request and staff page names
#: one): a change made in this process is seen at once (the cache is cleared on every save and
#: delete of a commune or a city), one made in another process within this time.
COMMUNE_TTL = 5.0
_communes: dict[int, tuple[float, Commune]] = {}
_communes_lock = threading.Lock()


def commune_get(ward_code: int) -> Commune:
    """The active commune ``ward_code`` (with its city), or ``NotFound``.

    Each caller gets its own copy, so a form that edits it changes nobody else's."""
    now = time.monotonic()
    with _communes_lock:
        hit = _communes.get(ward_code)
    if hit is not None and now - hit[0] < COMMUNE_TTL:
        return copy.copy(hit[1])
    commune = first_or_not_found(
        Commune.objects.select_related("city").filter(ward_code=ward_code, is_active=True),
        gettext_lazy("Không tìm thấy xã này trên hệ thống."))
    # Inside a transaction the row may still roll back (a commune created and read in it):
    # only a committed commune is kept.
    if not connection.in_atomic_block:
        with _communes_lock:
            _communes[ward_code] = (now, copy.copy(commune))
    return commune


def forget_communes(**_signal_arguments: Any) -> None:
    """Clear the communes this process keeps (the receiver of a commune's or city's change,
    CoreConfig.ready)."""
    with _communes_lock:
        _communes.clear()


def commune_get_for_user(user: User | AnonymousUser, ward_code: int,
                         need: access.Need, message: str | Promise | None = None) -> Commune:
    """The active commune ``ward_code`` if ``user`` holds ``need`` there: ``NotFound`` when
    there is no such commune, ``Forbidden`` (with ``message``) when the user may not."""
    commune = commune_get(ward_code)
    access.check(user, need, commune, message)
    return commune
