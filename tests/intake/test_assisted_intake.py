"""Staff and village heads register on behalf of a citizen (tiếp nhận hộ), recorded as such."""

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import Channel, Matter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.OFFICE_OFFICER, Role.VILLAGE_HEAD, Role.CHAIRMAN])
def test_it_records_who_registered_on_the_citizen_behalf(
    client, login_staff, an_lao, form_data, role
):
    user = staff_user(role, commune=an_lao)
    login_staff(client, user)
    response = client.post(reverse("intake:assisted", args=[an_lao.ward_code]), form_data)
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.channel == Channel.ASSISTED
    assert matter.registered_by == user
    receipt = client.get(response["Location"]).content.decode()
    assert "cán bộ tiếp nhận" in receipt


@pytest.mark.parametrize("role", [Role.DEPARTMENT_REP, Role.TECHNICAL_OPERATOR,
                                  Role.COMMUNE_POLICE])
def test_roles_without_the_permission_cannot_register_on_behalf(
    client, login_staff, an_lao, form_data, role
):
    login_staff(client, staff_user(role, commune=an_lao))
    response = client.post(reverse("intake:assisted", args=[an_lao.ward_code]), form_data)
    assert response.status_code == 403
    assert Matter.objects.count() == 0


def test_assisted_intake_validates_like_the_public_form(client, login_staff, an_lao, form_data):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    response = client.post(reverse("intake:assisted", args=[an_lao.ward_code]),
                           {**form_data, "id_number": "123"})
    assert response.status_code == 422
    assert "id_number" in response.context["form"].errors
    assert Matter.objects.count() == 0


def test_a_village_head_sees_only_what_they_registered(
    client, login_staff, an_lao, form_data
):
    client.post(reverse("intake:register", args=[an_lao.ward_code]),
                {**form_data, "summary": "Đơn công dân tự gửi"})
    head = staff_user(Role.VILLAGE_HEAD, commune=an_lao)
    login_staff(client, head)
    client.post(reverse("intake:assisted", args=[an_lao.ward_code]),
                {**form_data, "summary": "Đơn trưởng thôn nhận hộ"})
    inbox = client.get(reverse("intake:inbox", args=[an_lao.ward_code])).content.decode()
    assert "Đơn trưởng thôn nhận hộ" in inbox
    assert "Đơn công dân tự gửi" not in inbox
    own = Matter.objects.get(registered_by=head)
    other = Matter.objects.exclude(pk=own.pk).get()
    assert client.get(reverse("intake:matter", args=[an_lao.ward_code, own.pk])).status_code == 200
    assert client.get(
        reverse("intake:matter", args=[an_lao.ward_code, other.pk])).status_code == 404
