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
