"""Creating, preparing, confirming, rescheduling and cancelling hearings.

Each function runs in one transaction, writes an audit entry with an explicit actor, and sends
messages only after commit (through notify's delivery records).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import phonenumbers
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import access, audit
from tiepdan.core.access import Perm, communes_with_perm, has_perm
from tiepdan.core.errors import Forbidden
from tiepdan.core.models import Commune
from tiepdan.core.names import full_name
from tiepdan.documents.services import discarding_on_rollback
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.intake.triage import state_machine as triage
from tiepdan.workdays.deadlines import VN_TZ
from tiepdan.workdays.services import current_calendar

from . import history, lateness, milestones, paperwork, people
from .errors import HearingStateError, field_error
from .invitations import send_invitations
from .models import (
    BridgePoint,
    ChangeKind,
    Hearing,
    HearingDocumentPurpose,
    HearingMatter,
    HearingStatus,
    MilestoneStatus,
    Participant,
    PointKind,
    ReceptionKind,
    SelectionStatus,
)
from .selectors import DENIED

MIN_MINUTES, MAX_MINUTES = 15, 8 * 60
ACTIVE = (HearingStatus.DRAFT, HearingStatus.CONFIRMED)


def _check_time(commune: Commune, starts_at: dt.datetime, minutes: int, chair: User,
                exclude_pk: int | None = None) -> dt.datetime:
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=VN_TZ)
    if starts_at <= timezone.now():
        raise field_error("starts_at", _("Không thể đặt lịch tiếp vào thời điểm đã qua."), "past")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise field_error("duration_minutes", _("Thời lượng buổi tiếp từ 15 phút đến 8 giờ."))
    day = starts_at.astimezone(VN_TZ).date()
    calendar = current_calendar()
    if not calendar.is_working_day(day):
        name = calendar.holiday_name(day) or _("ngày nghỉ cuối tuần")
        raise field_error("starts_at", _("Ngày %(day)s là ngày nghỉ (%(name)s).") % {
            "day": day.strftime("%d/%m/%Y"), "name": name}, "holiday")
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    overlapping = Hearing.objects.filter(
        status__in=ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.filter(commune=commune).exists():
        raise field_error("starts_at", _("Trùng giờ với một buổi tiếp khác tại trụ sở xã."),
                          "overlap_hall")
    if overlapping.filter(chair=chair).exists():
        raise field_error("chair", _("Người chủ trì đã có buổi tiếp khác trong khung giờ này."),
                          "overlap_chair")
    return starts_at


def _check_chair(commune: Commune, chair: User) -> None:
    # The chair is the Chairman or a Vice-Chairman of the commune (Luật Tiếp công dân Đ15 k3):
    # exactly who decides on hearings there.
    if not access.has_perm(chair, Perm.DECIDE_HEARING, commune):
        raise field_error("chair", _("Người chủ trì phải là Chủ tịch hoặc Phó Chủ tịch UBND xã."))


def _approved_matters(commune: Commune, matters: Sequence[Matter]) -> list[Matter]:
    for matter in matters:
        if matter.commune_id != commune.pk:
            raise field_error("matters", _("Vụ việc không thuộc xã này."))
        if not matter.online_selections.filter(status=SelectionStatus.APPROVED).exists():
            raise field_error("matters", _("Vụ việc %(code)s chưa được Chủ tịch đồng ý tiếp "
                                           "trực tuyến.") % {"code": matter.tracking_code},
                              "not_approved")
    return list(matters)


@transaction.atomic
def create_hearing(
    commune: Commune, *, starts_at: dt.datetime, duration_minutes: int,
    chair: User, title: str, actor: User,
    kind: str = ReceptionKind.PERIODIC, city_leaders_attend: bool = False,
    matters: Sequence[Matter] = (), late_reason: str = "",
) -> Hearing:
    """Lập lịch: a time whose notice periods are already past needs the Chairman's decision
    with a reason (``late_reason``; lateness.check), recorded in the hearing's history."""
    access.check(actor, Perm.PLAN_HEARING, commune,
                 _("Bạn không có quyền lập lịch tiếp công dân của xã này."))
    if not title.strip():
        raise field_error("title", _("Nhập nội dung buổi tiếp."), "required")
    _check_chair(commune, chair)
    starts_at = _check_time(commune, starts_at, duration_minutes, chair)
    late_periods, late_reason = lateness.check(commune, actor, starts_at, city_leaders_attend,
                                               late_reason)
    hearing = Hearing.objects.create(
        commune=commune, kind=kind, starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes), chair=chair,
        title=title.strip(), city_leaders_attend=city_leaders_attend, created_by=actor)
    for position, matter in enumerate(_approved_matters(commune, matters), start=1):
        HearingMatter.objects.create(hearing=hearing, matter=matter, position=position)
    milestones.sync(hearing)
    history.record(hearing, ChangeKind.CREATED, actor=actor, reason=late_reason,
                   late_periods=late_periods)
    audit.record("hearings.hearing.created", hearing, actor=actor, commune=commune,
                 data={"hearing": str(hearing)}, reason=late_reason)
    people.add_matter_people(hearing, actor=actor)
    return hearing


def _normalise_phone(raw: str, field: str) -> str:
    try:
        parsed = phonenumbers.parse(raw or "", "VN")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise field_error(field, _("Số điện thoại không hợp lệ."), "invalid_phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _picked_staff(commune: Commune, user: User | None, field: str
                  ) -> User | None:
    if user is not None and not people.staff_users(commune).filter(pk=user.pk).exists():
        raise field_error(field, _("Chọn cán bộ trong danh sách cán bộ của xã, thành phố."),
                          "not_staff")
    return user


@transaction.atomic
def add_bridge_point(
    hearing: Hearing, *, actor: User, kind: str, name: str, address: str,
    responsible_user: User | None = None,
    technical_contact: User | None = None, responsible_person: str = "",
    technical_contact_name: str = "", technical_contact_phone: str = "",
    technical_contact_email: str = "", is_central: bool = False,
) -> BridgePoint:
    """Thêm điểm cầu.  The person in charge and the technical contact are staff picked from
    the commune's and city's list (their name as written, e-mail and phone come with them;
    a phone typed here wins); plain names remain for the API of older clients."""
    hearing = Hearing.objects.select_for_update().select_related("commune").get(pk=hearing.pk)
    access.check(actor, Perm.PLAN_HEARING, hearing.commune, DENIED)
    _require_active(hearing)
    if kind not in PointKind.values:
        raise field_error("kind", _("Loại điểm cầu không hợp lệ."))
    responsible_user = _picked_staff(hearing.commune, responsible_user, "responsible_user")
    technical_contact = _picked_staff(hearing.commune, technical_contact, "technical_contact")
    if responsible_user is not None:
        responsible_person = full_name(responsible_user)
    if technical_contact is not None:
        profile = getattr(technical_contact, "staff_profile", None)
        technical_contact_name = full_name(technical_contact)
        technical_contact_phone = (technical_contact_phone or "").strip() or (
            profile.phone if profile else "")
        technical_contact_email = (technical_contact_email or "").strip() or \
            technical_contact.email
    for field, value in (("name", name), ("address", address),
                         ("responsible_user", responsible_person),
                         ("technical_contact", technical_contact_name)):
        if not (value or "").strip():
            raise field_error(field, _("Vui lòng điền thông tin này."), "required")
    if not (technical_contact_phone or "").strip():
        raise field_error("technical_contact_phone", _("Cán bộ kỹ thuật chưa có số điện thoại "
                                                       "trong hồ sơ cán bộ; nhập số điện "
                                                       "thoại."), "required")
    phone = _normalise_phone(technical_contact_phone, "technical_contact_phone")
    try:
        with transaction.atomic():
            point = BridgePoint.objects.create(
                hearing=hearing, kind=kind, is_central=is_central, name=name.strip(),
                address=address.strip(), responsible_person=responsible_person.strip(),
                technical_contact_name=technical_contact_name.strip(),
                technical_contact_phone=phone,
                technical_contact_email=(technical_contact_email or "").strip(),
                responsible_user=responsible_user, technical_contact=technical_contact)
    except IntegrityError:
        raise field_error("is_central", _("Buổi tiếp đã có điểm cầu trung tâm."),
                          "second_central") from None
    audit.record("hearings.bridge_point.added", hearing, actor=actor, commune=hearing.commune,
                 data={"point": point.name})
    people.add_matter_people(hearing, actor=actor)
    return point


@transaction.atomic
def add_participant(
    point: BridgePoint, *, actor: User, full_name: str = "", position: str = "",
    organisation: str = "", email: str = "", phone: str = "", is_citizen: bool = False,
    matter: Matter | None = None, person: str = "",
) -> Participant:
    """Thêm thành phần: a person picked from the lists (``person``, a key of
    ``people.picker_choices``: staff, or the people of an agenda matter, with their details;
    what is typed beside it wins) or an outside guest typed in full."""
    hearing = Hearing.objects.select_for_update().select_related("commune").get(
        pk=point.hearing_id)
    access.check(actor, Perm.PLAN_HEARING, hearing.commune, DENIED)
    _require_active(hearing)
    user, source_key = None, ""
    if person:
        picked = people.person_for_key(hearing, person)
        if picked is None:
            raise field_error("person", _("Người được chọn không có trong danh sách của buổi "
                                          "tiếp."), "unknown_person")
        if people.already_added(hearing, picked.key):
            raise field_error("person", _("%(name)s đã có trong thành phần buổi tiếp.") % {
                "name": picked.full_name}, "already_added")
        full_name = full_name.strip() or picked.full_name
        position = position.strip() or picked.position
        organisation = organisation.strip() or picked.organisation
        email, phone = email.strip() or picked.email, phone.strip() or picked.phone
        is_citizen, matter = is_citizen or picked.is_citizen, matter or picked.matter
        user, source_key = picked.user, picked.key
    if not full_name.strip():
        raise field_error("full_name", _("Chọn người trong danh sách hoặc nhập họ tên khách "
                                         "mời."), "required")
    participant = Participant.objects.create(
        bridge_point=point, full_name=full_name.strip(), position=position.strip(),
        organisation=organisation.strip(), email=email.strip(),
        phone=_normalise_phone(phone, "phone") if phone else "", is_citizen=is_citizen,
        matter=matter, user=user, source_key=source_key)
    audit.record("hearings.participant.added", point.hearing, actor=actor,
                 commune=point.hearing.commune,
                 data={"name": participant.full_name, "point": point.name})
    if point.hearing.status == HearingStatus.CONFIRMED:
        # Invitations went out at confirmation: a late addition gets its own (after commit).
        send_invitations(point.hearing, actor=actor, only=[participant.pk])
        participant.refresh_from_db()
    return participant


@transaction.atomic
def remove_bridge_point(point: BridgePoint, *, actor: User) -> str:
    """Bỏ điểm cầu (with its participants) from a hearing in preparation; once confirmed the
    Giấy mời names it, so the hearing must be moved or cancelled instead."""
    hearing = Hearing.objects.select_for_update().select_related("commune").get(
        pk=point.hearing_id)
    access.check(actor, Perm.PLAN_HEARING, hearing.commune, DENIED)
    if hearing.status != HearingStatus.DRAFT:
        raise HearingStateError(_("Buổi tiếp đã chốt lịch, giấy mời đã phát hành: không bỏ được "
                                  "điểm cầu."), code="confirmed")
    name = point.name
    point.delete()
    audit.record("hearings.bridge_point.removed", hearing, actor=actor, commune=hearing.commune,
                 data={"point": name})
    return name


@transaction.atomic
def remove_participant(participant: Participant, *, actor: User) -> None:
    """Bỏ một thành phần.  The people of a matter still on the agenda stay: they are invited
    because of their matter (Luật Tiếp công dân), and would otherwise come back with the
    next bridge point."""
    hearing = Hearing.objects.select_for_update().select_related("commune").get(
        pk=participant.bridge_point.hearing_id)
    access.check(actor, Perm.PLAN_HEARING, hearing.commune, DENIED)
    _require_active(hearing)
    if participant.matter_id and participant.source_key and hearing.agenda.filter(
            matter_id=participant.matter_id).exists():
        raise HearingStateError(_("%(name)s được mời theo hồ sơ trong chương trình buổi tiếp, "
                                  "không thể bỏ khỏi thành phần.") % {
                                      "name": participant.full_name}, code="matter_person")
    name, point = participant.full_name, participant.bridge_point.name
    participant.delete()
    audit.record("hearings.participant.removed", hearing, actor=actor, commune=hearing.commune,
                 data={"name": name, "point": str(point)})


def _require_active(hearing: Hearing) -> None:
    if hearing.status not in ACTIVE:
        raise HearingStateError(_("Buổi tiếp đã %(status)s, không thể thay đổi.") % {
            "status": hearing.get_status_display().lower()})


def readiness_problems(hearing: Hearing) -> list[str]:
    """What stops ``hearing`` from being confirmed (empty when ready)."""
    problems = []
    points = list(hearing.bridge_points.all())
    if not any(p.is_central for p in points):
        problems.append(_("Chưa có điểm cầu trung tâm."))
    if not any(not p.is_central for p in points):
        problems.append(_("Chưa có điểm cầu thành phần."))
    for p in points:
        if not (p.technical_contact_name and p.technical_contact_phone):
            problems.append(_("Điểm cầu %(name)s chưa có cán bộ kỹ thuật.") % {"name": p.name})
    if not hearing.agenda.exists():
        problems.append(_("Chưa có vụ việc nào trong chương trình buổi tiếp."))
    for item in hearing.agenda.select_related("matter"):
        if item.matter.status not in (MatterStatus.ACCEPTED, MatterStatus.SCHEDULED):
            problems.append(_("Vụ việc %(code)s đang ở trạng thái “%(status)s”, không thể xếp "
                              "lịch tiếp.") % {"code": item.matter.tracking_code,
                                               "status": item.matter.get_status_display()})
    return problems


def notify_deadline_passed(hearing: Hearing, now: dt.datetime | None = None) -> bool:
    row = hearing.milestones.filter(key="notify_parties").first()
    return row is not None and row.due_at < (now or timezone.now())


def _confirmation_problem(hearing: Hearing, actor: User,
                          override_reason: str) -> str:
    """Check everything that must hold to confirm ``hearing``; returns the late-confirmation
    reason to record ("" when on time)."""
    if hearing.status != HearingStatus.DRAFT:
        raise HearingStateError(_("Chỉ chốt được buổi tiếp đang chuẩn bị."))
    access.check(actor, Perm.PLAN_HEARING, hearing.commune,
                 _("Bạn không có quyền chốt lịch buổi tiếp này."))
    problems = readiness_problems(hearing)
    if problems:
        raise HearingStateError(" ".join(problems), code="not_ready")
    if not notify_deadline_passed(hearing):
        return ""
    decided = history.late_decision(hearing)
    if decided is not None:  # the Chairman already decided on this time, with a reason
        return decided.reason
    if not has_perm(actor, Perm.DECIDE_HEARING, hearing.commune):  # a permission: 403
        raise Forbidden(_("Đã quá hạn thông báo 05 ngày làm việc trước buổi tiếp; chỉ Chủ tịch "
                          "được quyết định chốt lịch."), code="late")
    if not override_reason.strip():
        raise field_error("override_reason", _("Nêu lý do chốt lịch muộn."), "required")
    return override_reason.strip()


def confirm_hearing(hearing: Hearing, *, actor: User,
                    override_reason: str = "") -> Hearing:
    """Chốt lịch: check every precondition, render the hearing's documents (GM, TB and, with
    city leaders, BC), then in one transaction number and store them, confirm the hearing,
    schedule its matters, close the milestones the documents fulfil and queue the invitations
    (sent after commit).

    Must run outside a transaction.  A document that fails to render raises before anything
    changes: the hearing stays in preparation and no number is taken (the numbering register
    stays gapless however often it is tried).
    """
    current = Hearing.objects.select_related("commune", "chair").get(pk=hearing.pk)
    _confirmation_problem(current, actor, override_reason)
    prepared = paperwork.prepare_for_confirmation(current)
    with discarding_on_rollback() as issued, transaction.atomic():
        hearing = Hearing.objects.select_for_update().select_related("commune").get(
            pk=hearing.pk)
        late_reason = _confirmation_problem(hearing, actor, override_reason)
        if hearing.version != current.version:
            raise HearingStateError(_("Buổi tiếp vừa được dời lịch; vui lòng chốt lại."),
                                    code="changed")
        documents = paperwork.store_for_confirmation(hearing, prepared, actor=actor,
                                                     issued=issued)
        hearing.late_override_reason = late_reason
        hearing.status = HearingStatus.CONFIRMED
        hearing.confirmed_at, hearing.confirmed_by = timezone.now(), actor
        hearing.save()
        _schedule_matters(hearing, actor)
        send_invitations(hearing, actor=actor)
        fulfil_notice_milestones(hearing, {doc.purpose: doc.document for doc in documents},
                                 actor=actor)
        history.record(hearing, ChangeKind.CONFIRMED, actor=actor,
                       reason=hearing.late_override_reason)
        audit.record("hearings.hearing.scheduled", hearing, actor=actor, commune=hearing.commune,
                     data={"hearing": str(hearing)}, reason=hearing.late_override_reason)
    return hearing


def fulfil_notice_milestones(hearing: Hearing, by_purpose: dict, *,
                             actor: User) -> None:
    """The open notice milestones that issued documents fulfil, marked done with their
    numbers as evidence (at confirmation, and again for the new time after a move)."""
    evidence = {
        "notify_parties": _("Thông báo %(tb)s và giấy mời gửi qua hệ thống.")
        % {"tb": by_purpose[HearingDocumentPurpose.SCHEDULE_NOTICE].symbol},
        "invitations_issued": _("Giấy mời số %(gm)s.")
        % {"gm": by_purpose[HearingDocumentPurpose.INVITATION].symbol},
    }
    if HearingDocumentPurpose.CITY_REPORT in by_purpose:
        evidence["report_to_city"] = _("Báo cáo số %(bc)s.") % {
            "bc": by_purpose[HearingDocumentPurpose.CITY_REPORT].symbol}
    now = timezone.now()
    for key, text in evidence.items():
        hearing.milestones.filter(key=key, status=MilestoneStatus.OPEN).update(
            status=MilestoneStatus.DONE, done_at=now, done_by=actor, evidence=text,
            hearing_version=hearing.version)


def _schedule_matters(hearing: Hearing, actor: User) -> None:
    """Move the agenda's accepted matters to "scheduled for hearing" (state machine)."""
    reason = _("Xếp lịch buổi tiếp công dân trực tuyến %(when)s.") % {
        "when": timezone.localtime(hearing.starts_at).strftime("%H:%M %d/%m/%Y")}
    for item in hearing.agenda.select_related("matter"):
        if item.matter.status == MatterStatus.ACCEPTED:
            triage.transition(item.matter_id, MatterStatus.SCHEDULED, actor=actor, reason=reason)


def _unschedule_matters(hearing: Hearing, actor: User, reason: str) -> None:
    """A cancelled hearing gives its scheduled matters back to "accepted", unless another
    active hearing still has them on its agenda."""
    for item in hearing.agenda.select_related("matter"):
        elsewhere = HearingMatter.objects.filter(
            matter=item.matter, hearing__status__in=ACTIVE).exclude(hearing=hearing).exists()
        if item.matter.status == MatterStatus.SCHEDULED and not elsewhere:
            triage.transition(item.matter_id, MatterStatus.ACCEPTED, actor=actor,
                              reason=_("Hủy buổi tiếp: %(reason)s") % {"reason": reason})


def hearings_for_user(user: User):
    communes = communes_with_perm(user, Perm.PLAN_HEARING) | communes_with_perm(
        user, Perm.VIEW_MATTERS)
    return Hearing.objects.filter(Q(commune__in=communes) | Q(chair=user)).distinct()


# Ending lives in its own module; re-exported as the planning API.  (Moving and cancelling,
# which read this module, are ``changes.reschedule`` and ``changes.cancel``.)
from .held import mark_held, record_held  # noqa: E402, F401
