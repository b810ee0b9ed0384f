"""The demo loader gives each demo commune bodies to assign tasks to, with the demo department
representative acting for one of them; loading twice changes nothing."""

import pytest

from tiepdan.demo import data
from tiepdan.followup.models import Body

pytestmark = pytest.mark.django_db


def test_demo_communes_get_bodies_with_a_representative():
    data.load()
    data.load()

    bodies = Body.objects.filter(commune__ward_code=11629)
    assert {b.name for b in bodies} == {"Công chức Địa chính – Xây dựng",
                                        "Công chức Văn hóa – Xã hội"}
    land = bodies.get(name="Công chức Địa chính – Xây dựng")
    assert [u.username for u in land.members.all()] == ["anlao.phong"]
    assert Body.objects.count() == 2 * len(data.COMMUNES)
