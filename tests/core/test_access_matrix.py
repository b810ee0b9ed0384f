"""The permission matrix: what each role may do in its commune (or, for city roles, in every
commune of its city), and that it may do nothing anywhere else.

The expected sets are written out here on purpose, not read from ``ROLE_PERMS``: a change to
the matrix must be a deliberate change to this table too.
"""

import pytest

from tests.factories import CityFactory, CommuneFactory, staff_user
from tiepdan.core.access import Perm, communes_with_perm, has_perm, roles_of, user_communes
from tiepdan.core.models import CITY_ROLES, Role

pytestmark = pytest.mark.django_db

P = Perm
EXPECTED = {
    Role.OFFICE_OFFICER: {P.VIEW_MATTERS, P.REGISTER_ASSISTED, P.TRIAGE, P.PLAN_HEARING,
                          P.FOLLOW_UP, P.ASSIGN_FOLLOW_UP, P.VIEW_REPORTS, P.ISSUE_REPORTS,
                          P.REVEAL_IDENTITY, P.VIEW_RECORDINGS},
    Role.CHAIRMAN: {P.VIEW_MATTERS, P.REGISTER_ASSISTED, P.DECIDE_HEARING, P.PLAN_HEARING,
                    P.ASSIGN_FOLLOW_UP, P.VIEW_REPORTS, P.ISSUE_REPORTS, P.REVEAL_IDENTITY,
                    P.VIEW_RECORDINGS, P.VIEW_ACCESS_LOG},
    Role.VICE_CHAIRMAN: {P.VIEW_MATTERS, P.REGISTER_ASSISTED, P.DECIDE_HEARING, P.VIEW_REPORTS,
                         P.ISSUE_REPORTS, P.VIEW_RECORDINGS},
    Role.DEPARTMENT_REP: {P.VIEW_MATTERS, P.FOLLOW_UP},
    Role.TECHNICAL_OPERATOR: {P.OPERATE_MEDIA, P.VIEW_RECORDINGS},
    Role.COMMUNE_POLICE: {P.VIEW_MATTERS},
    Role.VILLAGE_HEAD: {P.REGISTER_ASSISTED},
    Role.CITY_OBSERVER: {P.VIEW_MATTERS, P.VIEW_REPORTS, P.VIEW_RECORDINGS},  # read only
    Role.SYSTEM_ADMIN: {P.MANAGE_SYSTEM, P.VIEW_ACCESS_LOG},
}
CASES = [
    pytest.param(role, perm, perm in EXPECTED[role], id=f"{role.value}-{perm.value}")
    for role in Role
    for perm in Perm
]


def test_every_role_is_in_the_table():
    assert set(EXPECTED) == set(Role)


@pytest.fixture
def other_city_commune():
    return CommuneFactory(ward_code=277, name="Phường Bạch Mai",
                          city=CityFactory(province_code=1, name="Thành phố Hà Nội"))


@pytest.mark.parametrize(("role", "perm", "granted"), CASES)
def test_a_role_grants_exactly_its_permissions_in_its_commune(role, perm, granted, an_lao):
    user = staff_user(role, commune=an_lao)

    assert has_perm(user, perm, an_lao) is granted


@pytest.mark.parametrize("role", [r for r in Role if r not in CITY_ROLES])
def test_a_commune_role_grants_nothing_in_another_commune(role, an_lao, lac_phuong):
    user = staff_user(role, commune=an_lao)

    assert not any(has_perm(user, perm, lac_phuong) for perm in Perm)
    assert roles_of(user, lac_phuong) == set()
    assert list(user_communes(user)) == [an_lao]


@pytest.mark.parametrize("role", sorted(CITY_ROLES))
def test_a_city_role_covers_every_commune_of_its_city_and_no_other(
    role, city, an_lao, lac_phuong, other_city_commune
):
    user = staff_user(role, city=city)

    for perm in EXPECTED[role]:
        assert set(communes_with_perm(user, perm)) == {an_lao, lac_phuong}
    assert not any(has_perm(user, perm, other_city_commune) for perm in Perm)
    assert set(user_communes(user)) == {an_lao, lac_phuong}


def test_an_inactive_user_has_no_permission(an_lao):
    user = staff_user(Role.CHAIRMAN, commune=an_lao, is_active=False)

    assert not has_perm(user, Perm.VIEW_MATTERS, an_lao)
