"""Admission and the lobby (phòng chờ) of a hearing room: who may join, where a member goes
after the rules and the device check, what the operator checks before letting a bridge point in
(Điều 12 / issue 5 §2), and what a member not yet in the room may see of it.

The room's consumer calls these and sends what they return; a refusal is a :class:`LobbyError`
(answered to the member as a refused message).  Pure but for :func:`joiner` (the database).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from tiepdan.core import session_limits
from tiepdan.hearings.models import Hearing

from . import floor, room_state, window
from .join_links import Joiner, JoinRefused, Role, joiner_for_staff, joiner_from_token
from .live import LiveRoom, Member, Stage

#: The longest join token a hello may carry (a signed link is far shorter).
MAX_TOKEN_LENGTH = 1000


class LobbyError(Exception):
    """``code`` is one of: bad_message, out_of_order, identity_not_checked."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# -- Joining ------------------------------------------------------------------------------------


def joiner(hearing_id: int, token: Any, user: Any, session: SessionBase | None) -> Joiner:
    """Who says hello: the holder of a personal join link (``token``), or a staff member signed
    in with password and TOTP whose session is within its limits.  Raises JoinRefused (the
    room is closed: before the final check or after the end; a bad link; not signed in)."""
    hearing = Hearing.objects.select_related("commune").filter(pk=hearing_id).first()
    if hearing is None:
        raise JoinRefused("not_found", _("Không có buổi tiếp này."))
    closed = window.refusal(hearing)
    if closed is not None:  # before the final check, or after the end: not recorded
        raise closed
    if token is not None:
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            raise JoinRefused("bad_link", _("Đường dẫn vào phòng không hợp lệ."))
        return joiner_from_token(token, hearing_id)
    # Staff pages need password + TOTP: so does the room; and a session past its limits (idle,
    # absolute, devices changed) ends here too.
    if (session is None or not session.get(DEVICE_ID_SESSION_KEY) or user is None
            or not user.is_authenticated or session_limits.expired(session, user)):
        raise JoinRefused("not_signed_in", _("Vui lòng đăng nhập (kèm mã xác thực)."))
    return joiner_for_staff(user, hearing)


def opens_session(joiner: Joiner) -> bool:
    """The chair's joining opens the session: the recording starts (and is never stopped)."""
    return joiner.role == Role.CHAIR


def member_for(joiner: Joiner, channel_name: str) -> Member:
    """The room's member for an accepted hello, served by this process."""
    return Member(key=joiner.key, role=joiner.role, name=joiner.name,
                  channel_name=channel_name, bridge_point_id=joiner.bridge_point_id,
                  bridge_point_name=joiner.bridge_point_name, is_citizen=joiner.is_citizen,
                  process_id=room_state.PROCESS_ID)


def enter(room: LiveRoom, member: Member) -> Member | None:
    """``member`` takes its place in ``room`` (under the room's lease).  Returns the member it
    replaces: its device was served by a process that died (its seat was taken over) before
    any keeper dropped it.  A member back within the grace period finds its floor state."""
    lost = room.members.get(member.key)
    room.members[member.key] = member
    floor.rejoin(room, member)
    return lost


def leave(room: LiveRoom, key: str, channel_name: str) -> Member | None:
    """The connection ``channel_name`` of ``key`` leaves ``room`` (under the room's lease); its
    raised hand and floor are kept for the grace period.  Returns the member removed, or None
    when the room no longer has this connection (another device or process took the key)."""
    held = room.members.get(key)
    if held is None or held.channel_name != channel_name:
        return None
    del room.members[key]
    floor.forget(room, held)
    return held


# -- Stages -------------------------------------------------------------------------------------


def stage_after_rules(room: LiveRoom, member: Member) -> str:
    return Stage.DEVICE_CHECK


def stage_after_device_check(room: LiveRoom, member: Member) -> str:
    """Staff enter directly; a bridge point waits in the lobby for the operator, unless the
    operator has admitted it before (it reconnected)."""
    waits = member.role == Role.PARTICIPANT and member.key not in room.admitted
    return Stage.LOBBY if waits else Stage.ROOM


# -- The operator's checks ----------------------------------------------------------------------


def participant(room: LiveRoom, key: str) -> Member:
    member = room.members.get(key)
    if member is None:
        raise LobbyError("bad_message", _("Không có người tham gia này."))
    return member


def check_identity(room: LiveRoom, key: str) -> Member:
    """The operator has checked the identity of the citizen at ``key``."""
    member = participant(room, key)
    member.identity_checked = True
    return member


def admit(room: LiveRoom, key: str) -> Member:
    """The operator lets the bridge point at ``key`` in from the lobby; a citizen only once
    their identity was checked.  Admitted once, it skips the lobby when it reconnects."""
    member = participant(room, key)
    if member.stage != Stage.LOBBY:
        raise LobbyError("out_of_order", _("Điểm cầu này không ở phòng chờ."))
    if member.is_citizen and not member.identity_checked:
        raise LobbyError("identity_not_checked",
                         _("Cần kiểm tra danh tính công dân trước khi cho vào."))
    member.stage = Stage.ROOM
    room.admitted.add(member.key)
    return member


# -- What a member may see ----------------------------------------------------------------------


def check_watchable(room: LiveRoom, viewer: Member, feed: int) -> None:
    """A member watches only the feed of another member who is in the room (never one waiting
    in the lobby, never its own)."""
    if feed == viewer.feed_id or not any(
            m.feed_id == feed and m.stage == Stage.ROOM for m in room.members.values()):
        raise LobbyError("bad_message", _("Không có nguồn hình này."))


def visible_state(snapshot: dict[str, Any], viewer_key: str, viewer_stage: str
                  ) -> dict[str, Any]:
    """What a member may see of the room: a member not yet in the room (rules, device check,
    lobby; identity not yet checked) sees only itself, not who else is there, their names or
    who is a citizen."""
    if viewer_stage == Stage.ROOM:
        return snapshot
    return {"participants": [p for p in snapshot["participants"] if p["key"] == viewer_key],
            "queue": [], "floor": None, "floor_until": None}
