"""What splitting, duplicate linking and group merging share: the permission check, the error
shape, creating a link, and reading the links of a matter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tiepdan.core.errors import InvalidInput

from ..models import LinkKind, Matter, MatterLink

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FieldErrors = dict[str, list[dict[str, str]]]


def field_error(name: str, message: str, code: str = "invalid") -> FieldErrors:
    return {name: [{"code": code, "message": str(message)}]}


def raise_if(errors: FieldErrors) -> None:
    if errors:
        first = next(iter(errors.values()))[0]["message"]
        raise InvalidInput(first, field_errors=errors)


def actor_or_none(actor: User | AnonymousUser | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def create_link(from_matter: Matter, to_matter: Matter, kind: LinkKind, *,
                actor: User | AnonymousUser | None, reason: str) -> MatterLink:
    return MatterLink.objects.create(
        from_matter=from_matter, to_matter=to_matter, kind=kind, actor=actor_or_none(actor),
        at=timezone.now(), reason=reason,
    )


def pair_is_linked(a: Matter, b: Matter) -> bool:
    return MatterLink.objects.filter(
        Q(from_matter=a, to_matter=b) | Q(from_matter=b, to_matter=a)).exists()


@dataclass(frozen=True)
class RelatedMatter:
    link: MatterLink
    matter: Matter
    label: str  # how the other matter relates to this one, in words


_OUTGOING: dict[str, StrOrPromise] = {
    LinkKind.SPLIT_FROM: gettext_lazy("Tách từ đơn"),
    LinkKind.DUPLICATE_OF: gettext_lazy("Trùng với đơn"),
    LinkKind.MERGED_INTO: gettext_lazy("Đã gộp vào hồ sơ nhóm"),
}
_INCOMING: dict[str, StrOrPromise] = {
    LinkKind.SPLIT_FROM: gettext_lazy("Đơn tách ra"),
    LinkKind.DUPLICATE_OF: gettext_lazy("Đơn trùng"),
    LinkKind.MERGED_INTO: gettext_lazy("Hồ sơ thành viên đã gộp"),
}


def related_matters(matter: Matter) -> list[RelatedMatter]:
    """Every matter linked to ``matter``, with the relation seen from ``matter``."""
    links = (MatterLink.objects.filter(Q(from_matter=matter) | Q(to_matter=matter))
             .select_related("from_matter", "to_matter", "actor"))
    related = []
    for link in links:
        if link.from_matter_id == matter.pk:
            related.append(RelatedMatter(link, link.to_matter, str(_OUTGOING[link.kind])))
        else:
            related.append(RelatedMatter(link, link.from_matter, str(_INCOMING[link.kind])))
    return related
