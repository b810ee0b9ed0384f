"""Registering a matter: one transaction, nothing half-saved."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiepdan.core import audit, job_handles
from tiepdan.core.errors import InvalidInput, NotFound
from tiepdan.core.models import Commune

from ..attachments import CheckedFile, new_upload_token
from ..identity.sealing import encrypt_upload, protect_identity
from ..matter_deadlines import start_registration_deadlines
from ..models import Attachment, Channel, Matter, MatterKind, Representative
from ..tracking_codes import new_tracking_code
from .receipt_mail import queue_receipt_email
from .rules import CONSENT_VERSION

log = logging.getLogger(__name__)

#: The job (intake.tasks) that sends the receipt SMS after the commit (IntakeConfig.ready).
SEND_RECEIPT_SMS_JOB = "intake.send_receipt_sms"


_MATTER_FIELDS = (
    "kind", "full_name", "id_type", "id_number", "id_issue_date", "id_issue_place", "gender",
    "date_of_birth", "address", "phone", "email", "summary", "content", "complained_decision",
    "complained_by", "prior_agency", "group_size", "wants_online", "online_reason",
    "online_reason_text", "join_point", "join_point_detail", "identity_protection",
    "in_person_only",
)


def register_matter(
    commune: Commune,
    data: dict[str, Any],
    *,
    channel: Channel,
    files: Sequence[CheckedFile] = (),
    upload_tokens: Iterable[str] = (),
    registered_by: User | None = None,
) -> Matter:
    """Save a validated registration with its representatives and documents, atomically.

    ``data`` is the cleaned data of
    :class:`~tiepdan.intake.registration.forms.RegistrationForm`.  Files that were written to
    storage are removed again if the transaction fails.
    """
    if not commune.is_active:
        raise NotFound(_("Xã này chưa tiếp nhận đơn trên hệ thống."))
    tokens = list(upload_tokens)
    for attempt in range(_TRACKING_CODE_ATTEMPTS):
        try:
            matter = _register_once(commune, data, channel, files, tokens, registered_by)
            break
        except IntegrityError as exc:
            # A tracking-code collision (60 random bits make it rare): the whole registration
            # again with a new code, which costs less than a savepoint around every insert.
            if "tracking_code" not in str(exc) or attempt == _TRACKING_CODE_ATTEMPTS - 1:
                raise
    log.info("matter registered commune=%s code=%s channel=%s",
             commune.ward_code, matter.tracking_code, channel)
    return matter


_TRACKING_CODE_ATTEMPTS = 5


def _register_once(
    commune: Commune, data: dict[str, Any], channel: Channel, files: Sequence[CheckedFile],
    upload_tokens: list[str], registered_by: User | None,
) -> Matter:
    written: list[Attachment] = []
    # Luật Tố cáo Đ47, Đ56: a denunciation's identity is sealed before the transaction ends
    # and its attachments are encrypted before they are written anywhere.
    denunciation = data.get("kind") == MatterKind.TO_CAO
    try:
        with transaction.atomic():
            matter = _create_matter(commune, data, channel, registered_by)
            email = matter.email
            representatives = data.get("representatives") or []
            if representatives:
                Representative.objects.bulk_create(
                    Representative(matter=matter, position=i, **rep)
                    for i, rep in enumerate(representatives, start=1)
                )
            _claim_uploads(commune, matter, upload_tokens)
            for checked in files:
                attachment = Attachment(
                    commune=commune, matter=matter, upload_token=new_upload_token(),
                    original_name=checked.name, content_type=checked.content_type,
                    extension=checked.extension, size=checked.size, pages=checked.pages,
                    sha256=checked.sha256,
                )
                content = checked.data
                if denunciation:
                    content, attachment.key_id = encrypt_upload(content)
                    attachment.encrypted = True
                attachment.file.save(checked.name, ContentFile(content), save=False)
                written.append(attachment)
                attachment.save()
            if denunciation:
                protect_identity(matter)
            start_registration_deadlines(matter)
            if email:
                queue_receipt_email(matter, to=email)
            _queue_receipt_sms(matter.pk)
            # Last: the audit chain lock is held until COMMIT and serialises registrations.
            audit.record("intake.matter.registered", matter, actor=registered_by, commune=commune,
                         data={"tracking_code": matter.tracking_code, "channel": str(channel)})
    except Exception:
        for attachment in written:
            attachment.file.delete(save=False)
        raise
    return matter


def _queue_receipt_sms(matter_id: int) -> None:
    transaction.on_commit(lambda: job_handles.job(SEND_RECEIPT_SMS_JOB)(matter_id))


def _create_matter(
    commune: Commune, data: dict[str, Any], channel: Channel,
    registered_by: User | None,
) -> Matter:
    now = timezone.now()
    fields: dict[str, Any] = {name: data.get(name) for name in _MATTER_FIELDS}
    fields = {k: ("" if v is None and k not in {"id_issue_date"} else v) for k, v in fields.items()}
    # Matter.save adds the search text and the citizen's keyed digests.
    return Matter.objects.create(
        commune=commune, tracking_code=new_tracking_code(),
        address_province_code=data["province"], address_ward_code=data["ward"],
        consent_given_at=now, consent_purpose_version=CONSENT_VERSION,
        channel=channel, registered_by=registered_by, received_at=now, **fields,
    )


def _claim_uploads(commune: Commune, matter: Matter, tokens: list[str]) -> None:
    if not tokens:
        return
    if len(set(tokens)) != len(tokens):
        raise InvalidInput(_("Một tệp được gửi hai lần."), field_errors={
            "attachments": [{"code": "duplicate", "message": "Một tệp được gửi hai lần."}]})
    claimed = Attachment.objects.filter(
        commune=commune, upload_token__in=tokens, matter__isnull=True
    ).update(matter=matter)
    if claimed != len(tokens):
        message = "Tệp đính kèm không tồn tại, đã hết hạn hoặc đã được dùng cho hồ sơ khác."
        raise InvalidInput(message, field_errors={
            "attachments": [{"code": "unknown_upload", "message": message}]})
