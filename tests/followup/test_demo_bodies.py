"""The demo loader gives each demo commune its lists: bodies to assign tasks to (the demo
department representative acting for the Phòng Kinh tế) and the fields triage picks from;
loading twice changes nothing."""

import pytest

from tiepdan.demo import data
from tiepdan.followup.models import Body
from tiepdan.intake.models import FieldOfLaw

pytestmark = pytest.mark.django_db


def test_demo_communes_get_bodies_with_a_representative():
    data.load()
    data.load()

    bodies = Body.objects.filter(commune__ward_code=11629)
    assert {b.name for b in bodies} >= {"Phòng Kinh tế", "Công an xã",
                                        "Công chức Địa chính – Xây dựng"}
    economy = bodies.get(name="Phòng Kinh tế")
    assert [u.username for u in economy.members.all()] == ["anlao.phong"]
    assert Body.objects.count() == len(data.BODIES) * len(data.COMMUNES)


def test_demo_communes_get_a_field_list():
    data.load()
    data.load()

    names = list(FieldOfLaw.objects.filter(commune__ward_code=11629)
                 .values_list("name", flat=True))
    assert {"Đất đai", "Xây dựng", "Môi trường"} <= set(names)
    assert FieldOfLaw.objects.count() == len(data.FIELDS) * len(data.COMMUNES)
