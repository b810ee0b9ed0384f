"""The request id of the work in progress: a request, or a background job it enqueued.

Django-free on purpose (Huey's class imports it before Django's apps are ready)."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("tiepdan_request_id", default="")
# What a proxy may hand us: short, printable, no spaces (it goes into every log line).
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def acceptable(value: str | None) -> bool:
    return bool(value) and bool(_ACCEPTABLE.match(value or ""))


@contextlib.contextmanager
def request_id_context(value: str) -> Iterator[str]:
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)
