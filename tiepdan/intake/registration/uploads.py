"""Files uploaded ahead of their registration (the API's uploads endpoint, a step of the public
registration): stored at once, capped per client, claimed by the registration that names them,
and deleted when no registration claimed them within a day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiepdan.core.errors import TooManyRequests
from tiepdan.core.models import Commune

from ..attachments import CheckedFile, new_upload_token
from ..models import Attachment, RegistrationDraft
from .rules import DRAFT_TTL

QUOTA_WINDOW = dt.timedelta(hours=24)


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


def purge_expired(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete expired drafts and the files uploaded more than 24 hours ago that no matter
    claimed: (drafts, files) deleted."""
    now = now or timezone.now()
    drafts, _by_type = RegistrationDraft.objects.filter(expires_at__lte=now).delete()
    stale = list(Attachment.objects.filter(matter__isnull=True,
                                           uploaded_at__lt=now - DRAFT_TTL))
    for attachment in stale:
        attachment.file.delete(save=False)
        attachment.delete()
    return drafts, len(stale)
