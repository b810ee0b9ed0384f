"""Work queues of the staff dashboard: counts of what waits for someone, each linking to the
filtered list where the work is done.

Core knows no domain app: each app contributes its counters with :func:`register_work_queue`
in its ``AppConfig.ready()`` (as links are contributed through ``core.navigation``).  A queue
is shown in a commune only to a user who holds one of its permissions there, and its counter
may narrow further by the permissions it is given.

A later counter of failed background jobs registers itself under :data:`FAILED_JOBS_QUEUE`
with ``register_work_queue(FAILED_JOBS_QUEUE, counter, Perm.TRIAGE, ..., order=10)``; the
dashboard shows it like any other queue (``tone="alert"`` puts it in red).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.functional import Promise

from .access import Perm
from .models import Commune

#: The key reserved for the counter of background jobs that failed for good.
FAILED_JOBS_QUEUE = "failed_jobs"


@dataclass(frozen=True)
class QueueItem:
    """One line of a work queue: "3 · Hồ sơ mới chờ phân loại" linking to the list."""

    label: str | Promise
    count: int
    url: str
    #: "" (plain), "warn" (due soon) or "alert" (overdue, failed): how the count is shown.
    tone: str = ""
    detail: str = ""  # e.g. the milestone state of a hearing in preparation


@dataclass(frozen=True)
class QueueContext:
    commune: Commune
    user: User
    perms: frozenset[Perm]  # what the user holds in this commune


Counter = Callable[[QueueContext], list[QueueItem]]


@dataclass(frozen=True)
class WorkQueue:
    key: str
    title: str | Promise
    counter: Counter
    perms: frozenset[Perm]  # any one of them shows the queue
    order: int


_QUEUES: dict[str, WorkQueue] = {}


def register_work_queue(key: str, title: str | Promise, counter: Counter, *perms: Perm,
                        order: int = 100) -> None:
    """Contribute the queue ``key`` (registering a key again replaces it)."""
    if not perms:
        raise ValueError("a work queue needs at least one permission")
    _QUEUES[key] = WorkQueue(key, title, counter, frozenset(perms), order)


def work_queues() -> list[WorkQueue]:
    return sorted(_QUEUES.values(), key=lambda q: (q.order, q.key))


@dataclass(frozen=True)
class QueueView:
    key: str
    title: str | Promise
    items: list[QueueItem]


def queues_for(user: User, commune: Commune, perms: frozenset[Perm]
               ) -> list[QueueView]:
    """The queues ``user`` sees in ``commune`` (holding ``perms`` there), each with its lines
    (a count of 0 is shown too: "nothing overdue" is news); a queue with no line is left out."""
    context = QueueContext(commune, user, perms)
    views = []
    for queue in work_queues():
        if queue.perms & perms:
            items = queue.counter(context)
            if items:
                views.append(QueueView(queue.key, queue.title, items))
    return views
