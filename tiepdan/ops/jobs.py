"""Huey with the request id carried into jobs, and job outcomes counted.

A job enqueued while a request (or another job) is being served carries that request's id in its
message; the worker restores it around the run, so every log line of the job — Huey's own
"Executing ..." included — names the request that caused it.  Messages from before this change
(a bare Huey message) still load.

``settings.HUEY["huey_class"]`` names :class:`RedisHuey` or :class:`SqliteHuey` below.
Django-free: djhuey builds the Huey instance before the apps are ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import huey
from huey import signals

from .context import current_request_id, request_id_context
from .metrics import JOBS_FINISHED

if TYPE_CHECKING:
    # Huey ships no types (Any): for the type checker the mixin extends the Huey it is mixed into.
    from huey import Huey as _HueyBase
else:
    _HueyBase = object

_ENVELOPE = "tiepdan.job/1"


class RequestIdHueyMixin(_HueyBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signal(signals.SIGNAL_COMPLETE)(_count("complete"))
        self.signal(signals.SIGNAL_ERROR)(_count("error"))
        self.signal(signals.SIGNAL_RETRYING)(_count("retrying"))
        self.signal(signals.SIGNAL_TIMEOUT)(_count("timeout"))

    def serialize_task(self, task: Any) -> bytes:
        request_id = getattr(task, "request_id", "") or current_request_id()
        task.request_id = request_id  # a retry or a scheduled run keeps it
        message = self._registry.create_message(task)
        return self.serializer.serialize((_ENVELOPE, request_id, tuple(message)))

    def deserialize_task(self, data: bytes) -> Any:
        loaded = self.serializer.deserialize(data)
        request_id = ""
        if isinstance(loaded, tuple) and len(loaded) == 3 and loaded[0] == _ENVELOPE:
            _, request_id, fields = loaded
            from huey.registry import Message

            loaded = Message(*fields)
        task = self._registry.create_task(loaded)
        task.request_id = request_id
        return task

    def execute(self, task: Any, timestamp: Any = None) -> Any:
        request_id = getattr(task, "request_id", "") or current_request_id()
        task.request_id = request_id
        with request_id_context(request_id):
            return super().execute(task, timestamp)


def _count(outcome: str) -> Any:
    def receiver(signal: str, task: Any, *args: Any) -> None:
        JOBS_FINISHED.labels(task=task.name, outcome=outcome).inc()

    receiver.__name__ = f"count_{outcome}"
    return receiver


class RedisHuey(RequestIdHueyMixin, huey.RedisHuey):
    pass


class SqliteHuey(RequestIdHueyMixin, huey.SqliteHuey):
    pass
