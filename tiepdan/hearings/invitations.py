"""Invitations: each participant gets a personal, signed, expiring link to confirm attendance or
name a substitute; changes are announced to everyone invited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import audit, short_links
from tiepdan.core.errors import DomainError, NotFound
from tiepdan.core.names import full_name
from tiepdan.core.public_urls import absolute_reverse
from tiepdan.notify import sms_templates
from tiepdan.notify.services import queue_email, queue_template_sms
from tiepdan.workdays.deadlines import VN_TZ

from .errors import field_error
from .join_tokens import readiness_url, room_url
from .models import Attendance, Hearing, HearingStatus, Participant

SALT = "tiepdan.hearings.invitation"


def invitation_token(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk, "v": participant.bridge_point.hearing_id},
                         salt=SALT, compress=True)


def invitation_url(participant: Participant) -> str:
    return absolute_reverse("hearings:invitation", args=[invitation_token(participant)])


#: The short-link kind of an invitation page (``tiepdan.core.short_links``): "m" for mời.
SHORT_LINK_KIND = "m"


def invitation_short_url(participant: Participant) -> str:
    """The short personal link to the participant's invitation page, for SMS."""
    return short_links.short_url(SHORT_LINK_KIND, participant.pk)


def invitation_path_of(pk: int) -> str | None:
    """What an invitation short link opens: the invitation page of participant ``pk`` (built
    fresh, so it expires with the hearing like any invitation link), if they still exist."""
    participant = Participant.objects.filter(pk=pk).select_related("bridge_point").first()
    if participant is None:
        return None
    return reverse("hearings:invitation", args=[invitation_token(participant)])


def participant_from_token(token: str) -> Participant:
    """The participant of a valid link; expired once the hearing is over (or cancelled)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=120))
    except signing.BadSignature:
        raise NotFound(_("Đường dẫn mời không hợp lệ hoặc đã hết hạn.")) from None
    participant = (Participant.objects.select_related("bridge_point__hearing__commune")
                   .filter(pk=data.get("p"), bridge_point__hearing_id=data.get("v")).first())
    if participant is None:
        raise NotFound(_("Đường dẫn mời không hợp lệ hoặc đã hết hạn."))
    hearing = participant.bridge_point.hearing
    if hearing.ends_at < timezone.now():
        raise NotFound(_("Buổi tiếp đã kết thúc; đường dẫn mời đã hết hạn."))
    return participant


def _when(hearing: Hearing) -> str:
    local = hearing.starts_at.astimezone(VN_TZ)
    return _("%(hour)s giờ %(minute)s, ngày %(date)s") % {
        "hour": f"{local:%H}", "minute": f"{local:%M}", "date": f"{local:%d/%m/%Y}"}


def sms_when(hearing: Hearing) -> str:
    """The start of ``hearing`` as an SMS gives it: "08:00 15/12/2026"."""
    return hearing.starts_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def _invitation_text(participant: Participant) -> str:
    hearing = participant.bridge_point.hearing
    point = participant.bridge_point
    return _(
        "%(committee)s trân trọng kính mời %(name)s tham dự buổi tiếp công dân trực tuyến.\n"
        "Nội dung: %(title)s\nThời gian: %(when)s\nĐiểm cầu: %(point)s — %(address)s\n"
        "Chủ trì: %(chair)s\n\nVui lòng xác nhận tham dự hoặc cử người thay tại: %(url)s\n"
        "Đường dẫn vào phòng tiếp trực tuyến (dùng riêng cho bạn, không chuyển cho người "
        "khác): %(room)s\n"
        "Trước buổi tiếp, vui lòng kiểm tra camera, micro, loa và đường truyền tại: %(test)s\n"
    ) % {"committee": hearing.commune.committee_name, "name": participant.full_name,
         "title": hearing.title, "when": _when(hearing), "point": point.name,
         "address": point.address, "chair": full_name(hearing.chair),
         "url": invitation_url(participant), "room": room_url(participant),
         "test": readiness_url(participant)}


def send_invitations(hearing: Hearing, *, actor: AbstractBaseUser,
                     only: list[int] | None = None, preface: str = "") -> int:
    """Queue an invitation to every participant (or those in ``only``) by e-mail and/or SMS;
    delivered after commit.  ``preface`` (a change of time) goes before the text."""
    count = 0
    now = timezone.now()
    people = Participant.objects.filter(bridge_point__hearing=hearing).select_related(
        "bridge_point__hearing__commune", "bridge_point__hearing__chair")
    if only is not None:
        people = people.filter(pk__in=only)
    for participant in people:
        text = (preface + "\n\n" if preface else "") + _invitation_text(participant)
        purpose = "hearings.change" if preface else "hearings.invitation"
        if participant.email:
            subject = (_("Thay đổi lịch — giấy mời dự buổi tiếp công dân trực tuyến %(when)s")
                       if preface else
                       _("Giấy mời dự buổi tiếp công dân trực tuyến %(when)s"))
            queue_email(commune=hearing.commune, to=participant.email,
                        subject=subject % {"when": _when(hearing)},
                        text=text, purpose=purpose, obj=participant)
        if participant.phone:
            template = (sms_templates.RESCHEDULED if preface else sms_templates.INVITATION)
            queue_template_sms(template, commune=hearing.commune, to=participant.phone,
                               link=invitation_short_url(participant), obj=participant,
                               when=sms_when(hearing))
        participant.invited_at = now
        participant.save(update_fields=["invited_at"])
        count += 1
    return count


def announce_change(hearing: Hearing, *, actor: AbstractBaseUser, reason: str,
                    previous_start: dt.datetime, cancelled: bool = False) -> int:
    """Tell every participant that the hearing moved (a new invitation: new time, new links
    to answer and into the room, the new Giấy mời) or was cancelled — through the channels of
    the invitation (e-mail, SMS), after commit.  Returns how many people were told."""
    people = Participant.objects.filter(bridge_point__hearing=hearing).select_related(
        "bridge_point__hearing__commune")
    old = previous_start.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
    if not cancelled:
        preface = _("THAY ĐỔI LỊCH: buổi tiếp công dân “%(title)s” được dời từ %(old)s sang "
                    "%(new)s. Lý do: %(reason)s. Giấy mời trước đây không còn giá trị.") % {
            "title": hearing.title, "old": old, "new": _when(hearing), "reason": reason}
        people.update(attendance=Attendance.PENDING, responded_at=None)
        return send_invitations(hearing, actor=actor, preface=preface)
    text = _("Buổi tiếp công dân “%(title)s” dự kiến lúc %(old)s đã bị HỦY. Lý do: %(reason)s")
    count = 0
    for participant in people:
        body = text % {"title": hearing.title, "old": old, "reason": reason}
        if participant.email:
            queue_email(commune=hearing.commune, to=participant.email,
                        subject=_("Hủy buổi tiếp công dân %(when)s") % {"when": old},
                        text=body, purpose="hearings.change", obj=participant)
        if participant.phone:
            queue_template_sms(sms_templates.CANCELLED, commune=hearing.commune,
                               to=participant.phone, link=invitation_short_url(participant),
                               obj=participant, when=old, reason=reason)
        if participant.email or participant.phone:
            count += 1
    return count


@transaction.atomic
def respond(participant: Participant, *, attendance: str, substitute_name: str = "",
            substitute_position: str = "") -> Participant:
    participant = Participant.objects.select_for_update().select_related(
        "bridge_point__hearing").get(pk=participant.pk)
    hearing = participant.bridge_point.hearing
    if hearing.status == HearingStatus.CANCELLED:
        raise DomainError(_("Buổi tiếp đã bị hủy."), code="cancelled")
    if attendance not in (Attendance.CONFIRMED, Attendance.DECLINED, Attendance.SUBSTITUTED):
        raise field_error("attendance", _("Chọn xác nhận tham dự, không tham dự hoặc cử người "
                                          "thay."))
    if attendance == Attendance.SUBSTITUTED and not substitute_name.strip():
        raise field_error("substitute_name", _("Nhập họ tên người được cử thay."), "required")
    participant.attendance = attendance
    participant.substitute_name = substitute_name.strip() if attendance == "substituted" else ""
    participant.substitute_position = (substitute_position.strip()
                                       if attendance == "substituted" else "")
    participant.responded_at = timezone.now()
    participant.save()
    audit.record("hearings.invitation.answered", participant, actor=None, commune=hearing.commune,
                 data={"name": participant.full_name,
                       "attendance": participant.get_attendance_display()})
    return participant
