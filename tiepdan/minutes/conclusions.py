"""The chair's conclusions per matter heard (ý kiến chỉ đạo, kết luận) and their Thông báo
kết luận việc tiếp công dân (NĐ 154/2026 Đ25): recorded and corrected until the notice is
issued; the notice numbered, the matter concluded and the follow-up tasks created in one
transaction.

``issue_conclusion_notice`` takes its number durably, so it runs outside any transaction.
Other apps learn of an issued conclusion through ``register_conclusion_hook``.  Who may record
a conclusion is ``core.access.CONCLUDE``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiepdan.core import access, audit
from tiepdan.core.lists import clean_name, list_key
from tiepdan.core.models import Commune
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.documents.services import discard_files, issue_document
from tiepdan.hearings.models import Hearing
from tiepdan.hearings.paperwork import signer_for
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.intake.triage import state_machine as triage
from tiepdan.workdays.calendar import WorkCalendar
from tiepdan.workdays.deadlines import Rule, Unit, compute
from tiepdan.workdays.services import current_calendar

from . import paperwork, responsible_bodies
from .errors import MinutesStateError, field_errors
from .models import Conclusion, Outcome
from .services import require_held

#: Longest deadline a conclusion may give, in working days.
MAX_DEADLINE_DAYS = 90


class BodyEntry(TypedDict, total=False):
    """A responsible body as a conclusion stores it: the list entry's id when it is on the
    commune's list (followup.Body), its name, and its e-mail address (may be empty)."""

    id: int
    name: str
    email: str


#: What a client may send for one body: a list entry's id, ``{"id": …}``, or (older API
#: clients) ``{"name": …, "email": …}``.
BodyInput = int | str | Mapping[str, Any]


#: Refusal of recording a conclusion and issuing its notice to whoever lacks ``CONCLUDE``.
CONCLUDE_DENIED = gettext_lazy("Bạn không có quyền ghi kết luận buổi tiếp của xã này.")


ConclusionHook = Callable[[Conclusion, User], Any]
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


def _run_conclusion_hooks(conclusion: Conclusion, actor: User) -> int:
    """Run every hook; the sum of what they return (the follow-up tasks created)."""
    return sum(int(hook(conclusion, actor) or 0) for hook in list(_conclusion_hooks))


def parse_bodies(raw: Iterable[BodyInput] | str, commune: Commune) -> list[BodyEntry]:
    """Responsible bodies picked from the commune's list (followup.Body): ids (the page and
    the API), {"id": …}, or — from older API clients — {"name", "email"} (or text, one per
    line, "Công an xã; congan@example.org").  A name is matched to the list however it is
    spelled ("- Xây dựng" is "– Xây dựng"); a name not in the list is kept as given and the
    body is added to the list with the follow-up tasks.  Each body is named once."""
    items: list[BodyInput]
    if isinstance(raw, str):
        items = []
        for line in raw.splitlines():
            name, _sep, email = line.partition(";")
            items.append({"name": name, "email": email})
    else:
        items = list(raw)
    listed = _listed_bodies(commune)
    bodies: list[BodyEntry] = []
    seen: set[str] = set()
    for item in items:
        fields: Mapping[str, Any] = item if isinstance(item, Mapping) else {"id": item}
        entry: BodyEntry
        if fields.get("id") not in (None, ""):
            body = listed.by_id.get(str(fields["id"]))
            if body is None:
                raise field_errors({"responsible_bodies": _(
                    "Chọn cơ quan, đơn vị trong danh sách của xã.")}, "unknown_body")
            entry = {"id": body.pk, "name": body.name, "email": body.email}
        else:
            name = clean_name(str(fields.get("name") or ""))
            email = str(fields.get("email") or "").strip()
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
            body = listed.by_key.get(list_key(name))
            entry = ({"id": body.pk, "name": body.name, "email": body.email or email}
                     if body is not None else {"name": name[:200], "email": email})
        key = list_key(entry["name"])
        if key not in seen:
            seen.add(key)
            bodies.append(entry)
    return bodies


class _Listed(NamedTuple):
    by_id: dict[str, Any]  # str(pk) → body (responsible_bodies: the follow-up app's Body)
    by_key: dict[str, Any]  # name key (core.lists.list_key) → body


def _listed_bodies(commune: Commune) -> _Listed:
    bodies = responsible_bodies.active_bodies(commune)
    rows = list(bodies) if bodies is not None else []
    return _Listed({str(b.pk): b for b in rows}, {b.name_key: b for b in rows})


def body_ids(commune: Commune, entries: Iterable[BodyEntry]) -> list[int]:
    """The list entries behind a conclusion's stored bodies (for the form's ticks)."""
    listed = _listed_bodies(commune)
    ids = []
    for entry in entries:
        body = listed.by_id.get(str(entry.get("id"))) or listed.by_key.get(
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
    return deadline.due, deadline.explanation


def _check_conclusion(outcome: str, directions: str, bodies: list[BodyEntry],
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
    hearing: Hearing, matter: Matter, *, actor: User, outcome: str,
    directions: str, responsible_bodies: Iterable[BodyInput] | str = (),
    deadline_working_days: int | None = None, contact_person: str = "",
) -> Conclusion:
    """Ghi kết luận of the chair on ``matter`` (create or correct it until its notice is
    issued)."""
    hearing = Hearing.objects.select_for_update().select_related("commune").get(pk=hearing.pk)
    access.check(actor, access.CONCLUDE, hearing.commune, CONCLUDE_DENIED)
    require_held(hearing)
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
    if conclusion is None:
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


def issue_conclusion_notice(conclusion: Conclusion, *, actor: User) -> Conclusion:
    """Ban hành Thông báo kết luận việc tiếp công dân (TB) in one transaction: number and render
    the notice, conclude the matter (heard → concluded), create the conclusion's follow-up
    tasks (the registered hooks), queue the notice to the citizen and the bodies (sent after
    commit).  If any part fails nothing is issued: no number is taken, no task, no message.

    Must not run inside a caller's transaction (it is one).  The conclusion returned carries
    ``follow_up_created``: how many tasks the hooks created.
    """
    # First, before anything is locked.
    access.check(actor, access.CONCLUDE, conclusion.hearing.commune, CONCLUDE_DENIED)
    document: IssuedDocument | None = None
    try:
        with transaction.atomic(durable=True):
            conclusion = (Conclusion.objects.select_for_update(of=("self",))
                          .select_related("hearing__commune", "hearing__chair", "matter")
                          .get(pk=conclusion.pk))
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
        working_days = conclusion.deadline_working_days
        if working_days is None:  # excluded by the query; a checker cannot know
            continue
        due, explanation = conclusion_deadline(conclusion.hearing, working_days, calendar)
        if due != conclusion.due_date:
            Conclusion.objects.filter(pk=conclusion.pk).update(
                due_date=due, deadline_explanation=explanation)
            count += 1
    return count

