"""The commune's list of bodies a conclusion makes responsible (cơ quan, đơn vị chịu trách
nhiệm) belongs to follow-up (``followup.Body``, managed in the admin; the tasks are given to
them).  ``followup`` hands it over with :func:`register_body_list` in its ``AppConfig.ready``,
so that minutes, below follow-up, does not import it; without follow-up there is no list and
the bodies of a conclusion are only named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from tiepdan.core.models import Commune

#: ``bodies(commune)`` → the commune's active bodies (``id``, ``name``, ``name_key``,
#: ``email``), ordered by name.
BodyList = Callable[[Commune], "QuerySet[Any]"]

_body_list: BodyList | None = None


def register_body_list(bodies: BodyList) -> None:
    global _body_list  # noqa: PLW0603 - one list, set once at start-up
    _body_list = bodies


def active_bodies(commune: Commune) -> QuerySet[Any] | None:
    """The commune's active bodies, or None when no app keeps a list."""
    return None if _body_list is None else _body_list(commune)
