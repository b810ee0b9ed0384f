"""Public registration API: communes, registrations, uploads and status lookup.

Handlers only translate JSON to the registration form (the one place of validation) and call the
registration service.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from tiepdan.core import idempotency
from tiepdan.core.api_types import Id, Ref, one_of
from tiepdan.core.client_address import client_address
from tiepdan.core.errors import InvalidInput
from tiepdan.core.models import Commune
from tiepdan.core.schemas import InputSchema, Line
from tiepdan.core.selectors import commune_get
from tiepdan.core.throttling import ClientThrottle

from ..attachments import check_count, check_file
from ..models import Channel, Gender, IdType, JoinPoint, MatterKind, OnlineReason
from ..status import citizen_status_text, find_for_citizen, public_status_text
from .forms import RegistrationForm
from .rules import MAX_REPRESENTATIVES
from .services import register_matter
from .uploads import store_upload

router = Router(tags=["Đăng ký tiếp công dân"])


class CommuneOut(Schema):
    ward_code: int
    name: str
    province_code: int
    province_name: str
    reception_address: str


class RepresentativeIn(InputSchema):
    full_name: str
    phone: str | None = None


class RegistrationIn(InputSchema):
    multiline = frozenset({"content"})
    full_name: str
    id_type: Annotated[str, one_of(IdType)]
    id_number: str
    id_issue_date: str | None = Field(None, description="YYYY-MM-DD")
    id_issue_place: str | None = None
    gender: Annotated[str, one_of(Gender, blank=True)] | None = None
    date_of_birth: str = Field(description="YYYY-MM-DD", examples=["1990-05-01"])
    phone: str = Field(description="Vietnamese mobile number, e.g. 0912345678")
    email: str | None = None
    address: str
    address_province: Ref | None = Field(None, description="Province code; default: commune's")
    address_ward: Ref | None = Field(None, description="Ward code; default: the commune itself")
    kind: Annotated[str, one_of(MatterKind)]
    summary: str
    content: str
    complained_decision: str | None = None
    complained_by: str | None = None
    prior_agency: str | None = None
    group_size: int | None = Field(None, description="Number of people (group matter from 5)")
    representatives: list[RepresentativeIn] = []
    wants_online: bool = False
    online_reason: Annotated[str, one_of(OnlineReason, blank=True)] | None = None
    online_reason_text: str | None = None
    join_point: Annotated[str, one_of(JoinPoint, blank=True)] | None = None
    join_point_detail: str | None = None
    identity_protection: bool = False
    consent: bool = False
    attachments: list[str] = Field([], description="upload_id values from the uploads endpoint")


class RegistrationOut(Schema):
    tracking_code: str
    status: str
    status_text: str
    in_person_only: bool


class UploadOut(Schema):
    upload_id: str
    name: str
    content_type: str
    size: int
    pages: int


class StatusOut(Schema):
    tracking_code: str
    commune: str
    kind: str
    status: str
    status_text: str
    received_at: str


# Form field → API field, for error messages.
_FIELD_NAMES = {"province": "address_province", "ward": "address_ward", "is_group": "group_size"}


def _api_field(name: str) -> str:
    if name.startswith("rep_"):
        return "representatives"
    return _FIELD_NAMES.get(name, name)


def _form_data(payload: RegistrationIn, commune: Commune) -> dict[str, Any]:
    data = payload.dict(exclude={"representatives", "attachments", "address_province",
                                 "address_ward", "consent"})
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["province"] = payload.address_province or commune.city.province_code
    data["ward"] = payload.address_ward or commune.ward_code
    data["consent"] = payload.consent
    data["is_group"] = bool(payload.group_size and payload.group_size > 1)
    if payload.wants_online and not payload.join_point:
        # The commune hall is the normal central point (Quy chế Điều 3.2).
        data["join_point"] = "commune_hall"
    for i, rep in enumerate(payload.representatives, start=1):
        data[f"rep_{i}_name"] = rep.full_name
        data[f"rep_{i}_phone"] = rep.phone or ""
    return data


def _raise_form_errors(form: RegistrationForm) -> None:
    errors: dict[str, list[dict[str, str]]] = {}
    for field, items in form.errors.as_data().items():
        target = errors.setdefault(_api_field(field), [])
        for error in items:
            for message in error.messages:
                target.append({"code": error.code or "invalid", "message": message})
    raise InvalidInput(_("Dữ liệu đăng ký chưa hợp lệ, vui lòng kiểm tra các trường bị báo lỗi."),
                       field_errors=errors)


@router.get("/communes", response=list[CommuneOut], summary="Communes served by this deployment")
def list_communes(request: HttpRequest, province: Ref | None = None) -> list[dict[str, Any]]:
    qs = Commune.objects.filter(is_active=True).select_related("city").order_by("name")
    if province is not None:
        qs = qs.filter(city__province_code=province)
    return [
        {"ward_code": c.ward_code, "name": c.name, "province_code": c.city.province_code,
         "province_name": c.city.name, "reception_address": c.reception_address}
        for c in qs
    ]


@router.post(
    "/communes/{ward_code}/registrations",
    response={201: RegistrationOut},
    throttle=[ClientThrottle("registration", settings.REGISTRATION_RATE)],
    openapi_extra=idempotency.OPENAPI_HEADER,
    summary="Register a matter (same rules as the public form)",
)
def create_registration(
    request: HttpRequest, ward_code: Id, payload: RegistrationIn
) -> Status:
    commune = commune_get(ward_code)
    if len(payload.representatives) > MAX_REPRESENTATIVES:
        raise InvalidInput(_("Dữ liệu đăng ký chưa hợp lệ."), field_errors={"representatives": [{
            "code": "too_many_representatives",
            "message": _("Tối đa %(n)s người đại diện (Luật Tiếp công dân Điều 29).")
            % {"n": MAX_REPRESENTATIVES}}]})
    try:
        check_count(len(payload.attachments))
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field_errors={"attachments": [
            {"code": exc.code or "invalid", "message": exc.messages[0]}]}) from exc
    form = RegistrationForm(data=_form_data(payload, commune))
    if not form.is_valid():
        _raise_form_errors(form)

    def register() -> tuple[int, dict[str, Any]]:
        matter = register_matter(commune, form.cleaned_data, channel=Channel.API,
                                 upload_tokens=payload.attachments)
        # Only what was committed: no query may fail after the COMMIT (a dropped connection
        # would report a stored matter as failed, and the retry would make a duplicate).
        return 201, {"tracking_code": matter.tracking_code, "status": matter.status,
                     "status_text": public_status_text(matter.status),
                     "in_person_only": matter.in_person_only}

    return Status(*idempotency.once(request, f"registration:{commune.pk}", payload.dict(),
                                    register))


@router.post(
    "/communes/{ward_code}/uploads",
    response={201: UploadOut},
    throttle=[ClientThrottle("upload", settings.UPLOAD_RATE)],
    openapi_extra=idempotency.OPENAPI_HEADER,
    summary="Upload one attachment (multipart); pass its upload_id in a registration",
)
def upload_attachment(
    request: HttpRequest, ward_code: Id, file: UploadedFile = File(...)
) -> Status:
    commune = commune_get(ward_code)
    try:
        checked = check_file(file.name or "", file, file.size)
    except ValidationError as exc:
        message = exc.messages[0]
        raise InvalidInput(message, field_errors={"file": [
            {"code": exc.code or "invalid", "message": message}]}) from exc

    def store() -> tuple[int, dict[str, Any]]:
        attachment = store_upload(commune, checked, client=client_address(request))
        return 201, {"upload_id": attachment.upload_token, "name": attachment.original_name,
                     "content_type": attachment.content_type, "size": attachment.size,
                     "pages": attachment.pages}

    content = {"name": checked.name, "sha256": checked.sha256}
    return Status(*idempotency.once(request, f"upload:{commune.pk}", content, store))


class LookupQuery(InputSchema):
    phone: str = ""


@router.get(
    "/registrations/{tracking_code}",
    response={200: StatusOut},
    throttle=[ClientThrottle("lookup", settings.LOOKUP_RATE)],
    summary="Public status of a matter (tracking code + phone number)",
)
def registration_status(
    request: HttpRequest, tracking_code: Line, query: Query[LookupQuery]
) -> dict[str, Any]:
    matter = find_for_citizen(tracking_code, query.phone)
    return {"tracking_code": matter.tracking_code, "commune": matter.commune.name,
            "kind": matter.kind, "status": matter.status,
            "status_text": citizen_status_text(matter),
            "received_at": matter.received_at.isoformat()}
