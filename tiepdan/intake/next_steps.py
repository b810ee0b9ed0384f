"""What the current user may do next on a matter, what waits for someone else, and every record
related to it — computed here, in one place, for the matter page (never in templates).

Every part contributes its steps with :func:`register_step_provider` in its ``AppConfig.ready()``:
intake's triage first (``intake.triage.next_steps``, registered by ``IntakeConfig``, the first of
these apps in ``INSTALLED_APPS``), then the register and the apps built on intake (hearings,
minutes, follow-up), so this module depends on none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils.functional import Promise

from tiepdan.core.access import Perm, perms_in

from .models import Matter


@dataclass(frozen=True)
class Step:
    """A link on the matter page: an action to take or a related record to open."""

    label: str | Promise
    url: str
    detail: str = ""
    primary: bool = False  # the main next step of the procedure


@dataclass
class MatterSteps:
    actions: list[Step] = field(default_factory=list)  # what this user may do next
    waiting: list[str] = field(default_factory=list)  # pending with someone else
    records: list[Step] = field(default_factory=list)  # related records

    def extend(self, other: MatterSteps) -> None:
        self.actions += other.actions
        self.waiting += other.waiting
        self.records += other.records


@dataclass(frozen=True)
class StepContext:
    user: User
    matter: Matter
    perms: frozenset[Perm]  # what the user holds in the matter's commune

    @property
    def ward(self) -> int:
        return self.matter.commune.ward_code


Provider = Callable[[StepContext], MatterSteps]
_PROVIDERS: list[Provider] = []


def register_step_provider(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def matter_steps(user: User, matter: Matter) -> MatterSteps:
    """Every next action, pending step and related record of ``matter`` for ``user``."""
    context = StepContext(user, matter, perms_in(user, matter.commune))
    steps = MatterSteps()
    for provider in _PROVIDERS:
        steps.extend(provider(context))
    return steps
