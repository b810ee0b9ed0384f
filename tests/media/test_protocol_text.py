"""Every string of a WebSocket message (hearing room and readiness test) is in NFC and refuses
control characters, lone surrogates and bidi overrides; line breaks only in an SDP.  The message
models are discovered, so a new one without the cleaning fails here."""

from __future__ import annotations

import importlib
import pkgutil
import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel

import tiepdan.media
from tests.hostile_text import NFC_NAME, NFD_NAME, REFUSED
from tiepdan.media import protocol, readiness_protocol
from tiepdan.media.protocol import CleanModel, ProtocolError

SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"


def _media_models() -> list[type[BaseModel]]:
    for module in pkgutil.walk_packages(tiepdan.media.__path__, "tiepdan.media."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, todo = set(), [BaseModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("tiepdan.media.") and sub is not CleanModel:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


MODELS = _media_models()


def _is_str(annotation: Any) -> bool:
    """A field that takes a string itself (not a mapping of them: see the dict test)."""
    if annotation is str:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_str(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_str(a) for a in typing.get_args(annotation))
    return False


def _sample(annotation: Any) -> Any:
    """A valid value of a required field (strict types)."""
    if typing.get_origin(annotation) is dict:
        return {}
    if typing.get_origin(annotation) is typing.Annotated:
        return _sample(typing.get_args(annotation)[0])
    for kind, value in ((str, "x"), (bool, True), (int, 1), (float, 1.0), (dict, {})):
        if annotation is kind or kind in typing.get_args(annotation):
            return value
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if args:
        return _sample(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {}
    raise AssertionError(f"no sample for {annotation!r}")


def _message(model: type[BaseModel], name: str, value: Any) -> dict[str, Any]:
    message = {n: _sample(f.annotation) for n, f in model.model_fields.items() if f.is_required()}
    return {**message, name: value}


CASES = [(m, n) for m in MODELS for n, f in m.model_fields.items() if _is_str(f.annotation)]
IDS = [f"{m.__qualname__}.{n}" for m, n in CASES]


def test_every_message_model_cleans_its_text():
    assert len(MODELS) >= 10
    assert [m.__qualname__ for m in MODELS if not issubclass(m, CleanModel)] == []


@pytest.mark.parametrize(("model", "name"), CASES, ids=IDS)
def test_every_string_of_a_message(model, name):
    for label, text in REFUSED.items():
        with pytest.raises(ValueError) as caught:
            model.model_validate(_message(model, name, text))
        # Strict pydantic refuses a lone surrogate itself; protocol.clean says the same of both.
        assert caught.value.errors()[0]["type"] in protocol.TEXT_ERRORS, label
    assert getattr(model.model_validate(_message(model, name, NFD_NAME)), name) == NFC_NAME
    lines = model.model_validate if name in model.multiline else None
    if lines is not None:
        assert getattr(lines(_message(model, name, SDP)), name) == SDP
    else:
        with pytest.raises(ValueError):
            model.model_validate(_message(model, name, "một\ndòng"))


@pytest.mark.parametrize(
    "schemas", [protocol.SCHEMAS, readiness_protocol.SCHEMAS], ids=["room", "readiness"]
)
def test_a_message_with_a_control_character_is_refused_with_a_message(schemas):
    for kind in schemas:
        if kind == "hello":
            continue
        model = schemas[kind]
        fields = [n for n, f in model.model_fields.items() if _is_str(f.annotation) and n != "type"]
        for name in fields:
            with pytest.raises(ProtocolError) as caught:
                protocol.clean(_message(model, name, "x\x1b") | {"type": kind}, schemas)
            assert caught.value.code == "bad_message"
            assert "ký tự điều khiển" in caught.value.message
            assert "\x1b" not in caught.value.message


def test_dict_values_are_cleaned_too():
    candidate = {
        "candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host\u202e",
        "sdpMLineIndex": 0,
    }
    with pytest.raises(ProtocolError):
        protocol.clean({"type": "trickle", "feed": 1, "candidate": candidate})
    cleaned = protocol.clean({"type": "stats", "stats": {"state": NFD_NAME}})
    assert cleaned["stats"]["state"] == NFC_NAME
