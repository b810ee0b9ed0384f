"""What later apps do when a hearing ends, without this app importing them (dependencies
point one way: ``media`` registers here in its ``AppConfig.ready``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Hearing

#: ``hook(hearing, cause, actor_name)``, called inside the transaction that ends the hearing
#: (held or cancelled); side effects must go through ``transaction.on_commit``.
EndHook = Callable[["Hearing", str, str], None]
#: ``provider(hearing)`` → (first join of the session, end of the room), either may be None.
PeriodProvider = Callable[["Hearing"], tuple["dt.datetime | None", "dt.datetime | None"]]

_end_hooks: list[EndHook] = []
_period_providers: list[PeriodProvider] = []


def register_end_hook(hook: EndHook) -> None:
    if hook not in _end_hooks:
        _end_hooks.append(hook)


def register_period_provider(provider: PeriodProvider) -> None:
    if provider not in _period_providers:
        _period_providers.append(provider)


def hearing_ended(hearing: Hearing, cause: str, actor_name: str = "") -> None:
    for hook in _end_hooks:
        hook(hearing, cause, actor_name)


def room_period(hearing: Hearing) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When the hearing's room says the session began and ended (None: not known)."""
    for provider in _period_providers:
        start, end = provider(hearing)
        if start is not None or end is not None:
            return start, end
    return None, None
