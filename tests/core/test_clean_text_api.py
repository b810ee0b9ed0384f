"""Every string the JSON API takes (body, query, form and path parameters of every operation)
is turned to NFC and refuses control characters, lone surrogates and bidi overrides; tab and
line breaks only in the fields a schema declares multi-line.  The operations are discovered from
the API itself, so a new schema or parameter without the cleaning fails here."""

from __future__ import annotations

import json
import typing
import unicodedata
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from pydantic.functional_validators import AfterValidator

from tests.hostile_text import NFC_NAME, NFD_NAME, REFUSED
from tiepdan.api import api
from tiepdan.core.api_types import OneOf
from tiepdan.core.schemas import ERROR_TYPE, InputSchema, Line, Text
from tiepdan.intake.models import Matter

CLEANERS = {m.func for t in (Line, Text) for m in typing.get_args(t)[1:]}


def _string_leaves(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if annotation is str:
        return True
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        return not any(isinstance(m, OneOf) for m in metadata) and _string_leaves(base)
    return origin is not None and any(
        _string_leaves(a)
        for a in typing.get_args(annotation)
        if not (isinstance(a, type) and issubclass(a, BaseModel))
    )


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _models(a)]


def _input_fields() -> list[tuple[type[BaseModel], str]]:
    """(model, field) of every string field an operation of the API takes."""
    api.urls  # noqa: B018  (builds every router's operations)
    found: set[tuple[type[BaseModel], str]] = set()
    todo: list[type[BaseModel]] = []
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                todo.extend(operation.models)
    seen: set[type[BaseModel]] = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            todo.extend(_models(field.annotation))
            # One of a closed set of values (core.api_types.one_of, which pydantic keeps in the
            # field's metadata): nothing free to clean.
            closed = any(isinstance(m, OneOf) for m in field.metadata)
            if _string_leaves(field.annotation) and not closed:
                found.add((model, name))
    return sorted(found, key=lambda f: (f[0].__module__, f[0].__qualname__, f[1]))


FIELDS = _input_fields()
IDS = [f"{m.__module__.removeprefix('tiepdan.')}.{m.__qualname__}.{n}" for m, n in FIELDS]


def _is_cleaned(model: type[BaseModel], name: str) -> bool:
    if issubclass(model, InputSchema):
        return True
    # A parameter outside a schema (ninja's generated Path/Query/Form models): Line or Text.
    return any(getattr(m, "func", None) in CLEANERS for m in model.model_fields[name].metadata)


def _is_multiline(model: type[BaseModel], name: str) -> bool:
    if issubclass(model, InputSchema):
        return name in model.multiline
    return any(
        getattr(m, "func", None) is typing.get_args(Text)[1].func
        for m in model.model_fields[name].metadata
    )


def _assign(model: type[BaseModel], name: str, text: str) -> Any:
    """Validate ``text`` (or ``[text]`` for a list field) as ``name`` alone, as the API would."""
    annotation = model.model_fields[name].annotation
    value = [text] if typing.get_origin(annotation) is list else text
    # ninja's Schema validates through a DjangoGetter: the validated values are its attributes.
    validated = model.__pydantic_validator__.validate_assignment(
        model.model_construct(), name, value
    )
    return vars(validated)[name]


def test_the_api_has_string_inputs_to_check():
    assert len(FIELDS) > 50


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=IDS)
def test_every_string_input_of_the_api_is_cleaned(model, name):
    assert _is_cleaned(model, name), f"{model.__qualname__}.{name}: use core.schemas"
    for label, text in REFUSED.items():
        with pytest.raises(ValidationError) as caught:
            _assign(model, name, text)
        assert ERROR_TYPE in {e["type"] for e in caught.value.errors()}, label
    value = _assign(model, name, NFD_NAME)
    assert value in (NFC_NAME, [NFC_NAME])
    lines = "Dòng một\nDòng\thai"
    if _is_multiline(model, name):
        assert _assign(model, name, lines) in (lines, [lines])
    else:
        with pytest.raises(ValidationError):
            _assign(model, name, lines)


def _register(client, ward_code: int, body: dict[str, Any]):
    return client.post(
        f"/api/v1/communes/{ward_code}/registrations",
        data=json.dumps(body),
        content_type="application/json",
    )


@pytest.mark.django_db
def test_a_registration_with_an_escape_is_a_422_with_the_message(client, an_lao, api_payload):
    response = _register(client, an_lao.ward_code, {**api_payload, "full_name": "Nguyễn\x1b A"})
    assert response.status_code == 422
    assert response.json()["errors"]["full_name"] == [
        {"code": "control_characters", "message": "Trường này chứa ký tự điều khiển không hợp lệ."}
    ]
    assert not Matter.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_a_json_string_never_reaches_the_database(client, an_lao, api_payload):
    body = json.dumps({**api_payload, "content": "Nội dung\u0000"})
    assert "\\u0000" in body
    response = client.post(
        f"/api/v1/communes/{an_lao.ward_code}/registrations",
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["content"][0]["code"] == "control_characters"


@pytest.mark.django_db
def test_a_decomposed_name_is_registered_composed_and_content_keeps_its_lines(
    client, an_lao, api_payload
):
    response = _register(
        client,
        an_lao.ward_code,
        {
            **api_payload,
            "full_name": unicodedata.normalize("NFD", "Nguyễn Văn Ánh"),
            "content": "Dòng thứ nhất.\nDòng thứ hai.",
        },
    )
    assert response.status_code == 201
    matter = Matter.objects.get()
    assert matter.full_name == "Nguyễn Văn Ánh"
    assert matter.content == "Dòng thứ nhất.\nDòng thứ hai."


def test_an_unknown_multiline_field_is_a_programming_error():
    with pytest.raises(TypeError, match="unknown fields"):
        type(
            "Broken",
            (InputSchema,),
            {"__annotations__": {"reason": str}, "multiline": frozenset({"reasn"})},
        )


def test_the_after_validator_is_what_line_carries():
    assert all(isinstance(m, AfterValidator) for m in typing.get_args(Line)[1:])
