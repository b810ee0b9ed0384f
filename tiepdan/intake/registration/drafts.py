"""Registration drafts: the answers of the step-by-step public registration, kept server-side
for 24 hours under a random token held in the citizen's session (never in a URL), with the
files uploaded so far.  Nothing becomes a matter before :func:`submit_draft`."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiepdan.core.errors import DomainError
from tiepdan.core.models import Commune

from ..attachments import CheckedFile, check_count
from ..identity import keys as identity_keys
from ..models import Attachment, Channel, Matter, RegistrationDraft
from .rules import DRAFT_TTL
from .services import register_matter
from .uploads import store_upload

SESSION_DRAFTS = "intake_drafts"


class DraftRefused(DomainError):
    """A submit or an upload for a draft that is not (or no longer) this device's."""


STALE = _("Bản nháp đơn của bạn đã hết hạn (quá 24 giờ) hoặc không còn. Đơn chưa được gửi; "
          "vui lòng điền lại từ đầu.")
FOREIGN = _("Bản nháp này không phải của thiết bị đang dùng (có thể bạn đã bắt đầu một đơn "
            "khác ở thẻ khác). Đơn chưa được gửi; vui lòng kiểm tra lại các câu trả lời.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _tokens(session: Any) -> dict[str, str]:
    return dict(session.get(SESSION_DRAFTS, {}))


def current_draft(session: Any, commune: Commune) -> RegistrationDraft | None:
    """The live draft of this session for ``commune``, or ``None``."""
    token = _tokens(session).get(str(commune.ward_code))
    if not token:
        return None
    return RegistrationDraft.objects.filter(
        token_digest=_digest(token), commune=commune, expires_at__gt=timezone.now()).first()


def draft_for_update(session: Any, commune: Commune) -> RegistrationDraft:
    """This session's live draft for ``commune``, started now if there is none."""
    draft = current_draft(session, commune)
    if draft is not None:
        return draft
    token = secrets.token_urlsafe(32)
    draft = RegistrationDraft.objects.create(
        token_digest=_digest(token), commune=commune,
        expires_at=timezone.now() + DRAFT_TTL)
    session[SESSION_DRAFTS] = {**_tokens(session), str(commune.ward_code): token}
    return draft


def answers(draft: RegistrationDraft | None) -> dict[str, str]:
    """The raw answers kept in ``draft`` so far."""
    if draft is None or not draft.ciphertext:
        return {}
    return json.loads(identity_keys.decrypt(draft.ciphertext.encode("ascii")))


def save_answers(draft: RegistrationDraft, new: dict[str, str]) -> None:
    """Keep the (already validated) raw answers of one step, encrypted."""
    merged = {**answers(draft), **new}
    draft.ciphertext = identity_keys.encrypt(
        json.dumps(merged, ensure_ascii=False).encode("utf-8")).decode("ascii")
    draft.save(update_fields=["ciphertext", "updated_at"])


def uploads_of(draft: RegistrationDraft | None) -> list[Attachment]:
    if draft is None:
        return []
    return list(draft.uploads.filter(matter__isnull=True).order_by("pk"))


def add_upload(draft: RegistrationDraft, checked: CheckedFile) -> Attachment:
    """Store one checked file for ``draft`` (``ValidationError`` when it would be one too
    many)."""
    check_count(draft.uploads.filter(matter__isnull=True).count() + 1)
    attachment = store_upload(draft.commune, checked)
    Attachment.objects.filter(pk=attachment.pk).update(draft=draft)
    attachment.draft = draft
    return attachment


def remove_upload(draft: RegistrationDraft, upload_id: str) -> bool:
    """Delete one of the draft's files (by its upload token); ``False`` if it has none such."""
    attachment = draft.uploads.filter(upload_token=upload_id, matter__isnull=True).first()
    if attachment is None:
        return False
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    return True


def check_submitted_draft(session: Any, commune: Commune, posted_id: str) -> RegistrationDraft:
    """The draft a final submit may use: this session's live draft, and the one whose answers
    the citizen checked (``posted_id``); ``DraftRefused`` otherwise."""
    draft = current_draft(session, commune)
    if draft is None:
        raise DraftRefused(STALE, code="draft_stale")
    if str(draft.pk) != (posted_id or "").strip():
        raise DraftRefused(FOREIGN, code="draft_foreign")
    return draft


def submit_draft(draft: RegistrationDraft, cleaned: dict[str, Any], session: Any) -> Matter:
    """Register the matter of ``draft`` (``cleaned`` is the whole form's cleaned data) with its
    uploaded files, then forget the draft — one transaction."""
    with transaction.atomic():
        locked = RegistrationDraft.objects.select_for_update().filter(
            pk=draft.pk, expires_at__gt=timezone.now()).first()
        if locked is None:
            raise DraftRefused(STALE, code="draft_stale")
        tokens = [a.upload_token for a in uploads_of(locked)]
        matter = register_matter(draft.commune, cleaned, channel=Channel.ONLINE_FORM,
                                 upload_tokens=tokens)
        locked.delete()
    tokens_left = _tokens(session)
    tokens_left.pop(str(draft.commune.ward_code), None)
    session[SESSION_DRAFTS] = tokens_left
    return matter

