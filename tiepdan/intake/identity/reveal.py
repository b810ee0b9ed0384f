"""Reading a protected identity back (Luật Tố cáo Đ47 k1 e, Đ56): only the roles the law allows
(``Perm.REVEAL_IDENTITY``: the Chairman who resolves the denunciation and the officer who receives
it), only with a stated reason, and every time in the personal-data access log.  Everyone
else — verifiers included — works from the masks and the redacted copy.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tiepdan.core import access, access_log
from tiepdan.core.access import Perm
from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.core.models import Commune

from ..models import Attachment, Matter
from . import keys as identity_keys
from .redaction import redact
from .sealing import Identity, open_sealed, plain_identity

REASON_MAX = 1000



class NotProtected(DomainError):
    status = 409
    code = "not_protected"


def _check(user: User | AnonymousUser, commune: Commune, reason: str) -> str:
    access.check(user, Perm.REVEAL_IDENTITY, commune,
                 _("Bạn không có quyền xem danh tính người tố cáo."))
    reason = (reason or "").strip()
    if not reason:
        message = _("Cần ghi rõ lý do xem danh tính người tố cáo.")
        raise InvalidInput(message, code="reason_required", field_errors={
            "reason": [{"code": "required", "message": message}]})
    return reason[:REASON_MAX]


def reveal_identity(
    matter: Matter, *, actor: User | AnonymousUser, reason: str, request: HttpRequest | None = None
) -> Identity:
    """The real identity of a sealed matter, for ``actor`` with ``reason``; audited."""
    reason = _check(actor, matter.commune, reason)
    if not matter.identity_sealed:
        raise NotProtected(_("Hồ sơ này không có danh tính được giữ bí mật."))
    identity = open_sealed(matter)
    access_log.log_access("intake.identity.revealed", matter, actor=actor, commune=matter.commune,
                          request=request, reason=reason,
                          data={"tracking_code": matter.tracking_code})
    return identity


def open_withheld_attachment(
    attachment: Attachment, *, actor: User | AnonymousUser, reason: str,
    request: HttpRequest | None = None,
) -> tuple[bytes, str]:
    """(plain content, original file name) of an encrypted attachment; audited."""
    matter = attachment.matter
    if matter is None:  # an upload not yet sent with a matter is never encrypted
        raise ValueError(f"attachment {attachment.pk} belongs to no matter")
    reason = _check(actor, attachment.commune, reason)
    with attachment.file.open("rb") as handle:
        data = identity_keys.decrypt(handle.read())
    identity = open_sealed(matter) if matter.identity_sealed else None
    name = (identity.attachment_names.get(str(attachment.pk)) if identity else None) or \
        attachment.original_name
    access_log.log_access("intake.withheld_attachment.downloaded", attachment, actor=actor,
                          commune=attachment.commune, request=request, reason=reason,
                          data={"tracking_code": matter.tracking_code})
    return data, name


def own_identity(matter: Matter) -> Identity:
    """The identity, for the citizen's own receipt (their own data; not a staff reveal)."""
    return open_sealed(matter) if matter.identity_sealed else plain_identity(matter)


def redacted_copy(
    matter: Matter, *, actor: User | AnonymousUser, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Bản sao đã che danh tính: the petition for those who verify it, without the identity of
    the petitioner and with the attachments withheld.  Shown, not kept: a read of the petition,
    in the personal-data access log."""
    access.check(actor, Perm.VIEW_MATTERS, matter.commune,
                 _("Bạn không có quyền xem bản sao hồ sơ của xã này."))
    # A sealed matter's columns are already redacted; others are redacted here.
    pattern = None if matter.identity_sealed else plain_identity(matter).pattern()
    copy = {
        "tracking_code": matter.tracking_code, "kind": matter.kind,
        "kind_display": str(matter.get_kind_display()), "received_at": matter.received_at,
        "status_display": str(matter.get_status_display()), "group_size": matter.group_size,
        **{name: redact(getattr(matter, name), pattern) for name in (
            "summary", "content", "complained_decision", "complained_by", "prior_agency")},
        "attachments": [{"position": i, "extension": a.extension, "pages": a.pages}
                        for i, a in enumerate(matter.attachments.all(), start=1)],
    }
    access_log.log_access("intake.redacted_copy.viewed", matter, actor=actor,
                          commune=matter.commune, request=request,
                          data={"tracking_code": matter.tracking_code})
    return copy
