"""After the hearing: minutes (biên bản) drafted from the hearing's data, completed and
finalised (then immutable; corrections are new versions); who may read and write minutes and
conclusions.  The conclusions themselves and their notice are ``minutes.conclusions``.

Documents take their numbers durably, so ``issue_minutes_document`` runs outside any
transaction (from ``on_commit``).
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiepdan.core import access, audit, durable
from tiepdan.core.errors import InvalidInput
from tiepdan.core.names import full_name
from tiepdan.documents.layout import Signer
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.documents.services import discard_files, issue_document
from tiepdan.hearings.models import Hearing, HearingStatus
from tiepdan.hearings.paperwork import signer_for

from . import drafting, paperwork
from .confirmation import open_requests
from .errors import MinutesStateError, field_errors
from .models import Minutes, MinutesStatus

logger = logging.getLogger(__name__)

#: The sections the officer writes (form and API field names).
SECTIONS = ("proceedings", "citizen_opinions", "chair_conclusion", "chair_name",
            "secretary_name")


# -- Permissions ------------------------------------------------------------------------------

# Who may read, edit and conclude: ``core.access.READ_MINUTES``, ``EDIT_MINUTES``, ``CONCLUDE``.

#: Refusal of drafting, changing and finalising the minutes to whoever lacks ``EDIT_MINUTES``.
EDIT_DENIED = gettext_lazy("Bạn không có quyền lập, sửa biên bản buổi tiếp của xã này.")


def require_held(hearing: Hearing) -> None:
    """Minutes and conclusions are written only for a hearing that took place."""
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
def draft_minutes(hearing: Hearing, *, actor: User) -> Minutes:
    """Lập dự thảo biên bản from the hearing's data, or refresh the data parts of the draft in
    progress (the officer's sections are kept)."""
    hearing = Hearing.objects.select_for_update().select_related("commune", "chair").get(
        pk=hearing.pk)
    access.check(actor, access.EDIT_MINUTES, hearing.commune, EDIT_DENIED)
    require_held(hearing)
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
        kind = "minutes.minutes.drafted"
        data: dict[str, object] = {"hearing": str(hearing)}
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
def update_sections(minutes: Minutes, *, actor: User,
                    **sections: str) -> Minutes:
    """Save the officer's sections of a draft (only those given)."""
    access.check(actor, access.EDIT_MINUTES, minutes.hearing.commune, EDIT_DENIED)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise InvalidInput(_("Mục không hợp lệ: %(names)s.") % {"names": ", ".join(unknown)})
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


def finalise(minutes: Minutes, *, actor: User) -> Minutes:
    """Hoàn thành biên bản: refuse if a required part is empty; otherwise the version becomes
    final (immutable) and its Biên bản (BB) is issued after commit."""
    with transaction.atomic():
        access.check(actor, access.EDIT_MINUTES, minutes.hearing.commune, EDIT_DENIED)
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


def issue_minutes_document(minutes: Minutes, *, actor: User | None
                           ) -> IssuedDocument:
    """The BB of a final version (issued once; a retry returns it), numbered in its own
    transaction: a document that fails to render takes no number."""
    if actor is not None:  # None: the background job finishing what an editor started
        access.check(actor, access.EDIT_MINUTES, minutes.hearing.commune, EDIT_DENIED)
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
                paperwork.minutes_data(
                    minutes, previous.issued_document().symbol if previous else ""),
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
def new_version(minutes: Minutes, *, actor: User) -> Minutes:
    """Sửa biên bản: version n+1 as a draft copy of the final version n (which stays)."""
    access.check(actor, access.EDIT_MINUTES, minutes.hearing.commune, EDIT_DENIED)
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
