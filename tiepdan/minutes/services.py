"""After the hearing: minutes drafted from the hearing's data, completed and finalised (then
immutable; corrections are new versions), and the chair's conclusions per matter with their
Thông báo kết luận việc tiếp công dân (NĐ 154/2026 Đ25).

Documents take their numbers durably, so ``issue_minutes_document`` and
``issue_conclusion_notice`` run outside any transaction (the first from ``on_commit``).
Other apps learn of an issued conclusion through ``register_conclusion_hook``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import access, audit, durable
from tiepdan.core.errors import InvalidInput
from tiepdan.core.lists import clean_name, list_key
from tiepdan.core.models import Commune
from tiepdan.core.names import full_name
from tiepdan.documents.layout import Signer
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.documents.services import discard_files, issue_document
from tiepdan.hearings.models import Hearing, HearingStatus
from tiepdan.hearings.paperwork import signer_for
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.intake.triage import state_machine as triage
from tiepdan.workdays.calendar import WorkCalendar
from tiepdan.workdays.deadlines import Rule, Unit, compute
from tiepdan.workdays.services import current_calendar

from . import drafting, paperwork, responsible_bodies
from .confirmation import open_requests
from .errors import MinutesStateError, field_errors
from .models import Conclusion, Minutes, MinutesStatus, Outcome

logger = logging.getLogger(__name__)

#: The sections the officer writes (form and API field names).
SECTIONS = ("proceedings", "citizen_opinions", "chair_conclusion", "chair_name",
            "secretary_name")
#: Longest deadline a conclusion may give, in working days.
MAX_DEADLINE_DAYS = 90


# -- Permissions ------------------------------------------------------------------------------

# Who may read, edit and conclude: ``core.access.READ_MINUTES``, ``EDIT_MINUTES``, ``CONCLUDE``.

def _require_minutes_editor(actor: AbstractBaseUser, commune: Commune) -> None:
    access.check(actor, access.EDIT_MINUTES, commune,
                 _("Bạn không có quyền lập, sửa biên bản buổi tiếp của xã này."))


def _require_concluder(actor: AbstractBaseUser, commune: Commune) -> None:
    access.check(actor, access.CONCLUDE, commune,
                 _("Bạn không có quyền ghi kết luận buổi tiếp của xã này."))


def _require_held(hearing: Hearing) -> None:
    if hearing.status != HearingStatus.HELD:
        raise MinutesStateError(_("Chỉ lập biên bản, kết luận cho buổi tiếp đã tổ chức."),
                                code="not_held")


# -- Minutes ----------------------------------------------------------------------------------

def current_minutes(hearing: Hearing) -> Minutes | None:
    """The latest version (the draft being written, or the last final one)."""
    return hearing.minutes.order_by("-version").first()


def current_minutes_of(hearings: list[Hearing]) -> dict[int, Minutes]:
    """:func:`current_minutes` of several hearings in one query: hearing id → minutes (a
    hearing without minutes is left out)."""
    found: dict[int, Minutes] = {}
    if hearings:
        for minutes in Minutes.objects.filter(hearing__in=hearings).order_by("hearing_id",
                                                                             "-version"):
            found.setdefault(minutes.hearing_id, minutes)
    return found


@transaction.atomic
def draft_minutes(hearing: Hearing, *, actor: AbstractBaseUser) -> Minutes:
    """Lập dự thảo biên bản from the hearing's data, or refresh the data parts of the draft in
    progress (the officer's sections are kept)."""
    hearing = Hearing.objects.select_for_update().select_related("commune", "chair").get(
        pk=hearing.pk)
    _require_minutes_editor(actor, hearing.commune)
    _require_held(hearing)
    content = drafting.draft_content(hearing)
    latest = current_minutes(hearing)
    if latest is not None and latest.is_final:
        raise MinutesStateError(_("Biên bản đã hoàn thành; dùng “Sửa biên bản” để lập phiên "
                                  "bản sửa đổi."), code="minutes_final")
    if latest is None:
        signer = signer_for(hearing)
        minutes = Minutes.objects.create(
            hearing=hearing, version=1, created_by=actor, chair_name=signer.name,
            secretary_name=full_name(actor), **content)
        kind, data = "minutes.minutes.drafted", {"hearing": str(hearing)}
    else:
        minutes = latest
        for name, value in content.items():
            setattr(minutes, name, value)
        minutes.save()
        kind = "minutes.minutes.data_updated"
        data = {"version": minutes.version, "hearing": str(hearing)}
    audit.record(kind, minutes, actor=actor, commune=hearing.commune, data=data)
    return minutes


def _locked(minutes: Minutes) -> Minutes:
    minutes = Minutes.objects.select_for_update().select_related("hearing__commune").get(
        pk=minutes.pk)
    if minutes.is_final:
        raise MinutesStateError(
            _("Biên bản đã hoàn thành, không thể sửa; hãy lập phiên bản sửa đổi."),
            code="minutes_final")
    return minutes


@transaction.atomic
def update_sections(minutes: Minutes, *, actor: AbstractBaseUser,
                    **sections: str) -> Minutes:
    """Save the officer's sections of a draft (only those given)."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise InvalidInput(_("Mục không hợp lệ: %(names)s.") % {"names": ", ".join(unknown)})
    _require_minutes_editor(actor, minutes.hearing.commune)
    minutes = _locked(minutes)
    for name, value in sections.items():
        setattr(minutes, name, (value or "").strip())
    minutes.save()
    audit.record("minutes.minutes.edited", minutes, actor=actor, commune=minutes.hearing.commune,
                 data={"version": minutes.version, "hearing": str(minutes.hearing),
                       "sections": ", ".join(sorted(sections))})
    return minutes


def missing_parts(minutes: Minutes) -> dict[str, str]:
    """What must be written before the minutes can be finalised (field → message)."""
    missing = {}
    if not minutes.matters:
        missing["matters"] = _("Biên bản chưa có vụ việc nào được tiếp.")
    if not minutes.proceedings.strip():
        missing["proceedings"] = _("Ghi diễn biến buổi tiếp.")
    if not minutes.chair_conclusion.strip():
        missing["chair_conclusion"] = _("Ghi kết luận của người chủ trì.")
    if not minutes.chair_name.strip():
        missing["chair_name"] = _("Ghi họ tên người chủ trì ký biên bản.")
    if not minutes.secretary_name.strip():
        missing["secretary_name"] = _("Ghi họ tên người ghi biên bản.")
    return missing


def finalise(minutes: Minutes, *, actor: AbstractBaseUser) -> Minutes:
    """Hoàn thành biên bản: refuse if a required part is empty; otherwise the version becomes
    final (immutable) and its Biên bản (BB) is issued after commit."""
    with transaction.atomic():
        _require_minutes_editor(actor, minutes.hearing.commune)
        minutes = _locked(minutes)
        missing = missing_parts(minutes)
        if missing:
            raise field_errors(missing)
        minutes.status = MinutesStatus.FINAL
        minutes.finalised_at, minutes.finalised_by = timezone.now(), actor
        minutes.save()  # the last save of this version: the model refuses any later one
        audit.record("minutes.minutes.completed", minutes, actor=actor,
                     commune=minutes.hearing.commune,
                     data={"version": minutes.version, "hearing": str(minutes.hearing)})
        durable.schedule(
            "minutes.document", key=f"minutes.document:{minutes.pk}",
            commune=minutes.hearing.commune,
            args={"minutes_id": minutes.pk, "actor_id": actor.pk},
            label=f"Biên bản lần {minutes.version} buổi tiếp {minutes.hearing}")
    return minutes


def issue_minutes_document(minutes: Minutes, *, actor: AbstractBaseUser | None
                           ) -> IssuedDocument:
    """The BB of a final version (issued once; a retry returns it), numbered in its own
    transaction: a document that fails to render takes no number."""
    document: IssuedDocument | None = None
    try:
        with transaction.atomic():
            minutes = (Minutes.objects.select_for_update(of=("self",))
                       .select_related("hearing__commune", "hearing__chair", "document")
                       .get(pk=minutes.pk))
            if not minutes.is_final:
                raise MinutesStateError(_("Chỉ lập văn bản cho biên bản đã hoàn thành."),
                                        code="not_final")
            if minutes.document is not None:
                return minutes.document
            hearing = minutes.hearing
            previous = (hearing.minutes.filter(version__lt=minutes.version,
                                               document__isnull=False)
                        .select_related("document").order_by("-version").first())
            document = issue_document(
                hearing.commune, DocType.MINUTES,
                paperwork.minutes_data(minutes, previous.document.symbol if previous else ""),
                actor=actor, signer=_minutes_signer(minutes),
                co_signer=_minutes_writer(minutes),
                template_key=paperwork.MINUTES_TEMPLATE_KEY, with_caller=True)
            # The final version refuses saves: link the document with an update.
            Minutes.objects.filter(pk=minutes.pk).update(document=document)
            minutes.document = document
            # Issue 15 §4: each citizen of the agenda is asked to confirm it (SMS after commit).
            open_requests(minutes)
    except BaseException:
        discard_files(document)
        raise
    return document


def _minutes_signer(minutes: Minutes) -> Signer:
    """The chair signs as "Người chủ trì" with the title they hold, under the name written in
    the minutes."""
    base = signer_for(minutes.hearing)
    return Signer(name=minutes.chair_name or base.name, position=base.position,
                  authority="Người chủ trì")


def _minutes_writer(minutes: Minutes) -> Signer:
    """The person who wrote the minutes signs beside the chair (NĐ 30 Mẫu 1.6 biên bản)."""
    return Signer(name=minutes.secretary_name, position="Người ghi biên bản")


@transaction.atomic
def new_version(minutes: Minutes, *, actor: AbstractBaseUser) -> Minutes:
    """Sửa biên bản: version n+1 as a draft copy of the final version n (which stays)."""
    _require_minutes_editor(actor, minutes.hearing.commune)
    hearing = Hearing.objects.select_for_update().get(pk=minutes.hearing_id)
    latest = current_minutes(hearing)
    if latest is None or not latest.is_final or latest.pk != minutes.pk:
        raise MinutesStateError(_("Chỉ lập phiên bản sửa đổi từ biên bản mới nhất đã hoàn "
                                  "thành."), code="not_latest_final")
    copy = Minutes.objects.create(
        hearing=hearing, version=latest.version + 1, created_by=actor,
        **{name: getattr(latest, name) for name in (
            "opening", "chair", "attendance", "matters", "timeline", *SECTIONS)})
    audit.record("minutes.minutes.revised", copy, actor=actor, commune=hearing.commune,
                 data={"version": copy.version, "hearing": str(hearing)})
    return copy


# -- Conclusions ------------------------------------------------------------------------------

ConclusionHook = Callable[[Conclusion, AbstractBaseUser], Any]
_conclusion_hooks: list[ConclusionHook] = []


def register_conclusion_hook(hook: ConclusionHook) -> ConclusionHook:
    """Have ``hook(conclusion, actor)`` called inside the transaction that issues a conclusion
    notice, once the notice exists (e.g. the follow-up app creating its tasks).  An exception
    from a hook aborts the issue: no notice, no number, no task.  Usable as a decorator."""
    if hook not in _conclusion_hooks:
        _conclusion_hooks.append(hook)
    return hook


def unregister_conclusion_hook(hook: ConclusionHook) -> None:
    if hook in _conclusion_hooks:
        _conclusion_hooks.remove(hook)


def _run_conclusion_hooks(conclusion: Conclusion, actor: AbstractBaseUser) -> int:
    """Run every hook; the sum of what they return (the follow-up tasks created)."""
    return sum(int(hook(conclusion, actor) or 0) for hook in list(_conclusion_hooks))


def parse_bodies(raw: Iterable[Any] | str, commune: Any = None) -> list[dict[str, Any]]:
    """Responsible bodies picked from the commune's list (followup.Body): ids (the page and
    the API), {"id": …}, or — from older API clients — {"name", "email"} (or text, one per
    line, "Công an xã; congan@example.org").  A name is matched to the list however it is
    spelled ("- Xây dựng" is "– Xây dựng"); a name not in the list is kept as given and the
    body is added to the list with the follow-up tasks.  Each body is named once."""
    if isinstance(raw, str):
        items: list[Any] = []
        for line in raw.splitlines():
            name, _sep, email = line.partition(";")
            items.append({"name": name, "email": email})
    else:
        items = list(raw)
    listed = _listed_bodies(commune)
    bodies, seen = [], set()
    for item in items:
        if not isinstance(item, dict):
            item = {"id": item}
        if item.get("id") not in (None, ""):
            body = listed["id"].get(str(item["id"]))
            if body is None:
                raise field_errors({"responsible_bodies": _(
                    "Chọn cơ quan, đơn vị trong danh sách của xã.")}, "unknown_body")
            entry = {"id": body.pk, "name": body.name, "email": body.email}
        else:
            name = clean_name(str(item.get("name") or ""))
            email = str(item.get("email") or "").strip()
            if not name and not email:
                continue
            if not name:
                raise field_errors({"responsible_bodies": _(
                    "Ghi tên cơ quan, đơn vị trước địa chỉ thư điện tử.")}, "invalid")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    raise field_errors({"responsible_bodies": _(
                        "Địa chỉ thư điện tử của %(name)s không hợp lệ.") % {"name": name}},
                        "invalid") from None
            body = listed["key"].get(list_key(name))
            entry = ({"id": body.pk, "name": body.name, "email": body.email or email}
                     if body is not None else {"name": name[:200], "email": email})
        key = list_key(entry["name"])
        if key not in seen:
            seen.add(key)
            bodies.append(entry)
    return bodies


def _listed_bodies(commune: Any) -> dict[str, dict[str, Any]]:
    if commune is None:
        return {"id": {}, "key": {}}
    bodies = responsible_bodies.active_bodies(commune)
    rows = list(bodies) if bodies is not None else []
    return {"id": {str(b.pk): b for b in rows}, "key": {b.name_key: b for b in rows}}


def body_ids(commune: Any, entries: Iterable[dict[str, Any]]) -> list[int]:
    """The list entries behind a conclusion's stored bodies (for the form's ticks)."""
    listed = _listed_bodies(commune)
    ids = []
    for entry in entries:
        body = listed["id"].get(str(entry.get("id"))) or listed["key"].get(
            list_key(entry.get("name") or ""))
        if body is not None:
            ids.append(body.pk)
    return ids


def conclusion_deadline(hearing: Hearing, days: int, calendar: WorkCalendar | None = None
                        ) -> tuple[dt.date, str]:
    """Due date and explanation of ``days`` working days counted from the hearing day."""
    rule = Rule(days, Unit.WORKING_DAYS, legal_source="Kết luận buổi tiếp công dân")
    deadline = compute(rule, hearing.held_at or hearing.starts_at,
                       calendar or current_calendar())
    return deadline.due, deadline.explanation  # type: ignore[return-value]


def _check_conclusion(outcome: str, directions: str, bodies: list[dict[str, str]],
                      days: int | None) -> None:
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Chọn hướng xử lý.")
    if not directions.strip():
        errors["directions"] = _("Ghi ý kiến chỉ đạo, kết luận của người chủ trì.")
    if days is not None and not 1 <= days <= MAX_DEADLINE_DAYS:
        errors["deadline_working_days"] = _("Thời hạn từ 1 đến %(max)s ngày làm việc.") % {
            "max": MAX_DEADLINE_DAYS}
    if outcome == Outcome.ASSIGNED:
        if not bodies:
            errors["responsible_bodies"] = _("Ghi cơ quan, đơn vị được giao xem xét, giải "
                                             "quyết.")
        if days is None:
            errors["deadline_working_days"] = _("Ghi thời hạn (ngày làm việc) cho cơ quan "
                                                "được giao.")
    if errors:
        raise field_errors(errors)


@transaction.atomic
def record_conclusion(
    hearing: Hearing, matter: Matter, *, actor: AbstractBaseUser, outcome: str,
    directions: str, responsible_bodies: Iterable[dict[str, str]] | str = (),
    deadline_working_days: int | None = None, contact_person: str = "",
) -> Conclusion:
    """Ghi kết luận of the chair on ``matter`` (create or correct it until its notice is
    issued)."""
    hearing = Hearing.objects.select_for_update().select_related("commune").get(pk=hearing.pk)
    _require_concluder(actor, hearing.commune)
    _require_held(hearing)
    if not hearing.agenda.filter(matter=matter).exists():
        raise MinutesStateError(_("Vụ việc không có trong chương trình buổi tiếp này."),
                                code="not_on_agenda")
    bodies = parse_bodies(responsible_bodies, hearing.commune)
    _check_conclusion(outcome, directions or "", bodies, deadline_working_days)
    conclusion = Conclusion.objects.select_for_update().filter(hearing=hearing,
                                                               matter=matter).first()
    if conclusion is not None and conclusion.notice_id is not None:
        raise MinutesStateError(_("Thông báo kết luận đã ban hành; không thể sửa kết luận."),
                                code="notice_issued")
    due, explanation = (conclusion_deadline(hearing, deadline_working_days)
                        if deadline_working_days else (None, ""))
    values = {"outcome": outcome, "directions": directions.strip(),
              "responsible_bodies": bodies, "deadline_working_days": deadline_working_days,
              "due_date": due, "deadline_explanation": explanation,
              "contact_person": (contact_person or "").strip()[:255]}
    created = conclusion is None
    if created:
        conclusion = Conclusion.objects.create(hearing=hearing, matter=matter,
                                               recorded_by=actor, **values)
    else:
        for name, value in values.items():
            setattr(conclusion, name, value)
        conclusion.save()
    audit.record("minutes.conclusion.recorded" if created else "minutes.conclusion.changed",
                 conclusion, actor=actor, commune=hearing.commune,
                 data={"tracking_code": matter.tracking_code, "hearing": str(hearing)})
    return conclusion


def issue_conclusion_notice(conclusion: Conclusion, *, actor: AbstractBaseUser) -> Conclusion:
    """Ban hành Thông báo kết luận việc tiếp công dân (TB) in one transaction: number and render
    the notice, conclude the matter (heard → concluded), create the conclusion's follow-up
    tasks (the registered hooks), queue the notice to the citizen and the bodies (sent after
    commit).  If any part fails nothing is issued: no number is taken, no task, no message.

    Must not run inside a caller's transaction (it is one).  The conclusion returned carries
    ``follow_up_created``: how many tasks the hooks created.
    """
    document: IssuedDocument | None = None
    try:
        with transaction.atomic(durable=True):
            conclusion = (Conclusion.objects.select_for_update(of=("self",))
                          .select_related("hearing__commune", "hearing__chair", "matter")
                          .get(pk=conclusion.pk))
            _require_concluder(actor, conclusion.hearing.commune)
            if conclusion.notice_issued_at is not None or conclusion.notice_id is not None:
                raise MinutesStateError(_("Thông báo kết luận đã được ban hành."),
                                        code="notice_issued")
            if conclusion.matter.status != MatterStatus.HEARD:
                raise MinutesStateError(
                    _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”, không thể ban hành thông "
                      "báo kết luận.") % {"code": conclusion.matter.tracking_code,
                                          "status": conclusion.matter.get_status_display()},
                    code="not_heard")
            _check_conclusion(conclusion.outcome, conclusion.directions,
                              conclusion.responsible_bodies, conclusion.deadline_working_days)
            document = issue_document(
                conclusion.hearing.commune, DocType.NOTICE, paperwork.notice_data(conclusion),
                actor=actor, signer=signer_for(conclusion.hearing),
                template_key=paperwork.NOTICE_TEMPLATE_KEY, with_caller=True)
            triage.transition(
                conclusion.matter_id, MatterStatus.CONCLUDED, actor=actor,
                reason=_("Thông báo kết luận việc tiếp công dân số %(symbol)s.") % {
                    "symbol": document.symbol})
            conclusion.matter.refresh_from_db()
            conclusion.notice = document
            conclusion.notice_issued_at, conclusion.notice_issued_by = timezone.now(), actor
            conclusion.save(update_fields=["notice", "notice_issued_at", "notice_issued_by",
                                           "updated_at"])
            conclusion.follow_up_created = _run_conclusion_hooks(conclusion, actor)
            paperwork.send_notice(conclusion)
            audit.record("minutes.conclusion.notice_issued", conclusion, actor=actor,
                         commune=conclusion.hearing.commune,
                         data={"symbol": document.symbol,
                               "tracking_code": conclusion.matter.tracking_code})
    except BaseException:
        discard_files(document)  # the row went with the rollback; its files go too
        raise
    return conclusion


def recompute_open_conclusion_deadlines(calendar: WorkCalendar, days: frozenset[dt.date]) -> int:
    """Calendar hook: deadlines of conclusions whose notice is not yet issued follow a change
    of the working calendar (an issued notice keeps the date it printed)."""
    count = 0
    for conclusion in Conclusion.objects.filter(
            notice__isnull=True, deadline_working_days__isnull=False).select_related("hearing"):
        due, explanation = conclusion_deadline(conclusion.hearing,
                                               conclusion.deadline_working_days, calendar)
        if due != conclusion.due_date:
            Conclusion.objects.filter(pk=conclusion.pk).update(
                due_date=due, deadline_explanation=explanation)
            count += 1
    return count

