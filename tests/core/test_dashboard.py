"""The staff landing page: the communes a staff member acts in, and nothing else."""

import pytest
from django.urls import reverse

from tests.factories import CityFactory, CommuneFactory, StaffRoleFactory, staff_user
from tiepdan.core.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def hai_ba_trung():
    """A commune of another city (Hà Nội)."""
    return CommuneFactory(ward_code=277, name="Phường Bạch Mai",
                          city=CityFactory(province_code=1, name="Thành phố Hà Nội"))


def _dashboard(client, login_staff, user):
    login_staff(client, user)
    return client.get(reverse("core:dashboard")).content.decode()


def test_it_shows_only_the_users_own_communes_with_roles(client, login_staff, an_lao, lac_phuong):
    user = staff_user(Role.OFFICE_OFFICER, commune=an_lao)

    page = _dashboard(client, login_staff, user)

    assert "Xã An Lão" in page
    assert "Cán bộ Văn phòng HĐND-UBND" in page
    assert 'href="/can-bo/xa/11629/ho-so/"' in page
    assert "Xã Lạc Phượng" not in page
    assert "chỉ xem" not in page


def test_it_lists_every_role_held_in_a_commune(client, login_staff, an_lao):
    user = staff_user(Role.VICE_CHAIRMAN, commune=an_lao)
    StaffRoleFactory(user=user, role=Role.DEPARTMENT_REP, commune=an_lao)

    page = _dashboard(client, login_staff, user)

    assert "Phó Chủ tịch UBND" in page
    assert "Đại diện phòng chuyên môn" in page


def test_a_city_observer_sees_every_commune_of_the_city_read_only(
    client, login_staff, city, an_lao, lac_phuong, hai_ba_trung
):
    user = staff_user(Role.CITY_OBSERVER, city=city)

    page = _dashboard(client, login_staff, user)

    assert "Xã An Lão" in page
    assert "Xã Lạc Phượng" in page
    assert page.count("chỉ xem") == 2
    assert "Phường Bạch Mai" not in page
    assert "/can-bo/xa/277/" not in page


def test_a_user_without_roles_is_told_so(client, login_staff, an_lao):
    page = _dashboard(client, login_staff, staff_user(None))

    assert "chưa được phân công vai trò" in page
    assert "Xã An Lão" not in page


def test_the_navigation_shows_the_name_and_a_logout_button(client, login_staff, an_lao):
    user = staff_user(Role.CHAIRMAN, commune=an_lao, first_name="Thị Hoa", last_name="Lê")

    page = _dashboard(client, login_staff, user)

    assert "Lê Thị Hoa" in page
    assert f'action="{reverse("core:logout")}" method="post"' in page


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_the_inbox_link_is_shown_only_to_who_may_open_it(client, login_staff, an_lao, role):
    if role in {Role.CITY_OBSERVER}:
        user = staff_user(role, city=an_lao.city)
    else:
        user = staff_user(role, commune=an_lao)
    page = _dashboard(client, login_staff, user)
    inbox = "/can-bo/xa/11629/ho-so/"
    shown = f'href="{inbox}"' in page
    opens = client.get(inbox).status_code == 200
    assert shown == opens, (role, shown, opens)
