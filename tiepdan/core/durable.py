"""Durable steps: a business step the law requires that runs after a commit (the 01/TCD
refusal notice, the Biên bản document, deadline recomputes after a calendar change, recordings
processing …) is never lost to a log line.

    @durable_step("register.refusal_notice", label=_("Thông báo từ chối 01/TCD"))
    def refusal_notice(matter_id: int, actor_id: int | None) -> None: ...

    durable.schedule("register.refusal_notice", key=f"refusal_notice:{matter.pk}",
                     commune=matter.commune, args={"matter_id": matter.pk, "actor_id": 3})

``schedule`` writes one ``DurableStep`` row (in the caller's transaction, so a rollback leaves
none) identified by its key: scheduling the same key again does nothing, and a step already done
is never run again.  After commit the Huey worker runs it (``core.tasks.run_step``); a failure is
retried with exponential back-off, and after the last attempt the step is marked failed, the
registered failure handlers run once (``notify`` e-mails the commune office) and the step shows
among ``failed_steps_for_commune`` until someone retries it.  A step function must be idempotent:
a worker that dies mid-step leaves it running, and the periodic job runs it again later.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from . import audit, job_handles
from .models import Commune
from .step_models import DurableStep, StepState

log = logging.getLogger(__name__)

#: A step left running this long is taken to belong to a dead worker and runs again.
STALE_AFTER = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class StepKind:
    name: str
    func: Callable[..., Any]
    label: str | Promise
    max_attempts: int
    base_delay: int  # seconds before the 2nd attempt; doubled each time after


_KINDS: dict[str, StepKind] = {}
FailureHandler = Callable[[DurableStep], Any]
_failure_handlers: list[FailureHandler] = []


def durable_step(name: str, *, label: str | Promise, max_attempts: int = 5,
                 base_delay: int = 60) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func(**args)`` as the step ``name`` (JSON-serialisable keyword arguments)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        _KINDS[name] = StepKind(name, func, label, max_attempts, base_delay)
        return func

    return decorate


def kind(name: str) -> StepKind:
    return _KINDS[name]


def register_failure_handler(handler: FailureHandler) -> FailureHandler:
    """Have ``handler(step)`` called once when a step fails for good (e.g. alert the office)."""
    if handler not in _failure_handlers:
        _failure_handlers.append(handler)
    return handler


def unregister_failure_handler(handler: FailureHandler) -> None:
    if handler in _failure_handlers:
        _failure_handlers.remove(handler)


def schedule(name: str, *, key: str, args: dict[str, Any], commune: Commune | None = None,
             label: str = "", delay: int = 0, enqueue: bool = True) -> DurableStep:
    """Record the step ``key`` (once) and have the worker run it after commit
    (``enqueue=False``: the caller, already a job, runs it with ``attempt``)."""
    step_kind = _KINDS[name]
    step, created = DurableStep.objects.get_or_create(key=key[:200], defaults={
        "kind": name, "args": args, "commune": commune,
        "label": (label or str(step_kind.label))[:255],
        "next_attempt_at": timezone.now() + dt.timedelta(seconds=delay) if delay else None,
    })
    if created and enqueue:
        transaction.on_commit(lambda: _enqueue(step.pk, delay))
    return step


#: The job that runs a step (``core.tasks.run_step``, provided by ``CoreConfig.ready``).
RUN_STEP_JOB = "core.run_step"


def _enqueue(step_id: int, delay: int = 0) -> None:
    try:
        run_step = job_handles.job(RUN_STEP_JOB)
        if delay:
            run_step.schedule((step_id,), delay=delay)
        else:
            run_step(step_id)
    except Exception:  # the queue is down: the periodic job picks the row up
        log.exception("could not enqueue durable step %s", step_id)


def attempt(step_id: int) -> str | None:
    """Run a pending step once if it is due; its new state (None if not taken)."""
    now = timezone.now()
    # Compare-and-swap: one worker takes a step at a time.
    taken = DurableStep.objects.filter(pk=step_id, state=StepState.PENDING).filter(
        models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now),
    ).update(state=StepState.RUNNING, attempts=models.F("attempts") + 1, started_at=now)
    if not taken:
        return None
    step = DurableStep.objects.select_related("commune").get(pk=step_id)
    try:
        _KINDS[step.kind].func(**step.args)
    except Exception as exc:  # noqa: BLE001 - recorded, retried, then alerted
        return _record_failure(step, exc)
    DurableStep.objects.filter(pk=step_id, state=StepState.RUNNING).update(
        state=StepState.DONE, done_at=timezone.now(), next_attempt_at=None, last_error="")
    return StepState.DONE


def _error_text(exc: BaseException) -> str:
    """The error and what caused it ("DomainError: … ← RuntimeError: …")."""
    parts: list[str] = []
    cause: BaseException | None = exc
    while cause is not None and len(parts) < 4:
        parts.append(f"{type(cause).__name__}: {cause}")
        cause = cause.__cause__ or cause.__context__
    return " ← ".join(parts)[:2000]


def _record_failure(step: DurableStep, exc: Exception) -> str:
    error = _error_text(exc)
    step_kind = _KINDS.get(step.kind)
    max_attempts = step_kind.max_attempts if step_kind else 1
    log.warning("durable step %s (%s) failed, attempt %s/%s: %s", step.pk, step.key,
                step.attempts, max_attempts, error, exc_info=exc)
    if step.attempts < max_attempts:
        delay = step_kind.base_delay * 2 ** (step.attempts - 1) if step_kind else 60
        DurableStep.objects.filter(pk=step.pk).update(
            state=StepState.PENDING, last_error=error,
            next_attempt_at=timezone.now() + dt.timedelta(seconds=delay))
        _enqueue(step.pk, delay)
        return StepState.PENDING
    DurableStep.objects.filter(pk=step.pk).update(
        state=StepState.FAILED, last_error=error, failed_at=timezone.now(),
        next_attempt_at=None)
    if DurableStep.objects.filter(pk=step.pk, office_alerted=False).update(office_alerted=True):
        step.refresh_from_db()
        for handler in list(_failure_handlers):
            try:
                handler(step)
            except Exception:
                log.exception("failure handler %r of durable step %s failed", handler, step.pk)
    return StepState.FAILED


def run_due(now: dt.datetime | None = None) -> int:
    """The periodic job: steps due again (and those of a dead worker) run now."""
    now = now or timezone.now()
    DurableStep.objects.filter(state=StepState.RUNNING, started_at__lt=now - STALE_AFTER).update(
        state=StepState.PENDING, next_attempt_at=None)
    due = list(DurableStep.objects.filter(state=StepState.PENDING).filter(
        models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now),
    ).values_list("pk", flat=True))
    for step_id in due:
        attempt(step_id)
    return len(due)


def retry(step: DurableStep, *, actor: User | AnonymousUser) -> bool:
    """Thử lại: a failed step, or one waiting for its next attempt, gets a fresh set of
    attempts now (audited); False if it is running or done."""
    with transaction.atomic():
        rearmed = DurableStep.objects.filter(
            pk=step.pk, state__in=[StepState.FAILED, StepState.PENDING]).update(
            state=StepState.PENDING, attempts=0, next_attempt_at=None, office_alerted=False,
            failed_at=None)
        if not rearmed:
            return False
        audit.record("core.step.retried", step, actor=actor, commune=step.commune,
                     data={"label": step.label})
        transaction.on_commit(lambda: _enqueue(step.pk))
    return True


def failed_steps_for_commune(commune: Commune) -> QuerySet[DurableStep]:
    """Steps of ``commune`` — and those of every commune, such as a calendar recompute — that
    failed for good and wait for someone to act."""
    return DurableStep.objects.filter(
        models.Q(commune=commune) | models.Q(commune__isnull=True), state=StepState.FAILED,
    ).order_by("-failed_at")


def failed_step_count(commune: Commune) -> int:
    """Dashboard counter: how many steps of ``commune`` failed for good."""
    return failed_steps_for_commune(commune).count()
