"""The permissions of a request are read once per commune: a page asks ``has_perm`` many times
(view, next steps, panels, templates) and pays one query; a role saved or deleted is seen at
the next question."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.factories import StaffRoleFactory, staff_user
from tiepdan.core import access
from tiepdan.core.access import Perm
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db


def test_many_questions_in_one_commune_cost_one_query(an_lao, django_assert_num_queries):
    user = get_user_model().objects.get(pk=staff_user(Role.OFFICE_OFFICER, commune=an_lao).pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            for perm in Perm:
                access.has_perm(user, perm, an_lao)
        access.has_perm(user, access.VIEW_HEARINGS, an_lao)
        access.check(user, Perm.TRIAGE, an_lao)


def test_each_commune_is_read_once(an_lao, lac_phuong, django_assert_num_queries):
    user = get_user_model().objects.get(pk=staff_user(Role.OFFICE_OFFICER, commune=an_lao).pk)
    with django_assert_num_queries(2):
        for _ in range(3):
            assert access.has_perm(user, Perm.TRIAGE, an_lao)
            assert not access.has_perm(user, Perm.TRIAGE, lac_phuong)


def test_a_new_role_is_seen_at_the_next_question(an_lao):
    user = staff_user(Role.DEPARTMENT_REP, commune=an_lao)
    assert not access.has_perm(user, Perm.TRIAGE, an_lao)
    StaffRoleFactory(user=user, role=Role.OFFICE_OFFICER, commune=an_lao, city=None)
    assert access.has_perm(user, Perm.TRIAGE, an_lao)
