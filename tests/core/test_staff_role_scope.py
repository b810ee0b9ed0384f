"""A staff role's scope matches the role: city roles over a city, the others in a commune."""

import pytest

from tests.factories import UserFactory
from tiepdan.core.forms import StaffRoleForm
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "in_commune", "in_city", "valid"),
    [
        pytest.param(Role.CHAIRMAN, True, False, True, id="commune-role-in-commune"),
        pytest.param(Role.CHAIRMAN, False, True, False, id="commune-role-over-city"),
        pytest.param(Role.CITY_OBSERVER, False, True, True, id="city-role-over-city"),
        pytest.param(Role.CITY_OBSERVER, True, False, False, id="city-role-in-commune"),
        pytest.param(Role.SYSTEM_ADMIN, True, True, False, id="both-scopes"),
    ],
)
def test_it_checks_the_scope_of_the_role(role, in_commune, in_city, valid, city, an_lao):
    form = StaffRoleForm(data={
        "user": UserFactory().pk, "role": role,
        "commune": an_lao.pk if in_commune else "", "city": city.pk if in_city else "",
    })

    assert form.is_valid() is valid
