"""Registering a matter: one transaction, nothing half-saved."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiepdan.core import audit
from tiepdan.core.errors import InvalidInput, NotFound, TooManyRequests
from tiepdan.core.models import Commune

from .attachments import CheckedFile, new_upload_token
from .matter_deadlines import start_registration_deadlines
from .models import Attachment, Channel, Matter, MatterKind, Representative
from .protection import citizen_digests, encrypt_upload, protect_identity
from .receipt_mail import queue_receipt_email
from .rules import CONSENT_VERSION

log = logging.getLogger(__name__)

# Crockford base32 without I, L, O, U: easy to read aloud and to type.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_GROUPS = 3  # 3 × 4 characters = 60 random bits


def new_tracking_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(4 * _CODE_GROUPS))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def normalize_tracking_code(raw: str) -> str:
    cleaned = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


_MATTER_FIELDS = (
    "kind", "full_name", "id_type", "id_number", "id_issue_date", "id_issue_place", "gender",
    "date_of_birth", "address", "phone", "email", "summary", "content", "complained_decision",
    "complained_by", "prior_agency", "group_size", "wants_online", "online_reason",
    "online_reason_text", "join_point", "join_point_detail", "identity_protection",
    "in_person_only",
)


QUOTA_WINDOW = timedelta(hours=24)


def check_upload_quota(client: str, size: int) -> None:
    """Refuse an upload that would take ``client`` over UPLOAD_QUOTA_BYTES of unclaimed files
    within 24 hours (unclaimed uploads are kept that long; without a cap one client fills the
    disk)."""
    since = timezone.now() - QUOTA_WINDOW
    held = Attachment.objects.filter(matter__isnull=True, uploaded_from=client,
                                     uploaded_at__gte=since)
    figures = held.aggregate(total=Sum("size"), oldest=Min("uploaded_at"))
    if (figures["total"] or 0) + size <= settings.UPLOAD_QUOTA_BYTES:
        return
    wait = QUOTA_WINDOW - (timezone.now() - (figures["oldest"] or timezone.now()))
    raise TooManyRequests(
        _("Bạn đã tải lên quá nhiều tệp chưa gắn với đơn nào trong 24 giờ qua. Vui lòng gửi đơn "
          "với các tệp đã tải lên hoặc thử lại sau."),
        code="upload_quota_exceeded", retry_after=max(int(wait.total_seconds()), 1))


def store_upload(commune: Commune, checked: CheckedFile, *, client: str | None = None
                 ) -> Attachment:
    """Store a file uploaded ahead of its registration (API); it waits for a matter to claim it.
    ``client`` is the uploader's address, counted against its quota."""
    if client is not None:
        check_upload_quota(client, checked.size)
    attachment = Attachment(
        commune=commune, upload_token=new_upload_token(), original_name=checked.name,
        content_type=checked.content_type, extension=checked.extension, size=checked.size,
        pages=checked.pages, sha256=checked.sha256, uploaded_from=client,
    )
    attachment.file.save(checked.name, ContentFile(checked.data), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


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

    ``data`` is the cleaned data of :class:`~tiepdan.intake.forms.RegistrationForm`.  Files that
    were written to storage are removed again if the transaction fails.
    """
    if not commune.is_active:
        raise NotFound(_("Xã này chưa tiếp nhận đơn trên hệ thống."))
    written: list[Attachment] = []
    # Luật Tố cáo Đ47, Đ56: a denunciation's identity is sealed before the transaction ends
    # and its attachments are encrypted before they are written anywhere.
    denunciation = data.get("kind") == MatterKind.TO_CAO
    try:
        with transaction.atomic():
            matter = _create_matter(commune, data, channel, registered_by)
            email = matter.email
            Representative.objects.bulk_create(
                Representative(matter=matter, position=i, **rep)
                for i, rep in enumerate(data.get("representatives", []), start=1)
            )
            _claim_uploads(commune, matter, list(upload_tokens))
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
    log.info("matter registered commune=%s code=%s channel=%s",
             commune.ward_code, matter.tracking_code, channel)
    return matter


def _queue_receipt_sms(matter_id: int) -> None:
    from .tasks import send_receipt_sms  # tasks → receipt_sms → status → registration

    transaction.on_commit(lambda: send_receipt_sms(matter_id))


def _create_matter(
    commune: Commune, data: dict[str, Any], channel: Channel,
    registered_by: User | None,
) -> Matter:
    now = timezone.now()
    fields: dict[str, Any] = {name: data.get(name) for name in _MATTER_FIELDS}
    fields = {k: ("" if v is None and k not in {"id_issue_date"} else v) for k, v in fields.items()}
    fields["id_digest"], fields["phone_digest"] = citizen_digests(
        fields["id_number"], fields["phone"])
    for attempt in range(5):
        try:
            with transaction.atomic():
                return Matter.objects.create(
                    commune=commune, tracking_code=new_tracking_code(),
                    address_province_code=data["province"], address_ward_code=data["ward"],
                    consent_given_at=now, consent_purpose_version=CONSENT_VERSION,
                    channel=channel, registered_by=registered_by, received_at=now, **fields,
                )
        except IntegrityError:  # a tracking-code collision: 60 random bits make it rare
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


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
