"""Who may act on *this* hearing: the rules that depend on the hearing as well as the role,
built on ``core.access`` (the matrix).  What a role may do in a commune is asked of
``core.access`` directly; this is the one module of the hearings app for the rest."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from tiepdan.core import access
from tiepdan.core.access import Perm

from .models import Hearing, Milestone

UserOrAnonymous = User | AnonymousUser

#: Milestones of the room's preparation, which the technical operator marks done too.
TECHNICAL_MILESTONES = frozenset({"connection_test", "final_check", "all_connected"})


def may_end(user: UserOrAnonymous, hearing: Hearing) -> bool:
    """The chair ends the hearing (from the room); the office may record it afterwards."""
    return (user.pk is not None and user.pk == hearing.chair_id) or access.has_perm(
        user, Perm.PLAN_HEARING, hearing.commune)


def may_complete(user: UserOrAnonymous, milestone: Milestone) -> bool:
    """Office milestones are marked by the office; technical ones by the operator too."""
    need = (frozenset({Perm.PLAN_HEARING, Perm.OPERATE_MEDIA})
            if milestone.key in TECHNICAL_MILESTONES else Perm.PLAN_HEARING)
    return access.has_perm(user, need, milestone.hearing.commune)
