"""Builders that bring a matter, a hearing, its minutes and conclusions to a given state through
the product's own services: public registration, triage, online selection, planning, holding,
minutes, conclusions and follow-up.  No row is saved in a state the state machines could not
reach, so a test sees what an office would have in front of it (triage records, register lines,
documents, milestones, audit entries).

Time: a hearing is planned for a working day ahead (``hearing_start``) and is held once its start
has passed.  Pass the test's ``clock`` (a ``time_machine`` traveller, e.g. the ``clock`` fixture)
and the builder moves it forward as the steps need, leaving it at the last step; without one,
the builder travels on its own and time is back where it was when it returns.  ``since`` puts
the whole history in the past: the builder starts there and comes back to the present.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import time_machine
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from tiepdan.core.models import Commune, Role, StaffRole
from tiepdan.followup import closing
from tiepdan.followup import services as followup
from tiepdan.followup.models import Body, FollowUpTask
from tiepdan.hearings import changes, invitations, planning, selection
from tiepdan.hearings.models import Attendance, Hearing, Participant
from tiepdan.intake.attachments import check_file
from tiepdan.intake.models import Channel, Matter, MatterKind, MatterStatus, RefusalGround
from tiepdan.intake.registration.forms import RegistrationForm
from tiepdan.intake.registration.services import register_matter
from tiepdan.intake.triage import state_machine as triage
from tiepdan.minutes import conclusions
from tiepdan.minutes import services as minutes_services
from tiepdan.minutes.models import Conclusion, Minutes, Outcome
from tiepdan.workdays.deadlines import VN_TZ
from tiepdan.workdays.services import current_calendar

from .factories import staff_user

S = MatterStatus

#: The main road of a matter, in order; each state is reached from the one before it.
MAIN_ROAD = ("new", "triaged", "accepted", "approved", "scheduled", "heard", "concluded",
             "closed")
#: Triage endings: each is a decision (or a refusal) taken on a classified matter.
ENDINGS = {
    "guided": {"outcome": "guide", "within_competence": False,
               "competent_body": "Tòa án nhân dân khu vực 7", "letter_number": "12/HD-UBND"},
    "forwarded": {"outcome": "forward", "within_competence": False,
                  "competent_body": "Thanh tra Thành phố", "letter_number": "34/PC-UBND"},
    "returned": {"outcome": "return", "within_competence": False,
                 "competent_body": "UBND xã Lạc Phượng", "letter_number": "56/HD-UBND"},
    "filed": {"outcome": "file", "within_competence": True},
}
MATTER_STATES = (*MAIN_ROAD, *ENDINGS, "refused")
HEARING_STATES = ("draft", "ready", "confirmed", "held", "cancelled")
MINUTES_STATES = ("draft", "final")

#: The sections an officer writes before the minutes can be finalised.
MINUTES_SECTIONS = {
    "proceedings": "Công dân Trần Thị Bình trình bày kiến nghị sửa đường liên thôn.",
    "citizen_opinions": "Đề nghị sửa trước mùa mưa.",
    "chair_conclusion": "Giao Phòng Kinh tế kiểm tra, báo cáo trong 10 ngày làm việc.",
}


def registration_data(commune: Commune, **fields: Any) -> dict[str, Any]:
    """A valid POST of the public registration form (Trần Thị Bình's recommendation; she
    joins from the village's point), with ``fields`` replacing or adding values."""
    return {
        "full_name": "Trần Thị Bình", "id_type": "cccd", "id_number": "031185000101",
        "gender": "female", "date_of_birth": "1985-03-12",
        "province": str(commune.city.province_code), "ward": str(commune.ward_code),
        "address": "Thôn Hàm Hy", "phone": "0912 000 101", "email": "",
        "kind": MatterKind.KIEN_NGHI, "summary": "Kiến nghị sửa đường",
        "content": "Đường liên thôn bị sạt lở.", "wants_online": "on",
        "online_reason": "far_away", "join_point": "other_point",
        "join_point_detail": "Nhà văn hóa thôn Đông", "consent": "on",
        **fields,
    }


def staff(commune: Commune, role: Role) -> AbstractBaseUser:
    """The commune's first active holder of ``role``, or a new one (with a TOTP device)."""
    held = (StaffRole.objects.filter(commune=commune, role=role, user__is_active=True)
            .select_related("user").order_by("pk").first())
    return held.user if held is not None else staff_user(role, commune=commune)


# -- Time -------------------------------------------------------------------------------------

@contextmanager
def _timeline(clock: Any, since: dt.datetime | None) -> Iterator[Any]:
    """The traveller the steps move: the test's ``clock`` (left where the steps end), or one
    of the builder's own (time comes back when the build is done)."""
    if clock is not None:
        if since is not None:
            clock.move_to(since)
        yield clock
        return
    present = timezone.now()
    with time_machine.travel(since or present, tick=False) as traveller:
        yield traveller
        # A hearing held after "now" would be a history no office could have.
        assert not Hearing.objects.filter(held_at__gt=present).exists(), (
            "a hearing would be held after the present: pass the test's clock or an earlier "
            "since=")


def hearing_start(working_days_ahead: int = 10, hour: int = 8) -> dt.datetime:
    """A start ``working_days_ahead`` working days from today (well before the 05 working
    days' notice is due), at ``hour`` in Hải Phòng."""
    day = current_calendar().add_working_days(timezone.localdate(), working_days_ahead)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VN_TZ)


# -- Matters ----------------------------------------------------------------------------------

def register(commune: Commune, *, channel: Channel = Channel.ONLINE_FORM,
             registered_by: AbstractBaseUser | None = None,
             documents: Sequence[tuple[str, bytes]] = (), **fields: Any) -> Matter:
    """A matter registered through the public form's validation and the registration
    service (status ``new``, its deadlines started, its receipts queued), with
    ``documents`` (name, content) checked and attached as the form's files are."""
    form = RegistrationForm(data=registration_data(commune, **fields))
    assert form.is_valid(), form.errors.as_json()
    files = [check_file(name, io.BytesIO(data), len(data)) for name, data in documents]
    return register_matter(commune, form.cleaned_data, channel=channel, files=files,
                           registered_by=registered_by)


def make_matter(commune: Commune, state: str = "new", *, officer: AbstractBaseUser | None = None,
                chairman: AbstractBaseUser | None = None, clock: Any = None,
                since: dt.datetime | None = None, field_of_law: str = "Đất đai",
                ground: str = "b", **fields: Any) -> Matter:
    """A matter registered with ``fields`` (see ``registration_data``) and brought to
    ``state`` (one of ``MATTER_STATES``) by ``advance``."""
    with _timeline(clock, since) as traveller:
        matter = register(commune, **fields)
        if state == "new":  # registered: no officer has acted yet
            return matter
        return advance(matter, state, officer=officer, chairman=chairman, clock=traveller,
                       field_of_law=field_of_law, ground=ground)


def advance(matter: Matter, state: str, *, officer: AbstractBaseUser | None = None,
            chairman: AbstractBaseUser | None = None, clock: Any = None,
            since: dt.datetime | None = None, field_of_law: str = "Đất đai",
            ground: str = "b") -> Matter:
    """Bring ``matter`` from its present state to ``state`` along the road an office takes:
    classify (``field_of_law``), decide, propose for an online hearing on ``ground`` and
    approve, put on a hearing and confirm it, hold it, issue the conclusion's notice, close.
    The endings (``ENDINGS``, ``refused``) are decided on a classified matter."""
    if state not in MATTER_STATES:
        raise ValueError(f"unknown matter state {state!r}; one of {MATTER_STATES}")
    commune = matter.commune
    officer = officer or staff(commune, Role.OFFICE_OFFICER)
    with _timeline(clock, since) as traveller:
        if state == "refused":
            return triage.refuse(matter, ground=RefusalGround.THREATENING, actor=officer,
                                 reason="Xúc phạm người tiếp công dân")
        target = "triaged" if state in ENDINGS else state
        steps = MAIN_ROAD[:MAIN_ROAD.index(target) + 1]
        done = _reached(matter)
        for step in steps[steps.index(done) + 1:] if done in steps else ():
            matter = _step(matter, step, officer=officer, chairman=chairman, clock=traveller,
                           field_of_law=field_of_law, ground=ground)
        if state in ENDINGS:
            matter = triage.decide(matter, actor=officer, reason="Hướng xử lý",
                                   **ENDINGS[state])
        matter.refresh_from_db()
        return matter


def _reached(matter: Matter) -> str:
    if matter.status == S.ACCEPTED and matter.online_selections.filter(
            status="approved").exists():
        return "approved"
    return str(matter.status)


def _step(matter: Matter, step: str, *, officer: AbstractBaseUser,
          chairman: AbstractBaseUser | None, clock: Any, field_of_law: str,
          ground: str) -> Matter:
    commune = matter.commune
    if step == "triaged":
        round_ = "first" if matter.kind == MatterKind.KHIEU_NAI else ""
        return triage.classify(matter, kind=matter.kind, field_of_law=field_of_law,
                               complaint_round=round_, actor=officer, reason="Phân loại")
    if step == "accepted":
        return triage.decide(matter, outcome="accept", within_competence=True, actor=officer,
                             reason="Thuộc thẩm quyền của UBND xã")
    chairman = chairman or staff(commune, Role.CHAIRMAN)
    if step == "approved":
        chosen = selection.propose(matter, ground=ground, actor=officer, note="Ở xa")
        selection.decide(chosen, approve=True, actor=chairman, reason="Đồng ý")
        return matter
    if step == "scheduled":
        make_hearing(commune, "confirmed", matters=[matter], officer=officer,
                     chairman=chairman, clock=clock)
    elif step == "heard":
        hold(_hearing_of(matter), actor=chairman, clock=clock)
    elif step == "concluded":
        conclude(_hearing_of(matter), matter, actor=chairman)
    elif step == "closed":
        closing.close_matter(matter, "Đã giải quyết xong; công dân đồng ý với kết quả.",
                             officer)
    matter.refresh_from_db()
    return matter


def _hearing_of(matter: Matter) -> Hearing:
    return Hearing.objects.filter(agenda__matter=matter).exclude(status="cancelled").latest("pk")


#: Registration fields of a complaint (the form asks for the decision or act complained of).
COMPLAINT = {"kind": MatterKind.KHIEU_NAI, "complained_decision": "Quyết định 12/QĐ-UBND"}


def group_fields(size: int, representative: str = "Phạm Văn Đoàn") -> dict[str, str]:
    """Registration fields of a group of ``size`` petitioners (đoàn đông người) speaking
    through ``representative`` (Luật Tiếp công dân Đ29: 5 to 10 people choose 1 or 2)."""
    return {"is_group": "on", "group_size": str(size), "rep_1_name": representative}


def register_many(commune: Commune, names: Sequence[str], **fields: Any) -> list[Matter]:
    """One matter per petitioner of ``names``, registered in that order through the
    registration service; the form validates ``fields`` once (hundreds of matters stay fast)."""
    form = RegistrationForm(data=registration_data(commune, **fields))
    assert form.is_valid(), form.errors.as_json()
    return [register_matter(commune, {**form.cleaned_data, "full_name": name},
                            channel=Channel.ONLINE_FORM) for name in names]


# -- Hearings ---------------------------------------------------------------------------------

def make_hearing(commune: Commune, state: str = "draft", *,
                 matters: Sequence[Matter] | None = None,
                 officer: AbstractBaseUser | None = None,
                 chairman: AbstractBaseUser | None = None, clock: Any = None,
                 since: dt.datetime | None = None, starts_at: dt.datetime | None = None,
                 duration_minutes: int = 120,
                 title: str = "Tiếp công dân định kỳ tháng 12", **extra: Any) -> Hearing:
    """A hearing of ``commune`` in ``state`` (one of ``HEARING_STATES``) through the planning
    service: ``draft`` (created with ``matters`` on its agenda, by default one approved
    matter), ``ready`` (with its central point and the citizens' point, which brings the
    agenda's petitioners), ``confirmed`` (its documents issued, its matters scheduled),
    ``held`` (ended by the chair once its start has passed) or ``cancelled`` (after
    confirmation).  ``extra`` goes to ``planning.create_hearing``."""
    if state not in HEARING_STATES:
        raise ValueError(f"unknown hearing state {state!r}; one of {HEARING_STATES}")
    officer = officer or staff(commune, Role.OFFICE_OFFICER)
    chairman = chairman or staff(commune, Role.CHAIRMAN)
    with _timeline(clock, since) as traveller:
        if matters is None:
            matters = [make_matter(commune, "approved", officer=officer, chairman=chairman,
                                   clock=traveller)]
        hearing = planning.create_hearing(
            commune, starts_at=starts_at or hearing_start(), duration_minutes=duration_minutes,
            chair=chairman, title=title, actor=officer, matters=matters, **extra)
        if state == "draft":
            return hearing
        add_points(hearing, actor=officer)
        if state == "ready":
            return hearing
        hearing = planning.confirm_hearing(hearing, actor=officer)
        if state == "held":
            hearing = hold(hearing, actor=chairman, clock=traveller)
        elif state == "cancelled":
            hearing = changes.cancel(hearing, actor=officer, reason="Chủ tịch đi công tác").hearing
        hearing.refresh_from_db()
        return hearing


def add_points(hearing: Hearing, *, actor: AbstractBaseUser) -> None:
    """The central point (Trụ sở UBND xã) and the citizens' point (Nhà văn hóa thôn Đông),
    which brings the petitioners of the agenda as participants (hearings.people)."""
    planning.add_bridge_point(
        hearing, actor=actor, kind="commune_hall", is_central=True, name="Trụ sở UBND xã",
        address="Thôn Hàm Hy", responsible_person="Vũ Văn Chủ Tịch",
        technical_contact_name="Ngô Văn Kỹ Thuật", technical_contact_phone="0912000999")
    planning.add_bridge_point(
        hearing, actor=actor, kind="citizen", name="Nhà văn hóa thôn Đông",
        address="Thôn Đông", responsible_person="Lý Văn Thôn",
        technical_contact_name="Lý Văn Thôn", technical_contact_phone="0912000888")


def hold(hearing: Hearing, *, actor: AbstractBaseUser, clock: Any,
         ended_at: dt.datetime | None = None) -> Hearing:
    """The chair ends a confirmed hearing at ``ended_at`` (default: its scheduled end);
    ``clock`` is moved there first."""
    clock.move_to(ended_at or hearing.ends_at)
    return planning.mark_held(hearing, actor=actor)


def answer(participant: Participant, attendance: str = Attendance.CONFIRMED,
           **substitute: str) -> Participant:
    """The participant's reply to their invitation (the invitation page's service)."""
    return invitations.respond(participant, attendance=attendance, **substitute)


# -- Minutes, conclusions, follow-up ----------------------------------------------------------

def make_minutes(hearing: Hearing, state: str = "draft", *,
                 officer: AbstractBaseUser | None = None, **sections: str) -> Minutes:
    """The minutes of a held hearing: drafted from its data with ``sections`` written in
    (default ``MINUTES_SECTIONS``), then finalised for ``state="final"``.  The Biên bản of a
    final version is issued after commit (run the test's on-commit callbacks to get it)."""
    if state not in MINUTES_STATES:
        raise ValueError(f"unknown minutes state {state!r}; one of {MINUTES_STATES}")
    officer = officer or staff(hearing.commune, Role.OFFICE_OFFICER)
    minutes = minutes_services.draft_minutes(hearing, actor=officer)
    minutes = minutes_services.update_sections(minutes, actor=officer,
                                               **(sections or MINUTES_SECTIONS))
    if state == "final":
        minutes = minutes_services.finalise(minutes, actor=officer)
    return minutes


def conclude(hearing: Hearing, matter: Matter, *, actor: AbstractBaseUser | None = None,
             outcome: str = Outcome.RESOLVED, directions: str = "Trả lời ngay tại buổi tiếp.",
             issue: bool = True, **conclusion: Any) -> Conclusion:
    """The chair's conclusion on ``matter`` of a held hearing, and (``issue``) its notice:
    the matter becomes concluded and an "assigned" conclusion gives its follow-up tasks."""
    actor = actor or staff(hearing.commune, Role.CHAIRMAN)
    recorded = conclusions.record_conclusion(hearing, matter, actor=actor, outcome=outcome,
                                         directions=directions, **conclusion)
    return conclusions.issue_conclusion_notice(recorded, actor=actor) if issue else recorded


def make_task(matter: Matter, *, body: Body, actor: AbstractBaseUser | None = None,
              title: str = "Sửa đoạn đường liên thôn bị sạt lở", due_working_days: int = 10,
              **task: Any) -> FollowUpTask:
    """A follow-up task of ``matter`` assigned by the office (follow-up service)."""
    actor = actor or staff(matter.commune, Role.OFFICE_OFFICER)
    return followup.create_task(matter, title=title, body=body,
                                due_working_days=due_working_days, actor=actor, **task)
