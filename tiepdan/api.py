"""The JSON API (django-ninja) under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Each domain app contributes one router; errors share one JSON shape:
``{"code": ..., "message": ..., "errors": {field: [{"code": ..., "message": ...}]}}``.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer

from tiepdan.core.api_errors import document_errors
from tiepdan.core.errors import DomainError, NotFound, TooManyRequests
from tiepdan.core.schemas import ERROR_TYPE as TEXT_ERROR
from tiepdan.core.views.errors import database_is_down, database_unavailable
from tiepdan.followup.api import router as followup_router
from tiepdan.hearings.api import public_router as hearings_public_router
from tiepdan.hearings.api import router as hearings_router
from tiepdan.intake.links.api import router as intake_links_router
from tiepdan.intake.register.api import router as register_router
from tiepdan.intake.registration.api import router as intake_router
from tiepdan.intake.staff_api import router as intake_staff_router
from tiepdan.intake.triage.api import router as intake_triage_router
from tiepdan.minutes.api import router as minutes_router
from tiepdan.reports.api import router as reports_router

log = logging.getLogger(__name__)


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese text stays readable


class Api(NinjaAPI):
    """The product's API: every operation's error statuses documented by the one rule of
    ``core.api_errors`` (applied where ninja binds the routers' operations, so the served
    operations and the schema are the same objects)."""

    def _get_bound_routers(self):
        bound = super()._get_bound_routers()
        for router in bound:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    document_errors(operation)
        return bound


api = Api(
    renderer=Utf8JSONRenderer(),
    title="Tiếp Dân API",
    version="1",
    description="Đăng ký tiếp công dân (trực tuyến), tra cứu trạng thái hồ sơ.",
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, code: str, message: str, errors=None) -> HttpResponse:
    body = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = _error(request, exc.status, exc.code, str(exc.message), exc.field_errors or None)
    if isinstance(exc, TooManyRequests) and exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _schema_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[dict[str, str]]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        field = ".".join(loc) or "__all__"
        if item.get("type") == TEXT_ERROR:  # core.schemas: its own code and message
            errors.setdefault(field, []).append({"code": TEXT_ERROR, "message": item["msg"]})
            continue
        if item.get("type") in ("literal_error", "enum"):  # core.api_types.one_of
            errors.setdefault(field, []).append(
                {"code": "invalid_choice", "message": "Giá trị không có trong danh sách cho phép."}
            )
            continue
        errors.setdefault(field, []).append(
            {"code": "invalid", "message": "Giá trị không hợp lệ hoặc sai kiểu dữ liệu."}
        )
    return _error(request, 422, "validation_error", "Dữ liệu gửi lên không hợp lệ.", errors)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _error(
        request, 429, "rate_limited", "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."
    )
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Cần đăng nhập.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(NotFound.default_message))


@api.exception_handler(MultiPartParserError)
def _malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    log.info("malformed multipart body path=%s", request.path)
    return _error(request, 400, "malformed_body",
                  "Nội dung gửi lên bị hỏng hoặc sai định dạng multipart/form-data.")


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Too many fields, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a bad file name: the client's
    # fault, logged without its content.
    log.info("refused request path=%s reason=%s", request.path, type(exc).__name__)
    if isinstance(exc, RequestDataTooBig):
        return _error(request, 413, "body_too_large", "Nội dung gửi lên quá lớn.")
    return _error(request, 400, "bad_request", "Yêu cầu không hợp lệ.")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if database_is_down(exc):
        log.warning("database unavailable path=%s error=%s", request.path, type(exc).__name__)
        return database_unavailable(request)
    log.exception("unexpected error path=%s", request.path)
    return _error(request, 500, "server_error", "Hệ thống gặp sự cố. Vui lòng thử lại sau ít phút.")


class HealthOut(Schema):
    status: str


@api.get("/health", response=HealthOut, tags=["system"],
         summary="Liveness check (trivial endpoint)")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


def _register_routers() -> None:
    api.add_router("", intake_router)
    api.add_router("", hearings_public_router)
    api.add_router("/staff", intake_staff_router)
    api.add_router("/staff", hearings_router)
    api.add_router("/staff", intake_triage_router)
    api.add_router("/staff", intake_links_router)
    api.add_router("/staff", register_router)
    api.add_router("/staff", followup_router)
    api.add_router("/staff", minutes_router)
    api.add_router("/staff", reports_router)


_register_routers()
