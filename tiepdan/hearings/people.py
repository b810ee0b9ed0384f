"""People of a hearing picked from lists instead of typed: the commune's and the city's staff
(with the departments' representatives apart), and the people of the matters on the agenda.

A matter on the agenda brings its petitioner and, for a group, its representatives as
participants with their contact details (``add_matter_people``, idempotent: one person is
added to a hearing once, whatever the number of calls).  A sealed denunciation brings nobody:
its petitioner's identity stays in the sealed copy and the office invites them through the
protected channel; the hearing page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tiepdan.core import audit
from tiepdan.core.models import Commune, Role, StaffRole
from tiepdan.core.names import full_name
from tiepdan.intake.models import JoinPoint, Matter

from .models import BridgePoint, Hearing, Participant, PointKind


@dataclass(frozen=True)
class Person:
    """Someone who can be added as a participant, with the details the list knows."""

    key: str  # "staff:<user>", "matter:<matter>", "rep:<representative>"
    full_name: str
    position: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""
    is_citizen: bool = False
    user: Any = None
    matter: Matter | None = None

    @property
    def label(self) -> str:
        return " — ".join(part for part in (self.full_name, self.position) if part)


def staff_users(commune: Commune) -> QuerySet:
    """Active staff of ``commune`` and of its city: who may be picked by name."""
    return (get_user_model().objects.filter(is_active=True).filter(
        Q(staff_roles__commune=commune) | Q(staff_roles__city_id=commune.city_id))
        .distinct().order_by("last_name", "first_name", "username"))


def _staff_people(commune: Commune) -> list[tuple[str, Person]]:
    """(group, person) for every staff member; the group is the source shown in the picker."""
    roles = (StaffRole.objects.filter(user__is_active=True)
             .filter(Q(commune=commune) | Q(city_id=commune.city_id))
             .select_related("user", "user__staff_profile", "city").order_by("id"))
    people: dict[int, tuple[str, Person]] = {}
    for held in roles:
        if held.user_id in people:
            continue
        user = held.user
        profile = getattr(user, "staff_profile", None)
        if held.city is not None:
            group, organisation = _("Thành phố"), held.city.name
        elif held.role == Role.DEPARTMENT_REP:
            group, organisation = _("Phòng chuyên môn, đơn vị của xã"), commune.committee_name
        else:
            group, organisation = _("Cán bộ UBND xã"), commune.committee_name
        people[user.pk] = (group, Person(
            key=f"staff:{user.pk}", full_name=full_name(user), position=held.position,
            organisation=organisation, email=user.email or "",
            phone=profile.phone if profile else "", user=user))
    return sorted(people.values(), key=lambda item: (item[1].full_name, item[1].key))


def _matter_people(matter: Matter) -> list[Person]:
    """The petitioner and, for a group, the representatives (a representative who is the
    petitioner is named once).  Nobody for a sealed matter."""
    if matter.identity_sealed:
        return []
    petitioner = Person(
        key=f"matter:{matter.pk}", full_name=matter.full_name,
        position=_("Người có đơn, hồ sơ %(code)s") % {"code": matter.tracking_code},
        email=matter.email, phone=matter.phone, is_citizen=True, matter=matter)
    people = [petitioner]
    for rep in matter.representatives.all():
        if " ".join(rep.full_name.split()) == matter.full_name:
            continue
        people.append(Person(
            key=f"rep:{rep.pk}", full_name=rep.full_name,
            position=_("Người đại diện, hồ sơ %(code)s") % {"code": matter.tracking_code},
            phone=rep.phone, is_citizen=True, matter=matter))
    return people


def _agenda_matters(hearing: Hearing) -> list[Matter]:
    return [item.matter for item in hearing.agenda.select_related("matter")
            .prefetch_related("matter__representatives")]


def picker_choices(hearing: Hearing) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices of the participant picker (a select with option groups)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    people = [p for m in _agenda_matters(hearing) for p in _matter_people(m)]
    if people:
        groups[_("Công dân của các vụ việc trong chương trình")] = [
            (p.key, p.label) for p in people]
    for group, person in _staff_people(hearing.commune):
        groups.setdefault(group, []).append((person.key, person.label))
    return list(groups.items())


def person_for_key(hearing: Hearing, key: str) -> Person | None:
    """The person behind a picker value, only from this hearing's lists."""
    kind, _sep, raw = (key or "").partition(":")
    if not raw.isdigit():
        return None
    if kind == "staff":
        return next((p for _g, p in _staff_people(hearing.commune) if p.key == key), None)
    if kind in ("matter", "rep"):
        return next((p for m in _agenda_matters(hearing) for p in _matter_people(m)
                     if p.key == key), None)
    return None


def already_added(hearing: Hearing, key: str) -> bool:
    return Participant.objects.filter(bridge_point__hearing=hearing, source_key=key).exists()


def participant_count(hearing: Hearing) -> int:
    return Participant.objects.filter(bridge_point__hearing=hearing).count()


def citizen_point(hearing: Hearing, matter: Matter) -> BridgePoint | None:
    """Where a matter's people join, as the citizen asked in the registration: at the commune
    hall (the commune hall's point, the central one first) or at another point (the citizens'
    bridge point).  None until the hearing has such a point."""
    wanted = PointKind.COMMUNE_HALL if matter.join_point == JoinPoint.COMMUNE_HALL \
        else PointKind.CITIZEN
    return hearing.bridge_points.filter(kind=wanted).order_by("-is_central", "id").first()


def add_matter_people(hearing: Hearing, *, actor: User) -> list[Participant]:
    """Add the people of every agenda matter not added yet (call inside the transaction
    that changed the agenda or the bridge points, with the hearing row locked)."""
    added = []
    for matter in _agenda_matters(hearing):
        point = citizen_point(hearing, matter)
        if point is None:
            continue
        for person in _matter_people(matter):
            if already_added(hearing, person.key):
                continue
            added.append(Participant.objects.create(
                bridge_point=point, full_name=person.full_name, position=person.position,
                email=person.email, phone=person.phone, is_citizen=True, matter=matter,
                source_key=person.key))
    if added:
        audit.record("hearings.participants.added_from_matters", hearing, actor=actor,
                     commune=hearing.commune, data={"count": len(added), "hearing": str(hearing)})
    return added


def matter_people_notes(hearing: Hearing) -> list[str]:
    """What the page says about agenda matters whose people are not (yet) participants."""
    notes = []
    for matter in _agenda_matters(hearing):
        if matter.identity_sealed:
            notes.append(_("Hồ sơ %(code)s: danh tính người tố cáo được giữ bí mật nên không "
                           "được tự động thêm vào thành phần; Văn phòng mời người tố cáo qua "
                           "kênh liên hệ được bảo vệ.") % {"code": matter.tracking_code})
        elif citizen_point(hearing, matter) is None:
            where = (_("điểm cầu trụ sở UBND xã") if matter.join_point == JoinPoint.COMMUNE_HALL
                     else _("điểm cầu của công dân"))
            notes.append(_("Hồ sơ %(code)s: công dân sẽ được tự động thêm vào thành phần khi "
                           "có %(point)s.") % {"code": matter.tracking_code, "point": where})
    return notes
