"""The permission matrix, enforced by the services themselves: every state-changing service
entry point, called by every role, refuses with ``Forbidden`` exactly the roles whose
``ROLE_PERMS`` lack what it needs.  An entry point that forgets its check fails here (the
caller's page or API handler is not involved).

"Allowed" means "not refused for want of permission": an allowed role may still meet a state
or input error further in (a draft hearing that is not ready, a missing reason); those are not
what this test is about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from tests.factories import staff_user
from tiepdan.core import access
from tiepdan.core.access import ROLE_PERMS, Perm
from tiepdan.core.errors import DomainError, Forbidden
from tiepdan.core.models import Role
from tiepdan.documents import signing
from tiepdan.followup import closing
from tiepdan.followup import services as followup
from tiepdan.followup.models import Body
from tiepdan.hearings import changes, held, milestones, planning, selection
from tiepdan.hearings.models import OnlineSelection
from tiepdan.intake.identity import keys as identity_keys
from tiepdan.intake.identity import reveal as identity_access
from tiepdan.intake.links import duplicates, groups, splitting
from tiepdan.intake.models import Attachment, Channel
from tiepdan.intake.register import refusal_notice
from tiepdan.intake.registration.forms import RegistrationForm
from tiepdan.intake.registration.services import register_matter
from tiepdan.intake.triage import state_machine as triage
from tiepdan.media import ending
from tiepdan.minutes import conclusions
from tiepdan.minutes import services as minutes
from tiepdan.minutes.models import Conclusion, Minutes
from tiepdan.reports import narrative
from tiepdan.reports.periods import current_period
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=VN_TZ)  # a Tuesday
LATER = dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ)


@dataclass
class World:
    """One commune's matter, proposal, draft hearing with a point and a participant."""

    commune: Any
    matter: Any
    proposal: Any
    hearing: Any
    point: Any
    participant: Any
    point_pk: int = 0
    participant_pk: int = 0
    registration: Any = None  # the form's cleaned data, for a second matter
    document: Any = None  # an issued document, made only for the rows that sign one


@pytest.fixture
def world(an_lao, form_data):
    with time_machine.travel(NOW, tick=False):
        officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
        chairman = staff_user(Role.CHAIRMAN, commune=an_lao)
        form = RegistrationForm(data=form_data)
        assert form.is_valid(), form.errors.as_json()
        matter = register_matter(an_lao, form.cleaned_data, channel=Channel.ONLINE_FORM)
        matter = triage.classify(matter, kind="kien_nghi", field_of_law="Giao thông",
                                 actor=officer, reason="Kiến nghị về đường")
        matter = triage.decide(matter, outcome="accept", within_competence=True,
                               actor=officer, reason="Thuộc thẩm quyền")
        proposal = selection.propose(matter, ground="b", actor=officer, note="Ở xa")
        hearing = planning.create_hearing(
            an_lao, starts_at=LATER, duration_minutes=120, chair=chairman,
            title="Tiếp công dân định kỳ", actor=officer)
        point = planning.add_bridge_point(
            hearing, actor=officer, kind="commune_hall", is_central=True, name="Trụ sở",
            address="Thôn Hàm Hy", responsible_person="Vũ Văn A",
            technical_contact_name="Ngô Văn B", technical_contact_phone="0912000999")
        participant = planning.add_participant(point, actor=officer, full_name="Khách mời")
        return World(an_lao, matter, proposal, hearing, point, participant,
                     point_pk=point.pk, participant_pk=participant.pk,
                     registration=form.cleaned_data)


def _milestone(w: World) -> Any:
    return w.hearing.milestones.exclude(key__in=milestones.TECHNICAL).first()


#: (entry point, what it needs in the commune, how to call it).
ENTRY_POINTS: list[tuple[str, access.Need, Callable[[World, Any], object]]] = [
    ("intake.triage.classify", Perm.TRIAGE, lambda w, actor: triage.classify(
        w.matter, kind="kien_nghi", field_of_law="Đất đai", actor=actor, reason="Phân loại")),
    ("intake.triage.decide", Perm.TRIAGE, lambda w, actor: triage.decide(
        w.matter, outcome="accept", within_competence=True, actor=actor, reason="Thụ lý")),
    ("intake.triage.refuse", Perm.TRIAGE, lambda w, actor: triage.refuse(
        w.matter, ground="other", actor=actor, reason="Từ chối")),
    ("intake.identity_access.reveal_identity", Perm.REVEAL_IDENTITY,
     lambda w, actor: identity_access.reveal_identity(w.matter, actor=actor, reason="Xác minh")),
    ("intake.identity_access.open_withheld_attachment", Perm.REVEAL_IDENTITY,
     lambda w, actor: identity_access.open_withheld_attachment(
         _withheld(w), actor=actor, reason="Xác minh")),
    ("intake.identity_access.redacted_copy", Perm.VIEW_MATTERS,
     lambda w, actor: identity_access.redacted_copy(w.matter, actor=actor)),
    ("intake.links.duplicates.link", Perm.TRIAGE, lambda w, actor: duplicates.link(
        _other(w), w.matter, actor=actor, reason="Cùng nội dung")),
    ("intake.links.duplicates.dismiss", Perm.TRIAGE, lambda w, actor: duplicates.dismiss(
        _other(w), w.matter, actor=actor, reason="Khác nội dung")),
    ("intake.links.groups.merge_into", Perm.TRIAGE, lambda w, actor: groups.merge_into(
        w.matter, [_other(w)], actor=actor, reason="Cùng một nhóm")),
    ("intake.links.splitting.split_matter", Perm.TRIAGE,
     lambda w, actor: splitting.split_matter(
         w.matter, [{"kind": "kien_nghi", "summary": "Phần tách", "content": "Nội dung tách",
                     "attachment_ids": []}], actor=actor, reason="Hai nội dung")),
    ("intake.register.issue_refusal_notice", Perm.TRIAGE,
     lambda w, actor: refusal_notice.issue_refusal_notice(w.matter, actor=actor)),
    ("hearings.selection.propose", Perm.PLAN_HEARING, lambda w, actor: selection.propose(
        w.matter, ground="b", actor=actor)),
    ("hearings.selection.decide", Perm.DECIDE_HEARING, lambda w, actor: selection.decide(
        OnlineSelection.objects.get(pk=w.proposal.pk), approve=False, actor=actor,
        reason="Không")),
    ("hearings.planning.create_hearing", Perm.PLAN_HEARING,
     lambda w, actor: planning.create_hearing(
         w.commune, starts_at=LATER, duration_minutes=60, chair=w.hearing.chair,
         title="Buổi khác", actor=actor)),
    ("hearings.planning.add_bridge_point", Perm.PLAN_HEARING,
     lambda w, actor: planning.add_bridge_point(
         w.hearing, actor=actor, kind="citizen", name="Nhà văn hóa", address="Thôn Đông",
         responsible_person="Lý Văn C", technical_contact_name="Lý Văn C",
         technical_contact_phone="0912000888")),
    ("hearings.planning.add_participant", Perm.PLAN_HEARING,
     lambda w, actor: planning.add_participant(w.point, actor=actor, full_name="Khách")),
    ("hearings.planning.remove_participant", Perm.PLAN_HEARING,
     lambda w, actor: planning.remove_participant(_fresh(w.participant, w.participant_pk),
                                                  actor=actor)),
    ("hearings.planning.remove_bridge_point", Perm.PLAN_HEARING,
     lambda w, actor: planning.remove_bridge_point(_fresh(w.point, w.point_pk), actor=actor)),
    ("hearings.planning.confirm_hearing", Perm.PLAN_HEARING,
     lambda w, actor: planning.confirm_hearing(w.hearing, actor=actor)),
    ("hearings.changes.reschedule", Perm.PLAN_HEARING, lambda w, actor: changes.reschedule(
        w.hearing, starts_at=LATER + dt.timedelta(days=1), duration_minutes=120,
        actor=actor, reason="Dời")),
    ("hearings.changes.cancel", Perm.PLAN_HEARING, lambda w, actor: changes.cancel(
        w.hearing, actor=actor, reason="Hủy")),
    # Whoever is not the hearing's chair (a new user of each role) ends it only as the office.
    ("hearings.held.mark_held (not the chair)", Perm.PLAN_HEARING,
     lambda w, actor: held.mark_held(w.hearing, actor=actor)),
    ("media.ending.end_hearing (not the chair)", Perm.PLAN_HEARING,
     lambda w, actor: ending.end_hearing(w.hearing.pk, actor, actor_name="Cán bộ")),
    ("hearings.held.record_held", Perm.PLAN_HEARING, lambda w, actor: held.record_held(
        w.hearing, actor=actor, started_at=None, ended_at=None)),
    ("hearings.milestones.complete (office milestone)", Perm.PLAN_HEARING,
     lambda w, actor: milestones.complete(_milestone(w), actor=actor, evidence="Đã làm")),
    ("minutes.draft_minutes", access.EDIT_MINUTES,
     lambda w, actor: minutes.draft_minutes(w.hearing, actor=actor)),
    ("minutes.update_sections", access.EDIT_MINUTES, lambda w, actor: minutes.update_sections(
        _minutes(w), actor=actor, proceedings="Diễn biến")),
    ("minutes.finalise", access.EDIT_MINUTES,
     lambda w, actor: minutes.finalise(_minutes(w), actor=actor)),
    ("minutes.new_version", access.EDIT_MINUTES,
     lambda w, actor: minutes.new_version(_minutes(w), actor=actor)),
    ("minutes.issue_minutes_document", access.EDIT_MINUTES,
     lambda w, actor: minutes.issue_minutes_document(_minutes(w), actor=actor)),
    ("minutes.issue_conclusion_notice", access.CONCLUDE, lambda w, actor: _outside_harness(
        conclusions.issue_conclusion_notice, _conclusion(w), actor=actor)),
    ("minutes.record_conclusion", access.CONCLUDE, lambda w, actor: conclusions.record_conclusion(
        w.hearing, w.matter, actor=actor, outcome="accepted", directions="Giải quyết")),
    ("followup.create_task", Perm.ASSIGN_FOLLOW_UP, lambda w, actor: followup.create_task(
        w.matter, title="Sửa đường", body=_body(w), due_working_days=10,
        actor=actor)),
    ("followup.create_tasks_from_conclusion", access.ASSIGN_CONCLUSION_TASKS,
     lambda w, actor: followup.create_tasks_from_conclusion(
         w.matter, [followup.TaskItem("Sửa đường", _body(w), due_working_days=10)],
         actor=actor, source="Kết luận")),
    # A department representative acts only for the bodies they belong to; the role alone
    # (no body) leaves only the office's ASSIGN_FOLLOW_UP.
    ("followup.add_update", Perm.ASSIGN_FOLLOW_UP, lambda w, actor: followup.add_update(
        _task(w), text="Đã khảo sát hiện trường", progress=30, actor=actor)),
    ("followup.complete", Perm.ASSIGN_FOLLOW_UP, lambda w, actor: followup.complete(
        _task(w), result="Đã sửa xong", actor=actor)),
    ("followup.cancel", Perm.ASSIGN_FOLLOW_UP, lambda w, actor: followup.cancel(
        _task(w), reason="Trùng việc", actor=actor)),
    ("followup.change_due", Perm.ASSIGN_FOLLOW_UP, lambda w, actor: followup.change_due(
        _task(w), due_working_days=20, reason="Chờ vật tư", actor=actor)),
    ("followup.closing.close_matter", Perm.ASSIGN_FOLLOW_UP,
     lambda w, actor: closing.close_matter(w.matter, "Đã giải quyết", actor)),
    # An empty narrative: an allowed role meets the input error, after the check.
    ("reports.narrative.issue_results_report", Perm.ISSUE_REPORTS,
     lambda w, actor: narrative.issue_results_report(
         w.commune, current_period(), narrative.Narrative("", "", ""), actor=actor)),
    ("documents.signing.accept_personal_signature", access.SIGN_DOCUMENTS,
     lambda w, actor: signing.accept_personal_signature(w.document, b"%PDF-", actor=actor)),
    ("documents.signing.retry_seal", access.SIGN_DOCUMENTS,
     lambda w, actor: signing.retry_seal(w.document, actor=actor)),
]


def _fresh(row: Any, pk: int) -> Any:
    """The row as the database has it (a delete rolled back for the previous role leaves the
    Python object without its id)."""
    return type(row).objects.get(pk=pk)


def _body(w: World) -> Body:
    return Body.objects.get_or_create(commune=w.commune, name="Công chức Địa chính")[0]


def _other(w: World) -> Any:
    """A second registration of the same person and content (inside the role's transaction)."""
    return register_matter(w.commune, dict(w.registration), channel=Channel.ONLINE_FORM)


def _minutes(w: World) -> Minutes:
    """A draft of the hearing's minutes (inside the role's rolled-back transaction)."""
    officer = staff_user(Role.OFFICE_OFFICER, commune=w.commune)
    return Minutes.objects.create(hearing=w.hearing, opening="8 giờ, Trụ sở", chair="Chủ tịch",
                                  created_by=officer)


def _conclusion(w: World) -> Conclusion:
    """A conclusion on the matter (inside the role's rolled-back transaction)."""
    officer = staff_user(Role.OFFICE_OFFICER, commune=w.commune)
    return Conclusion.objects.create(hearing=w.hearing, matter=w.matter, outcome="accepted",
                                     directions="Giải quyết", recorded_by=officer)


def _outside_harness(service: Callable[..., object], *args: Any, **kwargs: Any) -> object:
    """``service`` runs in its own durable transaction, which cannot open inside the one that
    undoes each role's call: past its permission check (its first line) that refusal says the
    role was let through."""
    try:
        return service(*args, **kwargs)
    except RuntimeError as exc:
        if "durable" not in str(exc):
            raise
        return None


def _withheld(w: World) -> Attachment:
    """An encrypted attachment of the matter (inside the role's rolled-back transaction)."""
    attachment = Attachment(commune=w.commune, matter=w.matter, upload_token="matrix",
                            original_name="to-cao.pdf", content_type="application/pdf",
                            extension="pdf", size=5, sha256="0" * 64)
    attachment.file.save("to-cao.pdf", ContentFile(identity_keys.encrypt(b"%PDF-")), save=False)
    attachment.save()
    return attachment


def _refusal_notice(w: World) -> Any:
    """The 01/TCD of a refused second registration: one issued document of the commune."""
    officer = staff_user(Role.OFFICE_OFFICER, commune=w.commune)
    with time_machine.travel(NOW, tick=False):
        refused = triage.refuse(_other(w), ground="persistent", actor=officer, reason="Từ chối")
        return refusal_notice.issue_refusal_notice(refused, actor=officer)


def _task(w: World) -> Any:
    """A task the office gave (inside the role's rolled-back transaction)."""
    officer = staff_user(Role.OFFICE_OFFICER, commune=w.commune)
    return followup.create_task(w.matter, title="Sửa đường", body=_body(w),
                                due_working_days=10, actor=officer)


class _RolledBack(Exception):
    """Undoes one role's call, so that the next role meets the same state."""


def _refused(call: Callable[[World, Any], object], w: World, actor: Any) -> bool:
    refused = False
    try:
        with time_machine.travel(NOW, tick=False), transaction.atomic():
            try:
                call(w, actor)
            except Forbidden:
                refused = True
            except (DomainError, ValidationError):  # a state or input error: not refused
                pass
            raise _RolledBack
    except _RolledBack:
        pass
    return refused


@pytest.mark.parametrize(("name", "need", "call"), ENTRY_POINTS,
                         ids=[name for name, _need, _call in ENTRY_POINTS])
def test_every_entry_point_refuses_exactly_the_roles_without_its_permission(
        world, name, need, call):
    needed = {need} if isinstance(need, Perm) else set(need)
    if name.startswith("documents."):
        world.document = _refusal_notice(world)
    refusals = {}
    for role in Role:
        actor = staff_user(role, commune=world.commune)
        refusals[role.value] = _refused(call, world, actor)
    expected = {role.value: not (needed & ROLE_PERMS.get(role, frozenset())) for role in Role}
    assert refusals == expected


def test_an_anonymous_caller_is_refused(world):
    assert _refused(ENTRY_POINTS[0][2], world, AnonymousUser())
