"""The OpenAPI schema documents, for every operation, the error statuses the rule of
``core.api_errors`` gives it, each with the one error body ``ErrorOut``; the error responses the
API really sends match that body; enums, bounds and typed responses are in the schema itself."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest

from tiepdan.api import api
from tiepdan.core.api_errors import ErrorOut, error_statuses

ERROR_REF = "#/components/schemas/ErrorOut"
UNSAFE = {"post", "put", "patch", "delete"}
#: The throttled operations of the API (method, path).
THROTTLED = {
    ("post", "/api/v1/communes/{ward_code}/registrations"),
    ("post", "/api/v1/communes/{ward_code}/uploads"),
    ("get", "/api/v1/registrations/{tracking_code}"),
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return api.get_openapi_schema()


def _operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def _bound_operations():
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _documented_errors(operation: dict) -> dict[int, dict]:
    return {
        int(status): response
        for status, response in operation["responses"].items()
        if int(status) >= 400
    }


def test_the_schema_has_every_operation(schema):
    assert len(list(_operations(schema))) >= 50
    assert len(list(_operations(schema))) == len(list(_bound_operations()))


@pytest.mark.parametrize("status", [400, 422, 503])
def test_every_operation_documents_the_statuses_any_request_can_get(schema, status):
    missing = [
        f"{m.upper()} {p}"
        for m, p, op in _operations(schema)
        if status not in _documented_errors(op)
    ]
    assert not missing


def test_the_statuses_follow_from_each_operation(schema):
    """Independently of the rule's code: read from what the schema says of the operation."""
    for method, path, operation in _operations(schema):
        documented = set(_documented_errors(operation))
        expected = {400, 422, 503}
        if operation.get("security"):
            expected |= {401, 403}
        if "{" in path:
            expected.add(404)
        if method in UNSAFE:
            expected.add(409)
        if "requestBody" in operation:
            expected.add(413)
        if (method, path) in THROTTLED:
            expected.add(429)
        assert expected <= documented, (method, path, expected - documented)
        assert 429 not in documented or (method, path) in THROTTLED, (method, path)
        assert {401, 403} <= documented or not operation.get("security"), (method, path)


def test_the_rule_and_the_schema_agree():
    for operation in _bound_operations():
        declared = {status for status in operation.response_models if isinstance(status, int)}
        assert error_statuses(operation) <= declared, operation.path


def test_every_error_status_is_documented_with_the_one_error_body(schema):
    for method, path, operation in _operations(schema):
        for status, response in _documented_errors(operation).items():
            body = response["content"]["application/json"]["schema"]
            assert body == {"$ref": ERROR_REF}, (method, path, status, body)
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message"}
    assert set(error["properties"]) == {"code", "message", "errors"}


def test_every_success_response_is_typed(schema):
    for method, path, operation in _operations(schema):
        ok = {s: r for s, r in operation["responses"].items() if int(s) < 300}
        assert ok, (method, path)
        for response in ok.values():
            content = response.get("content")
            assert content, (method, path, "success response without a body schema")
            for media in content.values():
                body = media["schema"]
                assert body.get("$ref") or body.get("items") or body.get("format") == "binary", (
                    method,
                    path,
                    body,
                )


def test_component_names_are_not_shared_by_two_schemas():
    """ninja names a component after its class: two classes of one name would make one of
    them disappear from the schema (and the schema lie about it)."""
    seen: dict[str, type] = {}
    for operation in _bound_operations():
        models = list(operation.models)
        for model in operation.response_models.values():
            if isinstance(model, type):
                models.append(model)
        for model in models:
            for field in model.model_fields.values():
                for cls in _schema_classes(field.annotation):
                    other = seen.setdefault(cls.__name__, cls)
                    assert other is cls, (
                        f"{cls.__module__}.{cls.__name__} and {other.__module__}.{other.__name__}"
                    )


def _schema_classes(annotation) -> list[type]:
    from pydantic import BaseModel

    found: list[type] = []
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in found:
                continue
            found.append(item)
            stack.extend(f.annotation for f in item.model_fields.values())
        else:
            stack.extend(getattr(item, "__args__", ()))
    return found


def test_enums_bounds_and_required_fields_are_in_the_schema(schema):
    components = schema["components"]["schemas"]
    registration = components["RegistrationIn"]
    assert registration["properties"]["kind"]["enum"] == [
        "khieu_nai",
        "to_cao",
        "kien_nghi",
        "phan_anh",
    ]
    assert "cccd" in registration["properties"]["id_type"]["enum"]
    assert {
        "full_name",
        "id_type",
        "id_number",
        "date_of_birth",
        "phone",
        "address",
        "kind",
        "summary",
        "content",
    } <= set(registration["required"])
    assert components["ProposalIn"]["properties"]["ground"]["enum"][0] == "a"
    register = schema["paths"]["/api/v1/staff/communes/{ward_code}/register"]["get"]
    params = {p["name"]: p for p in register["parameters"]}
    assert params["ward_code"]["schema"]["minimum"] == 1
    assert params["month"]["schema"]["anyOf"][0] == {"maximum": 12, "minimum": 1, "type": "integer"}


# -- The bodies the API really sends match the documented one --------------------------------


def _validator(schema: dict, method: str, path: str, status: int):
    response = schema["paths"][path][method]["responses"][status]
    body = response["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({**body, "components": schema["components"]})


def _assert_documented(schema, method, path, response):
    assert _validator(schema, method, path, response.status_code).is_valid(response.json()), (
        response.json()
    )
    ErrorOut.model_validate(response.json())


def _post(client, ward_code, body, **extra):
    return client.post(
        f"/api/v1/communes/{ward_code}/registrations",
        data=json.dumps(body),
        content_type="application/json",
        **extra,
    )


REGISTRATIONS = "/api/v1/communes/{ward_code}/registrations"


def test_a_404_matches_the_documented_body(client, db, schema, api_payload):
    response = _post(client, 99999, api_payload)
    assert response.status_code == 404
    _assert_documented(schema, "post", REGISTRATIONS, response)


def test_a_422_matches_the_documented_body(client, an_lao, schema, api_payload):
    response = _post(client, an_lao.ward_code, {**api_payload, "kind": "khac"})
    assert response.status_code == 422
    _assert_documented(schema, "post", REGISTRATIONS, response)
    assert response.json()["errors"]["kind"][0]["code"] == "invalid_choice"
    form_error = _post(client, an_lao.ward_code, {**api_payload, "consent": False})
    assert form_error.status_code == 422
    _assert_documented(schema, "post", REGISTRATIONS, form_error)


def test_a_409_matches_the_documented_body(client, an_lao, schema, api_payload):
    assert (
        _post(client, an_lao.ward_code, api_payload, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 201
    )
    response = _post(
        client, an_lao.ward_code, {**api_payload, "summary": "Khác"}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 409
    _assert_documented(schema, "post", REGISTRATIONS, response)


def test_a_429_matches_the_documented_body(client, an_lao, schema):
    statuses = [_post(client, an_lao.ward_code, {}).status_code for _ in range(40)]
    assert statuses[0] == 422
    response = _post(client, an_lao.ward_code, {})
    assert response.status_code == 429
    _assert_documented(schema, "post", REGISTRATIONS, response)


def test_a_401_matches_the_documented_body(client, an_lao, schema):
    response = client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/matters")
    assert response.status_code == 401
    _assert_documented(schema, "get", "/api/v1/staff/communes/{ward_code}/matters", response)


def test_the_schema_and_the_docs_are_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


def test_an_id_beyond_the_database_range_is_a_422_not_a_500(client, an_lao, login_staff, schema):
    """Found by the fuzz run: ``?body=-21658590154684436054016`` on the follow-up task list
    overflowed SQLite's integer (a 500).  Ids in a body or query are ``api_types.Ref``."""
    from tests.factories import staff_user
    from tiepdan.core.models import Role

    login_staff(client, staff_user(Role.OFFICE_OFFICER, an_lao))
    path = "/api/v1/staff/communes/{ward_code}/follow-up/tasks"
    for value in ("-21658590154684436054016", "21658590154684436054016", "0"):
        response = client.get(path.format(ward_code=an_lao.ward_code), {"body": value})
        assert response.status_code == 422, (value, response.content)
        _assert_documented(schema, "get", path, response)
    assert client.get(path.format(ward_code=an_lao.ward_code), {"body": 1}).status_code == 200
