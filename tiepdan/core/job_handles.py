"""Huey jobs found by name, for a service that enqueues the job which calls it.

A job is thin: it loads its rows and calls its app's service.  When that service enqueues the
very same job (a durable step after commit, a delivery queued again as SMS or as an alert to the
office, a room's recordings once it closes), the service cannot import the job's module
without an import cycle, and the job cannot move next to the service: Huey names a queued
message after the module of its task, so the messages already queued would no longer load.
So each app hands its jobs over by name in its ``AppConfig.ready`` (:func:`provide`) and the
service asks for the job by that name when it enqueues (:func:`job`), as Zulip's producers name
a queue and never import its worker.
"""

from __future__ import annotations

from typing import Any

_jobs: dict[str, Any] = {}


def provide(name: str, task: Any) -> None:
    """Make the Huey task (a ``@db_task`` wrapper) known as ``name``."""
    _jobs[name] = task


def job(name: str) -> Any:
    """The task provided as ``name``; LookupError before its app is ready."""
    try:
        return _jobs[name]
    except KeyError:
        raise LookupError(f"no job named {name!r}: its app's ready() provides it") from None
