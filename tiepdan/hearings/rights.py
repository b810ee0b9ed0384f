"""Who sees and who plans hearings: the one place the hearing pages, the dashboard and the
matter page ask.

Planning (the office, the Chairman) changes a hearing.  Everyone else who takes part in it
reads: the commune's leaders who decide on hearings and chair them (Chairman, Vice-Chairmen —
Luật Tiếp công dân Đ15 k3: the Chairman may charge a Vice-Chairman with a reception), and the
technical operator who runs the room.  What a reader may then do there (join the room as chair,
conclude) is decided by ``media.join_links`` and ``core.conclusion_rights``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from tiepdan.core.access import Perm, has_perm
from tiepdan.core.models import Commune

#: Any one of them opens the hearings list (read-only) and a hearing's page.
VIEW_PERMS = frozenset({Perm.PLAN_HEARING, Perm.DECIDE_HEARING, Perm.OPERATE_MEDIA})


def may_view(user: User | AnonymousUser, commune: Commune) -> bool:
    return any(has_perm(user, perm, commune) for perm in VIEW_PERMS)


def may_plan(user: User | AnonymousUser, commune: Commune) -> bool:
    """Create, change, confirm, move, cancel a hearing; record it as held."""
    return has_perm(user, Perm.PLAN_HEARING, commune)


def perms_view(perms: frozenset[Perm] | set[Perm]) -> bool:
    """``may_view`` for a user already known to hold ``perms`` in the commune."""
    return bool(VIEW_PERMS & set(perms))
