"""What later apps add to a hearing's staff page (``hearings:detail``) without this app
importing them (dependencies point one way): ``media`` adds the hearing room, the readiness
table of the bridge points and whether the user may join the room or test the central point,
with :func:`register_detail_context` in its ``AppConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .models import Hearing

#: ``provider(user, hearing)`` → template context entries for the hearing's page.
DetailContext = Callable[["AbstractBaseUser | AnonymousUser", "Hearing"], dict[str, Any]]

_providers: list[DetailContext] = []


def register_detail_context(provider: DetailContext) -> None:
    if provider not in _providers:
        _providers.append(provider)


def detail_context(user: AbstractBaseUser | AnonymousUser, hearing: Hearing) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for provider in _providers:
        context.update(provider(user, hearing))
    return context
