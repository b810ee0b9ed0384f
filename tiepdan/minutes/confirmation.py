"""Xác nhận của công dân (issue 15 §4): the law has the citizen sign the record of a reception;
online, nobody signs on paper.  Once a final Biên bản is issued, each citizen of a matter on the
hearing's agenda (and each representative of a group matter) gets a personal short link to read
it, then either confirms it with a one-time code sent by SMS to the phone on the matter, or
states a disagreement in writing (with the same code: it proves the phone).

The answer is recorded once, with its time, the HMAC digest of the phone (never the number) and
the SHA-256 of the PDF the person read.  A sealed denouncer is reached through the sealed
contact (``intake.identity.sealing.open_sealed``) and named nowhere: their request's label says
only "Người tố cáo (danh tính được giữ bí mật)".

Codes: 6 digits, valid 10 minutes, 5 tries, kept as an HMAC (``salted_hmac`` keyed by the
request) — a code of one person's link never opens another's.  At most ``MAX_CODES_PER_HOUR``
codes per link, one a minute.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiepdan.core import audit, short_links
from tiepdan.core.errors import DomainError, NotFound
from tiepdan.documents.signing import official_sha256
from tiepdan.intake.digests import citizen_digests
from tiepdan.intake.identity.sealing import open_sealed
from tiepdan.intake.models import Matter, Representative
from tiepdan.notify import sms_templates
from tiepdan.notify.services import queue_template_sms

from .models import (
    ConfirmationKind,
    ConfirmationRequest,
    Minutes,
    MinutesConfirmation,
    MinutesStatus,
)

SALT = "tiepdan.minutes.confirmation"
CODE_SALT = "tiepdan.minutes.confirmation_code"
#: The short-link kind of a confirmation page ("b" for biên bản).
SHORT_LINK_KIND = "b"
LINK_MAX_AGE = dt.timedelta(days=90)
CODE_VALIDITY = dt.timedelta(minutes=10)
MAX_TRIES = 5
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_CODES_PER_HOUR = 5
SEALED_LABEL = gettext_lazy("Người tố cáo (danh tính được giữ bí mật)")


class ConfirmationError(DomainError):
    """The answer (or the code asked for) is refused; nothing was recorded."""

    status = 422
    code = "confirmation_refused"


# -- Links ------------------------------------------------------------------------------------


def token_of(request: ConfirmationRequest) -> str:
    return signing.dumps({"r": request.pk, "m": request.minutes_id}, salt=SALT, compress=True)


def page_path(request: ConfirmationRequest) -> str:
    return reverse("minutes:confirm", args=[token_of(request)])


def short_url(request: ConfirmationRequest) -> str:
    return short_links.short_url(SHORT_LINK_KIND, request.pk)


def path_of(pk: int) -> str | None:
    """What a confirmation short link opens (registered in ``MinutesConfig.ready``)."""
    request = ConfirmationRequest.objects.filter(pk=pk).first()
    return page_path(request) if request is not None else None


def request_from_token(token: str) -> ConfirmationRequest:
    message = _(
        "Đường dẫn xác nhận biên bản không đúng hoặc đã hết hạn. Vui lòng kiểm tra lại "
        "tin nhắn của Ủy ban nhân dân."
    )
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise NotFound(message) from None
    request = (
        ConfirmationRequest.objects.select_related(
            "minutes__hearing__commune", "minutes__document", "matter"
        )
        .filter(pk=data.get("r"), minutes_id=data.get("m"))
        .first()
    )
    if request is None or request.minutes.document_id is None:
        raise NotFound(message)
    return request


# -- Who is asked -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    ref: str
    label: str
    sealed: bool


def _people(matter: Matter) -> list[_Person]:
    if matter.identity_sealed:
        return [_Person(f"matter:{matter.pk}", str(SEALED_LABEL), True)]
    people = [_Person(f"matter:{matter.pk}", matter.full_name, False)]
    for rep in matter.representatives.all():
        people.append(
            _Person(
                f"rep:{rep.pk}", _("%(name)s (người đại diện)") % {"name": rep.full_name}, False
            )
        )
    return people


def phone_of(request: ConfirmationRequest) -> str:
    """The phone the code goes to, read when needed (never stored with the request)."""
    return _phone(request.matter, request.participant_ref)


def _phone(matter: Matter, ref: str) -> str:
    kind, _sep, pk = ref.partition(":")
    if kind == "rep":
        return (
            Representative.objects.filter(pk=pk, matter=matter)
            .values_list("phone", flat=True)
            .first()
            or ""
        )
    if matter.identity_sealed:
        return open_sealed(matter).phone  # the denouncer's own message
    return matter.phone


def phone_digest(phone: str) -> str:
    return citizen_digests("", phone)[1]


def open_requests(minutes: Minutes) -> int:
    """Ask everyone of the hearing's agenda to confirm the issued Biên bản of ``minutes``: one
    request per person with a phone, and its SMS (queued, sent after commit).  Idempotent."""
    hearing = minutes.hearing
    date = timezone.localdate(hearing.starts_at).strftime("%d/%m/%Y")
    created = 0
    seen: set[str] = set()
    for item in hearing.agenda.select_related("matter").order_by("id"):
        for person in _people(item.matter):
            phone = _phone(item.matter, person.ref)
            digest = phone_digest(phone)
            if not phone or digest in seen:
                continue  # nobody to send a code to, or the same phone asked already
            seen.add(digest)
            request, new = ConfirmationRequest.objects.get_or_create(
                minutes=minutes,
                participant_ref=person.ref,
                defaults={
                    "matter": item.matter,
                    "label": person.label[:160],
                    "sealed": person.sealed,
                },
            )
            if not new:
                continue
            queue_template_sms(
                sms_templates.MINUTES_CONFIRMATION,
                commune=hearing.commune,
                to=phone,
                link=short_url(request),
                obj=request,
                date=date,
            )
            created += 1
    if created:
        audit.record(
            "minutes.confirmation_links.sent",
            minutes,
            actor=None,
            commune=hearing.commune,
            data={"count": created, "version": minutes.version, "hearing": str(hearing)},
        )
    return created


# -- Codes ------------------------------------------------------------------------------------


def _digest(request: ConfirmationRequest, code: str) -> str:
    return salted_hmac(CODE_SALT, f"{request.pk}:{code}", algorithm="sha256").hexdigest()


def _check_open(request: ConfirmationRequest) -> None:
    response = MinutesConfirmation.objects.filter(request=request).first()
    if response is not None:
        raise ConfirmationError(
            _("Bạn đã gửi ý kiến về biên bản này lúc %(when)s; mỗi người chỉ xác nhận một lần.")
            % {"when": timezone.localtime(response.responded_at).strftime("%H:%M %d/%m/%Y")},
            code="already_answered",
        )
    if is_superseded(request):
        raise ConfirmationError(superseded_message(), code="superseded")


def superseded_message() -> str:
    return _(
        "Biên bản này đã được thay bằng phiên bản sửa đổi; bạn sẽ nhận đường dẫn xác nhận bản mới."
    )


def is_superseded(request: ConfirmationRequest) -> bool:
    """A later final version replaces the one this request asks about."""
    return Minutes.objects.filter(
        hearing_id=request.minutes.hearing_id,
        version__gt=request.minutes.version,
        status=MinutesStatus.FINAL,
    ).exists()


def send_code(request: ConfirmationRequest) -> None:
    """Send a new one-time code to the person's phone (the previous one stops working)."""
    now = timezone.now()
    with transaction.atomic():
        request = (
            ConfirmationRequest.objects.select_for_update(of=("self",))
            .select_related("minutes__hearing__commune", "matter")
            .get(pk=request.pk)
        )
        _check_open(request)
        last = request.code_sent_at
        if last is not None and now - last < RESEND_AFTER:
            wait = int((RESEND_AFTER - (now - last)).total_seconds()) + 1
            raise ConfirmationError(
                _("Mã vừa được gửi; vui lòng chờ %(seconds)s giây rồi gửi lại.")
                % {"seconds": wait},
                code="too_soon",
            )
        recent = (
            request.codes_sent if last is not None and now - last < dt.timedelta(hours=1) else 0
        )
        if recent >= MAX_CODES_PER_HOUR:
            raise ConfirmationError(
                _("Bạn đã yêu cầu quá nhiều mã trong một giờ; vui lòng thử lại sau."),
                code="too_many_codes",
            )
        phone = phone_of(request)
        if not phone:
            raise ConfirmationError(_("Hồ sơ không có số điện thoại để nhận mã."), code="no_phone")
        code = f"{secrets.randbelow(10**6):06d}"
        request.code_digest, request.code_expires_at = _digest(request, code), now + CODE_VALIDITY
        request.code_attempts, request.code_sent_at = 0, now
        request.codes_sent = recent + 1
        request.save(
            update_fields=[
                "code_digest",
                "code_expires_at",
                "code_attempts",
                "code_sent_at",
                "codes_sent",
            ]
        )
        queue_template_sms(
            sms_templates.MINUTES_CONFIRMATION_CODE,
            commune=request.minutes.hearing.commune,
            to=phone,
            link=short_url(request),
            obj=request,
            otp=code,
        )


def _check_code(request: ConfirmationRequest, code: str) -> str | None:
    """None when ``code`` is the one in force; else the message (a wrong try is counted)."""
    if not request.code_digest:
        return _(
            "Chưa có mã xác nhận hoặc mã đã được dùng; bấm “Gửi mã xác nhận” để nhận mã "
            "qua tin nhắn."
        )
    if request.code_attempts >= MAX_TRIES:
        return _(
            "Bạn đã nhập sai mã %(n)s lần; mã này không còn dùng được. Bấm “Gửi mã xác "
            "nhận” để nhận mã mới."
        ) % {"n": MAX_TRIES}
    if request.code_expires_at is None or request.code_expires_at <= timezone.now():
        return _(
            "Mã xác nhận đã hết hạn (mã có hiệu lực 10 phút). Bấm “Gửi mã xác nhận” để nhận mã mới."
        )
    if not constant_time_compare(_digest(request, code), request.code_digest):
        request.code_attempts += 1
        request.save(update_fields=["code_attempts"])
        left = MAX_TRIES - request.code_attempts
        if left <= 0:
            return _(
                "Mã xác nhận không đúng. Bạn đã nhập sai %(n)s lần; bấm “Gửi mã xác "
                "nhận” để nhận mã mới."
            ) % {"n": MAX_TRIES}
        return _("Mã xác nhận không đúng. Bạn còn %(left)s lần thử.") % {"left": left}
    return None


# -- The answer -------------------------------------------------------------------------------


def respond(
    request: ConfirmationRequest,
    *,
    code: str,
    kind: str,
    document_sha256: str,
    disagreement: str = "",
) -> MinutesConfirmation:
    """Record the person's confirmation (or disagreement) of the version they read."""
    if kind not in ConfirmationKind.values:
        raise ConfirmationError(_("Chọn xác nhận hoặc không đồng ý."), code="invalid")
    disagreement = (disagreement or "").strip()
    if kind == ConfirmationKind.DISAGREED and not disagreement:
        raise ConfirmationError(_("Ghi rõ nội dung bạn không đồng ý."), code="required")
    refused = None
    with transaction.atomic():
        request = (
            ConfirmationRequest.objects.select_for_update(of=("self",))
            .select_related("minutes__hearing__commune", "minutes__document", "matter")
            .get(pk=request.pk)
        )
        _check_open(request)
        document = request.minutes.document
        current = official_sha256(document)
        if document_sha256 != current:
            raise ConfirmationError(
                _(
                    "Biên bản vừa được cập nhật (thêm chữ ký số) sau khi bạn "
                    "mở trang; vui lòng đọc lại bản mới rồi xác nhận."
                ),
                code="stale_version",
            )
        # A wrong try is saved (it counts), so the refusal is raised after this block.
        refused = _check_code(request, code)
        if refused is None:
            phone = phone_of(request)
            confirmation = MinutesConfirmation.objects.create(
                request=request,
                kind=kind,
                responded_at=timezone.now(),
                phone_digest=phone_digest(phone),
                document_sha256=current,
                disagreement=disagreement if kind == ConfirmationKind.DISAGREED else "",
            )
            request.code_digest, request.code_expires_at = "", None
            request.save(update_fields=["code_digest", "code_expires_at"])
            hearing = request.minutes.hearing
            who = request.label if not request.sealed else str(SEALED_LABEL)
            audit.record(
                "minutes.confirmation.recorded",
                confirmation,
                actor=None,
                commune=hearing.commune,
                data={"who": who, "answer": confirmation.get_kind_display().lower(),
                      "symbol": document.symbol, "digest": current[:12]},
            )
    if refused is not None:
        raise ConfirmationError(refused, code="wrong_code")
    return confirmation


# -- What staff see ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfirmationRow:
    label: str
    ref: str
    kind: str
    kind_label: str
    responded_at: dt.datetime | None
    phone_digest: str
    document_sha256: str
    disagreement: str


def rows_of(minutes: Minutes) -> list[ConfirmationRow]:
    rows = []
    for request in minutes.confirmation_requests.select_related("response").order_by("id"):
        response = getattr(request, "response", None)
        rows.append(
            ConfirmationRow(
                label=str(SEALED_LABEL) if request.sealed else request.label,
                ref=request.participant_ref,
                kind=response.kind if response else "",
                kind_label=str(response.get_kind_display()) if response else _("Chưa trả lời"),
                responded_at=response.responded_at if response else None,
                phone_digest=response.phone_digest if response else "",
                document_sha256=response.document_sha256 if response else "",
                disagreement=response.disagreement if response else "",
            )
        )
    return rows
