"""A posted id that is not a number (a forged or garbled form) is answered like an unknown
id: the page says what is missing, never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["remove_point", "participant"])
def test_a_point_that_is_not_a_number_is_asked_for_again(client, login_staff, an_lao, officer,
                                                         ready_hearing, action):
    login_staff(client, officer)
    response = client.post(reverse("hearings:action", args=[
        an_lao.ward_code, ready_hearing.pk, action]), {"point": "abc", "full_name": "Lê Hoa"})
    assert response.status_code == 422
    assert "Chọn điểm cầu." in response.content.decode()


def test_a_proposal_that_is_not_a_number_is_not_found(client, login_staff, an_lao, chairman):
    login_staff(client, chairman)
    response = client.post(reverse("hearings:proposals", args=[an_lao.ward_code]),
                           {"selection": "abc", "approve": "yes", "reason": "Đồng ý"})
    assert response.status_code == 404
