"""Reminders, polled by a periodic job: milestone owners before a milestone is due, participants
3 days and 1 day before the hearing.  Each reminder is claimed with compare-and-swap against the
date it is for, so it goes out once, and never for a date that has since changed."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.notify import sms_templates
from tiepdan.notify.services import queue_email, queue_template_sms
from tiepdan.workdays.deadlines import VN_TZ

from . import milestones
from .invitations import invitation_short_url, invitation_url, sms_when
from .models import Hearing, HearingStatus, Milestone, MilestoneStatus, Participant

MILESTONE_LEAD = dt.timedelta(days=1)
ACTIVE = [HearingStatus.DRAFT, HearingStatus.CONFIRMED]


def _owners_emails(milestone: Milestone) -> list[str]:
    return sorted(set(get_user_model().objects.filter(
        staff_roles__commune=milestone.hearing.commune, staff_roles__role=milestone.owner_role,
        is_active=True).exclude(email="").values_list("email", flat=True)))


def remind_milestones(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    due = Milestone.objects.filter(
        status=MilestoneStatus.OPEN, hearing__status__in=ACTIVE,
        due_at__lte=now + MILESTONE_LEAD).select_related("hearing__commune")
    for row in due:
        with transaction.atomic():
            claimed = Milestone.objects.filter(pk=row.pk, status=MilestoneStatus.OPEN,
                                               due_at=row.due_at).exclude(
                reminded_for=row.due_at).update(reminded_for=row.due_at)
            if not claimed:
                continue
            when = row.due_at.astimezone(VN_TZ)
            state = _("ĐÃ QUÁ HẠN") if row.due_at < now else _("sắp đến hạn")
            text = _("%(label)s — %(state)s: hạn %(when)s.\nBuổi tiếp: %(hearing)s\n"
                     "Cách tính: %(why)s") % {
                "label": milestones.label(row.key), "state": state,
                "when": when.strftime("%H:%M %d/%m/%Y") if row.has_time
                else when.strftime("%d/%m/%Y"),
                "hearing": row.hearing, "why": row.explanation}
            for email in _owners_emails(row):
                queue_email(commune=row.hearing.commune, to=email,
                            subject=_("[Tiếp Dân] Nhắc việc: %(label)s") % {
                                "label": milestones.label(row.key)},
                            text=text, purpose="hearings.milestone_reminder", obj=row)
                sent += 1
    return sent


#: Which reminders go by SMS as well as e-mail: only the day before (a text costs money; three
#: days before, the e-mail is enough).
REMINDERS = (("reminded_3d_for", dt.timedelta(days=3), False),
             ("reminded_1d_for", dt.timedelta(days=1), True))


def remind_participants(now: dt.datetime | None = None) -> int:
    """Remind each invited participant 3 days (e-mail) and 1 day (e-mail and SMS) before the
    hearing; how many people were reminded.  Each reminder is claimed by compare-and-swap on
    the start it is for: a second run, or a run for an old start, sends nothing."""
    now = now or timezone.now()
    sent = 0
    for field, lead, by_sms in REMINDERS:
        hearings = Hearing.objects.filter(status=HearingStatus.CONFIRMED, starts_at__gt=now,
                                          starts_at__lte=now + lead).select_related("commune")
        for hearing in hearings:
            people = Participant.objects.filter(
                bridge_point__hearing=hearing, invited_at__isnull=False).exclude(
                **{field: hearing.starts_at}).select_related("bridge_point")
            people = people.exclude(email="", phone="") if by_sms else people.exclude(email="")
            for person in people:
                with transaction.atomic():
                    claimed = Participant.objects.filter(pk=person.pk).exclude(
                        **{field: hearing.starts_at}).update(**{field: hearing.starts_at})
                    if not claimed:
                        continue
                    if person.email:
                        _email_reminder(hearing, person)
                    if by_sms and person.phone:
                        queue_template_sms(
                            sms_templates.REMINDER, commune=hearing.commune, to=person.phone,
                            link=invitation_short_url(person), obj=person,
                            when=sms_when(hearing))
                    sent += 1
    return sent


def _email_reminder(hearing: Hearing, person: Participant) -> None:
    local = hearing.starts_at.astimezone(VN_TZ)
    queue_email(
        commune=hearing.commune, to=person.email,
        subject=_("Nhắc lịch buổi tiếp công dân %(when)s") % {
            "when": local.strftime("%H:%M %d/%m/%Y")},
        text=_("Kính nhắc %(name)s: buổi tiếp công dân “%(title)s” bắt đầu lúc "
               "%(when)s tại điểm cầu %(point)s.\nXác nhận tham dự: %(url)s") % {
            "name": person.full_name, "title": hearing.title,
            "when": local.strftime("%H:%M %d/%m/%Y"),
            "point": person.bridge_point.name, "url": invitation_url(person)},
        purpose="hearings.participant_reminder", obj=person)
