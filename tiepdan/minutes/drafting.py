"""What the minutes say that the system already knows: time and place, the chair, who attended
at each bridge point (invited and confirmed, and who actually joined the room), the matters
heard and the floor timeline with its offsets into the recording."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiepdan.core.names import full_name
from tiepdan.documents.dates import short_date, time_text
from tiepdan.hearings.models import Attendance, Hearing, Participant
from tiepdan.hearings.paperwork import signer_for
from tiepdan.intake.models import MatterStatus
from tiepdan.media.models import HearingRoom, RoomEvent
from tiepdan.media.playback import recording_link as link

#: Room events that make the floor timeline of the minutes.
TIMELINE_KINDS = ("join", "leave", "hand_raise", "grant", "revoke", "alert")
#: Agenda matters that were heard (a later conclusion or closure keeps them heard).
HEARD_STATUSES = (MatterStatus.HEARD, MatterStatus.CONCLUDED, MatterStatus.CLOSED)


def clock(offset_seconds: float) -> str:
    """"01:02:05": an offset into the recording."""
    total = max(0, int(offset_seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def recording_link(hearing: Hearing, offset_seconds: float) -> str:
    """The hearing's recordings page, its combined file at ``offset_seconds``."""
    return link(hearing.pk, offset_seconds)


def draft_content(hearing: Hearing) -> dict[str, Any]:
    """The data-derived fields of ``Minutes`` for ``hearing`` (always in Vietnamese)."""
    with translation.override("vi"):
        signer = signer_for(hearing)
        events = _events(hearing)
        return {
            "opening": _opening(hearing),
            "chair": f"{signer.name}, {signer.position} {hearing.commune.committee_name}",
            "attendance": _attendance(hearing, events),
            "matters": [
                {"matter_id": item.matter_id, "code": item.matter.tracking_code,
                 "kind": str(item.matter.get_kind_display()), "summary": item.matter.summary}
                for item in hearing.agenda.select_related("matter")
                if item.matter.status in HEARD_STATUSES],
            "timeline": _timeline(hearing, events),
        }


def _events(hearing: Hearing) -> list[Any]:
    return list(RoomEvent.objects.filter(room__hearing=hearing).select_related("bridge_point"))


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def _opening(hearing: Hearing) -> str:
    # The actual start and end recorded when the hearing was held (hearings.held).
    start = _local(hearing.actual_started_at or hearing.starts_at)
    end = _local(hearing.held_at or hearing.ends_at)
    lines = [_("Thời gian: bắt đầu lúc %(start)s ngày %(date)s, kết thúc lúc %(end)s ngày "
               "%(end_date)s.") % {"start": time_text(start), "date": short_date(start.date()),
                                    "end": time_text(end), "end_date": short_date(end.date())}]
    room = _room(hearing)
    if room is not None:
        lines.append(_("Ghi âm, ghi hình từ %(time)s.") % {
            "time": time_text(_local(room.started_at))})
    central = hearing.central_point
    if central is not None:
        lines.append(_("Địa điểm: điểm cầu trung tâm %(name)s, %(address)s.") % {
            "name": central.name, "address": central.address})
    others = [p.name for p in hearing.bridge_points.all() if not p.is_central]
    if others:
        lines.append(_("Các điểm cầu thành phần: %(points)s.") % {"points": "; ".join(others)})
    return "\n".join(lines)


def _room(hearing: Hearing) -> Any:
    return HearingRoom.objects.filter(hearing=hearing).first()


def _person(participant: Participant) -> dict[str, Any]:
    substituted = participant.attendance == Attendance.SUBSTITUTED and participant.substitute_name
    name = participant.substitute_name if substituted else participant.full_name
    position = participant.substitute_position if substituted else participant.position
    return {
        "participant_id": participant.pk, "name": name, "position": position,
        "organisation": participant.organisation, "is_citizen": participant.is_citizen,
        "attendance": participant.attendance,
        "attendance_label": str(participant.get_attendance_display()),
        "substitutes_for": participant.full_name if substituted else "",
    }


def _attendance(hearing: Hearing, events: list[Any]) -> list[dict[str, Any]]:
    joined: dict[int | None, list[str]] = {}
    for event in events:
        if event.kind == "join" and event.actor:
            names = joined.setdefault(event.bridge_point_id, [])
            if event.actor not in names:
                names.append(event.actor)
    points = []
    for point in hearing.bridge_points.prefetch_related("participants"):
        here = joined.get(point.pk, [])
        people = []
        for participant in point.participants.all():
            person = _person(participant)
            person["joined"] = person["name"] in here or participant.full_name in here
            if participant.attendance in (Attendance.CONFIRMED, Attendance.SUBSTITUTED) or \
                    person["joined"]:
                people.append(person)
        known = {p["name"] for p in people} | {p.full_name for p in point.participants.all()}
        points.append({
            "point_id": point.pk, "name": point.name, "is_central": point.is_central,
            "address": point.address, "participants": people,
            "others_joined": [name for name in here if name not in known],
        })
    return points


def _participant_names(hearing: Hearing) -> dict[str, str]:
    """Room keys ("p<participant id>", "u<user id>") to names, for floor events."""
    names = {f"p{p.pk}": p.full_name
             for p in Participant.objects.filter(bridge_point__hearing=hearing)}
    users = get_user_model().objects.filter(pk=hearing.chair_id)
    names.update({f"u{u.pk}": full_name(u) for u in users})
    return names


def _subject(event: Any, names: dict[str, str]) -> str:
    key = (event.detail or {}).get("participant")
    if key:
        return names.get(key) or _user_name(key) or key
    return event.actor


def _user_name(key: str) -> str:
    if not key.startswith("u") or not key[1:].isdigit():
        return ""
    user = get_user_model().objects.filter(pk=int(key[1:])).first()
    return full_name(user) if user else ""


def _event_text(event: Any, names: dict[str, str], holder: str) -> str:
    point = f" ({event.bridge_point.name})" if event.bridge_point else ""
    detail = event.detail or {}
    if event.kind == "join":
        return _("%(name)s vào phòng%(point)s") % {"name": event.actor, "point": point}
    if event.kind == "leave":
        return _("%(name)s rời phòng%(point)s") % {"name": event.actor, "point": point}
    if event.kind == "hand_raise":
        return _("%(name)s xin phát biểu%(point)s") % {"name": event.actor, "point": point}
    if event.kind == "grant":
        text = _("%(chair)s cho %(name)s%(point)s phát biểu") % {
            "chair": event.actor, "name": _subject(event, names), "point": point}
        if detail.get("seconds"):
            text += _(" (%(seconds)s giây)") % {"seconds": detail["seconds"]}
        return text
    if event.kind == "revoke":
        # A revoke ends the current floor: its event names the speaker only when revoked by
        # hand, so the last grant tells who it was.
        name = names.get(detail.get("participant") or "") or holder or _("người phát biểu")
        if detail.get("reason") == "time_up":
            return _("Hết thời gian phát biểu của %(name)s") % {"name": name}
        return _("%(chair)s kết thúc lượt phát biểu của %(name)s") % {
            "chair": event.actor, "name": name}
    reason = detail.get("reason") or detail.get("message") or ""
    return _("Cảnh báo kỹ thuật%(point)s%(reason)s") % {
        "point": point, "reason": f": {reason}" if reason else ""}


def _timeline(hearing: Hearing, events: list[Any]) -> list[dict[str, Any]]:
    names = _participant_names(hearing)
    rows, holder = [], ""
    for event in events:
        if event.kind not in TIMELINE_KINDS:
            continue
        rows.append({"offset": round(event.offset_seconds, 1),
                     "clock": clock(event.offset_seconds), "kind": event.kind,
                     "text": _event_text(event, names, holder)})
        if event.kind == "grant":
            holder = _subject(event, names)
        elif event.kind == "revoke":
            holder = ""
    return rows
