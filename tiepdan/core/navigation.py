"""Links of the staff dashboard, contributed by each domain app in its ``AppConfig.ready()`` so
that core does not depend on the apps built on it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from .access import Perm


@dataclass(frozen=True)
class CommuneLink:
    label: str | Promise
    path: str  # with "{ward_code}"
    perms: frozenset[Perm]  # any one of them shows the link

    def url(self, ward_code: int) -> str:
        return self.path.format(ward_code=ward_code)


_LINKS: list[CommuneLink] = []


def register_commune_link(label: str | Promise, path: str, *perms: Perm) -> None:
    link = CommuneLink(label, path, frozenset(perms))
    if link not in _LINKS:
        _LINKS.append(link)


def commune_links() -> list[CommuneLink]:
    return list(_LINKS)


@dataclass(frozen=True)
class CityLink:
    label: str | Promise
    path: str  # with "{city_id}"
    perms: frozenset[Perm]  # any one of them, held through a city role, shows the link

    def url(self, city_id: int) -> str:
        return self.path.format(city_id=city_id)


_CITY_LINKS: list[CityLink] = []


def register_city_link(label: str | Promise, path: str, *perms: Perm) -> None:
    """A link of the dashboard shown once per city to holders of a city role (e.g. the city
    observers' dashboard comparing communes)."""
    link = CityLink(label, path, frozenset(perms))
    if link not in _CITY_LINKS:
        _CITY_LINKS.append(link)


def city_links() -> list[CityLink]:
    return list(_CITY_LINKS)
