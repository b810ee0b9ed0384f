"""Who may do what, where: the one permission matrix, checked on the server for every page,
API call and download.

A permission is granted to a user *in a commune* through a role held in that commune, or through
a city role over every commune of the city.  City observers only ever get read permissions.

The one API every role check goes through: ``has_perm(user, need, commune)`` and
``check(user, need, commune)`` (raises ``core.errors.Forbidden``), where ``need`` is one
``Perm`` or one of the named sets below (any one of its permissions is enough).  Rules about a
*thing* (the chair of this hearing, the body of this task) are predicates of their app built on
these two.  The roles are read once per user and commune in a request (``roles_of``).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise

from .errors import Forbidden
from .models import Commune, Role, StaffRole


class Perm(StrEnum):
    VIEW_MATTERS = "view_matters"  # inbox, matter details, attachments
    REGISTER_ASSISTED = "register_assisted"  # register on behalf of a citizen
    TRIAGE = "triage"  # classify, accept, forward, refuse ...
    DECIDE_HEARING = "decide_hearing"  # approve matters for and confirm hearings
    PLAN_HEARING = "plan_hearing"  # schedule hearings, bridge points, invitations
    OPERATE_MEDIA = "operate_media"  # technical operator of the hearing room
    FOLLOW_UP = "follow_up"  # update follow-up tasks
    ASSIGN_FOLLOW_UP = "assign_follow_up"  # assign every body's tasks, close matters
    VIEW_REPORTS = "view_reports"
    # Write and issue the commune's periodic results report (BC) to the city: the commune's
    # own act, by its office and its leaders.
    ISSUE_REPORTS = "issue_reports"
    MANAGE_SYSTEM = "manage_system"  # calendar overrides, staff, communes
    # Luật Tố cáo Đ47 k1 e, Đ56: only the person who resolves a denunciation (the Chairman) and
    # the officer who receives it may read the denouncer's identity — with a reason, audited.
    REVEAL_IDENTITY = "reveal_identity"
    # Play and download the hearing recordings (every access audited).
    VIEW_RECORDINGS = "view_recordings"
    # Read the commune's personal-data access log (who read whose data): the Chairman, who
    # answers for the data of the commune, and the system administrator.
    VIEW_ACCESS_LOG = "view_access_log"


#: Permissions that only read; the only ones a city observer ever holds.
READ_PERMS = frozenset({Perm.VIEW_MATTERS, Perm.VIEW_REPORTS, Perm.VIEW_RECORDINGS})

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.OFFICE_OFFICER: frozenset(
        {Perm.VIEW_MATTERS, Perm.REGISTER_ASSISTED, Perm.TRIAGE, Perm.PLAN_HEARING,
         Perm.FOLLOW_UP, Perm.ASSIGN_FOLLOW_UP, Perm.VIEW_REPORTS, Perm.ISSUE_REPORTS,
         Perm.REVEAL_IDENTITY, Perm.VIEW_RECORDINGS}
    ),
    Role.CHAIRMAN: frozenset(
        {Perm.VIEW_MATTERS, Perm.REGISTER_ASSISTED, Perm.DECIDE_HEARING, Perm.PLAN_HEARING,
         Perm.ASSIGN_FOLLOW_UP, Perm.VIEW_REPORTS, Perm.ISSUE_REPORTS, Perm.REVEAL_IDENTITY,
         Perm.VIEW_RECORDINGS, Perm.VIEW_ACCESS_LOG}
    ),
    Role.VICE_CHAIRMAN: frozenset(
        {Perm.VIEW_MATTERS, Perm.REGISTER_ASSISTED, Perm.DECIDE_HEARING, Perm.VIEW_REPORTS,
         Perm.ISSUE_REPORTS, Perm.VIEW_RECORDINGS}
    ),
    Role.DEPARTMENT_REP: frozenset({Perm.VIEW_MATTERS, Perm.FOLLOW_UP}),
    Role.TECHNICAL_OPERATOR: frozenset({Perm.OPERATE_MEDIA, Perm.VIEW_RECORDINGS}),
    Role.COMMUNE_POLICE: frozenset({Perm.VIEW_MATTERS}),
    # Village heads register on behalf of villagers and see only what they registered.
    Role.VILLAGE_HEAD: frozenset({Perm.REGISTER_ASSISTED}),
    Role.CITY_OBSERVER: READ_PERMS,
    Role.SYSTEM_ADMIN: frozenset({Perm.MANAGE_SYSTEM, Perm.VIEW_ACCESS_LOG}),
}


# Actions open to whoever holds any one of a set of permissions.

#: Open the hearings list (read-only) and a hearing's page: the planners, the leaders who
#: decide on hearings and chair them (Luật Tiếp công dân Đ15 k3: the Chairman may charge a
#: Vice-Chairman with a reception), and the technical operator who runs the room.
VIEW_HEARINGS = frozenset({Perm.PLAN_HEARING, Perm.DECIDE_HEARING, Perm.OPERATE_MEDIA})
#: Read a hearing's minutes and conclusions: whoever views the commune's matters, plans or
#: decides on hearings.
READ_MINUTES = frozenset({Perm.VIEW_MATTERS, Perm.PLAN_HEARING, Perm.DECIDE_HEARING})
#: Draft, change and finalise the minutes (biên bản): the office.
EDIT_MINUTES = frozenset({Perm.PLAN_HEARING})
#: Ghi kết luận, ban hành thông báo kết luận: the office writes down what the chair — the
#: Chairman or a Vice-Chairman — concludes (Luật Tiếp công dân Đ15 k3; NĐ 154/2026 Đ25).
CONCLUDE = frozenset({Perm.PLAN_HEARING, Perm.DECIDE_HEARING})
#: The tasks a conclusion gives to bodies are part of that conclusion: whoever may record it may
#: have its tasks created (assigning tasks at other times stays with ASSIGN_FOLLOW_UP).
ASSIGN_CONCLUSION_TASKS = CONCLUDE | {Perm.ASSIGN_FOLLOW_UP}
#: Open the follow-up board: the office and the Chairman (every body), department
#: representatives (the bodies they act for).
SEE_FOLLOW_UP = frozenset({Perm.FOLLOW_UP, Perm.ASSIGN_FOLLOW_UP})
#: Open a commune's inbox: whoever reads its matters, or registers on a citizen's behalf (a
#: village head sees only what they registered).
OPEN_INBOX = frozenset({Perm.VIEW_MATTERS, Perm.REGISTER_ASSISTED})

#: Upload a document's signed PDF and retry the organisation's signature: who issues the
#: commune's documents (the office and the leaders who decide on hearings, assign follow-up).
SIGN_DOCUMENTS = frozenset({Perm.PLAN_HEARING, Perm.DECIDE_HEARING, Perm.ASSIGN_FOLLOW_UP})

#: Read a commune's issued documents (their page and files): whoever plans hearings or views
#: matters there.
READ_DOCUMENTS = frozenset({Perm.PLAN_HEARING, Perm.VIEW_MATTERS})

#: One permission, or a set of which any one is enough.
Need = Perm | frozenset[Perm]


def _is_staff_user(user: User | AnonymousUser) -> TypeGuard[User]:
    return bool(user and user.is_authenticated and user.is_active)


def signed_in_user(user: User | AnonymousUser) -> User:
    """``user`` as a signed-in staff member; ``Forbidden`` for an anonymous visitor (for code
    behind a gate that already let only staff in, such as the admin site)."""
    if not user.is_authenticated:
        raise Forbidden
    return user


def roles_granting(perm: Perm) -> list[str]:
    """Every role whose permissions include ``perm``."""
    return [role for role, perms in ROLE_PERMS.items() if perm in perms]


def communes_with_perm(user: User | AnonymousUser, perm: Perm) -> QuerySet[Commune]:
    """Every commune in which ``user`` holds ``perm`` (empty for anonymous users)."""
    if not _is_staff_user(user):
        return Commune.objects.none()
    roles = roles_granting(perm)
    memberships = StaffRole.objects.filter(user=user, role__in=roles)
    commune_ids = memberships.filter(commune__isnull=False).values("commune_id")
    city_ids = memberships.filter(city__isnull=False).values("city_id")
    return Commune.objects.filter(Q(id__in=commune_ids) | Q(city_id__in=city_ids))


def _perms(need: Need | Iterable[Perm]) -> frozenset[Perm]:
    return frozenset({need}) if isinstance(need, Perm) else frozenset(need)


def has_perm(user: User | AnonymousUser, need: Need, commune: Commune) -> bool:
    """Whether ``user`` holds ``need`` (one permission, or any one of a set) in ``commune``."""
    return bool(_perms(need) & perms_in(user, commune))


def check(user: User | AnonymousUser | None, need: Need, commune: Commune,
          message: str | Promise | None = None) -> None:
    """Raise ``Forbidden`` (with ``message``, if given) unless ``user`` holds ``need`` in
    ``commune``: the first line of every service that changes state."""
    if user is None or not has_perm(user, need, commune):
        raise Forbidden(message)


#: Bumped whenever a role is saved or deleted: the roles remembered on a user object (for one
#: request, see :func:`roles_of`) are read again after any change.
_roles_generation = 0

#: The attribute of a user object that remembers its roles: (generation, {(commune id, city id):
#: roles}).
_ROLES_MEMO = "_tiepdan_roles"
_RolesMemo = tuple[int, dict[tuple[int, int], frozenset[str]]]


def _forget_roles(**_kwargs: object) -> None:
    global _roles_generation  # noqa: PLW0603 - a process-wide counter, read by roles_of
    _roles_generation += 1


post_save.connect(_forget_roles, sender=StaffRole, dispatch_uid="tiepdan.core.access.roles")
post_delete.connect(_forget_roles, sender=StaffRole, dispatch_uid="tiepdan.core.access.roles")


def roles_of(user: User | AnonymousUser, commune: Commune) -> set[str]:
    """The roles ``user`` holds that apply to ``commune`` (directly or through its city).

    Remembered on the user object (a page's ``request.user`` lives for one request) until a
    role is saved or deleted in this process: a page asks the same question many times (view,
    next steps, panels, audit) and reads the roles once."""
    if not _is_staff_user(user):
        return set()
    memo: _RolesMemo | None = getattr(user, _ROLES_MEMO, None)
    if memo is None or memo[0] != _roles_generation:
        memo = (_roles_generation, {})
        setattr(user, _ROLES_MEMO, memo)
    key = (commune.pk, commune.city_id)
    if key not in memo[1]:
        memo[1][key] = frozenset(
            StaffRole.objects.filter(user=user)
            .filter(Q(commune=commune) | Q(city_id=commune.city_id))
            .values_list("role", flat=True)
        )
    return set(memo[1][key])


def user_communes(user: User | AnonymousUser) -> QuerySet[Commune]:
    """Every commune where ``user`` holds any role at all."""
    if not _is_staff_user(user):
        return Commune.objects.none()
    memberships = StaffRole.objects.filter(user=user)
    return Commune.objects.filter(
        Q(id__in=memberships.filter(commune__isnull=False).values("commune_id"))
        | Q(city_id__in=memberships.filter(city__isnull=False).values("city_id"))
    ).distinct()


def perms_in(user: User | AnonymousUser, commune: Commune) -> frozenset[Perm]:
    """Every permission ``user`` holds in ``commune`` (one query)."""
    return frozenset().union(*(ROLE_PERMS.get(role, frozenset())
                               for role in roles_of(user, commune)))
