import pytest
from django.urls import reverse

from tests.builders import advance
from tiepdan.intake.models import Matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(client, an_lao, form_data):
    client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    return Matter.objects.get()


def test_it_shows_the_status_in_plain_words(client, matter):
    response = client.post(reverse("intake:lookup"),
                           {"code": matter.tracking_code.lower().replace("-", " "),
                            "phone": "0912000101"})
    assert response.status_code == 200
    html = response.content.decode()
    assert matter.tracking_code in html
    assert "đang chờ cán bộ xem xét" in html


def test_the_status_follows_the_matter(client, matter):
    advance(matter, "forwarded")
    response = client.post(reverse("intake:lookup"),
                           {"code": matter.tracking_code, "phone": "+84912000101"})
    assert "chuyển đến cơ quan có thẩm quyền" in response.content.decode()


@pytest.mark.parametrize("phone", ["0912000102", "", "xyz"])
def test_a_wrong_pair_reveals_nothing(client, matter, phone):
    response = client.post(reverse("intake:lookup"), {"code": matter.tracking_code,
                                                      "phone": phone})
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy hồ sơ" in html
    assert matter.summary not in html

