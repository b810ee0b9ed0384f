"""A page asks for the user's permissions in a commune many times; the roles are read once per
user object and read again as soon as a role is given or taken away."""

from __future__ import annotations

import pytest

from tests.factories import CommuneFactory, StaffRoleFactory, staff_user
from tiepdan.core.access import Perm, has_perm, perms_in, roles_of
from tiepdan.core.models import Role, StaffRole

pytestmark = pytest.mark.django_db


def test_the_roles_are_read_once_for_many_questions(an_lao, django_assert_num_queries):
    officer = staff_user(Role.OFFICE_OFFICER, an_lao)
    with django_assert_num_queries(1):
        assert has_perm(officer, Perm.TRIAGE, an_lao)
        assert has_perm(officer, Perm.VIEW_MATTERS, an_lao)
        assert not has_perm(officer, Perm.DECIDE_HEARING, an_lao)
        assert roles_of(officer, an_lao) == {Role.OFFICE_OFFICER}
        assert Perm.PLAN_HEARING in perms_in(officer, an_lao)


def test_a_role_given_or_taken_away_counts_at_once(an_lao):
    officer = staff_user(Role.OFFICE_OFFICER, an_lao)
    other = CommuneFactory(city=an_lao.city)
    assert not has_perm(officer, Perm.VIEW_MATTERS, other)
    StaffRoleFactory(user=officer, role=Role.COMMUNE_POLICE, commune=other, city=None)
    assert has_perm(officer, Perm.VIEW_MATTERS, other)
    StaffRole.objects.filter(user=officer, commune=an_lao).delete()
    assert not has_perm(officer, Perm.TRIAGE, an_lao)
    assert roles_of(officer, an_lao) == set()


def test_a_city_role_counts_in_every_commune_of_the_city(an_lao, lac_phuong):
    observer = staff_user(Role.CITY_OBSERVER, city=an_lao.city)
    assert has_perm(observer, Perm.VIEW_MATTERS, an_lao)
    assert has_perm(observer, Perm.VIEW_MATTERS, lac_phuong)
    assert not has_perm(observer, Perm.TRIAGE, lac_phuong)


def test_a_deactivated_user_holds_nothing(an_lao):
    officer = staff_user(Role.OFFICE_OFFICER, an_lao)
    assert has_perm(officer, Perm.TRIAGE, an_lao)
    officer.is_active = False
    assert not has_perm(officer, Perm.TRIAGE, an_lao)
