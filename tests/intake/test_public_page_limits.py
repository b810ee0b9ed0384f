"""The registration form and /tra-cuu/ are rate-limited per client address like the API."""

import pytest
from django.urls import reverse

from tiepdan.intake.models import Matter

pytestmark = pytest.mark.django_db


def test_status_lookups_are_limited_even_with_forged_addresses(client, settings, db):
    settings.LOOKUP_PAGE_RATE = "5/m"
    statuses = [
        client.post(reverse("intake:lookup"), {"code": "AAAA-BBBB-CCCC", "phone": "0912000101"},
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
        for i in range(7)
    ]
    assert statuses == [404] * 5 + [429] * 2
    response = client.post(reverse("intake:lookup"), {"code": "x", "phone": "y"})
    assert "Bạn gửi quá nhiều yêu cầu" in response.content.decode()
    assert response.has_header("Retry-After")


def test_the_registration_form_post_is_limited(client, an_lao, form_data, settings):
    settings.REGISTRATION_FORM_RATE = "2/m"
    url = reverse("intake:register", args=[an_lao.ward_code])
    assert client.post(url, form_data).status_code == 302
    assert client.post(url, form_data).status_code == 302
    response = client.post(url, form_data)
    assert response.status_code == 429
    assert Matter.objects.count() == 2
    assert client.get(url).status_code == 200  # reading the form is not counted
