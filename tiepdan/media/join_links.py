"""Who is joining: a participant with their personal join link (the token is the hearing's:
``hearings.join_tokens``), or a signed-in staff member: the chair of the hearing, the commune's
technical operator, or a city observer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from tiepdan.core.access import Perm, has_perm
from tiepdan.core.names import full_name
from tiepdan.hearings.join_tokens import BadJoinToken, participant_from_token
from tiepdan.hearings.models import BridgePoint, Hearing


class Role:
    CHAIR = "chair"
    OPERATOR = "operator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


PUBLISHING_ROLES = frozenset({Role.CHAIR, Role.PARTICIPANT})
STAFF_ROLES = frozenset({Role.CHAIR, Role.OPERATOR, Role.OBSERVER})


class JoinRefused(Exception):
    """A link or login that may not enter this room; ``code`` goes to the browser."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Joiner:
    key: str  # one device per key
    role: str
    name: str
    hearing_id: int
    bridge_point_id: int | None
    bridge_point_name: str
    is_citizen: bool = False


def joiner_from_token(token: str, hearing_id: int | None = None) -> Joiner:
    """The participant a link lets in; raises JoinRefused for forged, expired or foreign links."""
    try:
        participant = participant_from_token(token, hearing_id)
    except BadJoinToken as exc:
        raise JoinRefused(exc.code, exc.message) from None
    point = participant.bridge_point
    return Joiner(key=f"p{participant.pk}", role=Role.PARTICIPANT, name=participant.full_name,
                  hearing_id=point.hearing_id, bridge_point_id=point.pk,
                  bridge_point_name=point.name, is_citizen=participant.is_citizen)


def joiner_for_staff(user: AbstractBaseUser | AnonymousUser, hearing: Hearing) -> Joiner:
    """The role of a signed-in (password + TOTP) staff member in this hearing's room."""
    if not (user and user.is_authenticated and user.is_active):
        raise JoinRefused("not_signed_in", _("Vui lòng đăng nhập."))
    central: BridgePoint | None = hearing.central_point
    if user.pk == hearing.chair_id:
        role = Role.CHAIR
    elif has_perm(user, Perm.OPERATE_MEDIA, hearing.commune):
        role = Role.OPERATOR
    elif has_perm(user, Perm.VIEW_REPORTS, hearing.commune):
        role = Role.OBSERVER
    else:
        raise JoinRefused("forbidden", _("Bạn không có quyền vào phòng tiếp này."))
    return Joiner(key=f"u{user.pk}", role=role, name=full_name(user),
                  hearing_id=hearing.pk,
                  bridge_point_id=central.pk if central and role == Role.CHAIR else None,
                  bridge_point_name=central.name if central and role == Role.CHAIR else "")
