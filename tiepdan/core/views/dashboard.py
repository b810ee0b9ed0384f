"""The staff landing page: the communes a staff member acts in, with their roles there, the
work waiting for them (work queues contributed by the apps, ``core.queues``) and their links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import render

from ..access import OPEN_INBOX, READ_PERMS, ROLE_PERMS, roles_of, user_communes
from ..models import City, Commune, Role, StaffRole
from ..navigation import city_links, commune_links
from ..queues import QueueView, queues_for
from .auth import AuthenticatedHttpRequest, staff_required

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class CommuneEntry:
    commune: Commune
    role_labels: list[StrOrPromise]
    #: Every permission held here only reads (e.g. a city observer): shown as "chỉ xem".
    read_only: bool

    links: list[tuple[str, str]]  # (label, url) contributed by the domain apps
    queues: list[QueueView]  # the work waiting here, counted by the domain apps
    #: The inbox opens to the holders of ``core.access.OPEN_INBOX`` (its own check); a technical
    #: operator or a system administrator sees no link to it.
    opens_inbox: bool = False

    @property
    def inbox_url(self) -> str:
        # The intake inbox (tiepdan.intake); a literal path so core does not depend on intake.
        return f"/can-bo/xa/{self.commune.ward_code}/ho-so/"


def commune_entries(user: User) -> list[CommuneEntry]:
    """The communes ``user`` holds any role in, with those roles, ordered by name."""
    entries = []
    for commune in user_communes(user).select_related("city").order_by("name"):
        held = roles_of(user, commune)
        roles = [role for role in Role if role in held]  # in the order of the Role list
        perms = frozenset().union(*(ROLE_PERMS[role] for role in roles))
        links = [(str(link.label), link.url(commune.ward_code)) for link in commune_links()
                 if link.perms & perms]
        entries.append(
            CommuneEntry(
                commune=commune,
                role_labels=[role.label for role in roles],
                read_only=perms <= READ_PERMS,
                links=links,
                queues=queues_for(user, commune, perms),
                opens_inbox=bool(perms & OPEN_INBOX),
            )
        )
    return entries


def city_entries(user: User) -> list[tuple[City, list[tuple[str, str]]]]:
    """The cities ``user`` holds a city role over, with the city-wide links those roles open."""
    held: dict[int, set[str]] = {}
    for city_id, role in StaffRole.objects.filter(user=user, city__isnull=False).values_list(
            "city_id", "role"):
        held.setdefault(city_id, set()).add(role)
    entries = []
    for city in City.objects.filter(pk__in=held).order_by("name"):
        perms = set().union(*(ROLE_PERMS[role] for role in held[city.pk]))
        links = [(str(link.label), link.url(city.pk)) for link in city_links()
                 if link.perms & perms]
        if links:
            entries.append((city, links))
    return entries


@staff_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"entries": commune_entries(request.user),
                                                   "cities": city_entries(request.user)})
