"""The media part of a hearing's staff page (``hearings:detail``, registered with
``hearings.page_context``): the room's state, the readiness table of the bridge points, and
whether this user may open the room or test the central point."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from tiepdan.hearings.models import Hearing

from . import readiness
from .join_links import JoinRefused, joiner_for_staff
from .models import HearingRoom


def detail_context(user: AbstractBaseUser | AnonymousUser, hearing: Hearing) -> dict[str, Any]:
    rows = readiness.readiness_rows(hearing, links=True)
    return {
        "room": HearingRoom.objects.filter(hearing=hearing).first(),
        "can_join_room": _may(joiner_for_staff, user, hearing),
        "readiness_rows": rows,
        "can_test_central": _may(readiness.tester_for_staff, user, hearing),
        "not_ready": [row.point.name for row in rows if not row.ready],
    }


def _may(check: Any, user: AbstractBaseUser | AnonymousUser, hearing: Hearing) -> bool:
    try:
        check(user, hearing)
    except JoinRefused:
        return False
    return True
