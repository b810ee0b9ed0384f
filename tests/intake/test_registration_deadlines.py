"""Registering a matter starts its legal deadlines, and the inbox shows the nearest one."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import Matter, MatterDeadline
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 2, 13, 10, 0, tzinfo=VN_TZ), tick=False)
def test_a_complaint_registered_before_tet_gets_its_deadlines(client, an_lao, form_data):
    data = {**form_data, "kind": "khieu_nai", "complained_decision": "QĐ 12/QĐ-UBND"}
    client.post(reverse("intake:register", args=[an_lao.ward_code]), data)
    matter = Matter.objects.get()
    due = dict(MatterDeadline.objects.filter(matter=matter).values_list("rule_key", "due"))
    # Fri 13/02/2026; Tết 16–20/02 and the weekends are skipped:
    # 10 working days → 23,24,25,26,27/02, 02,03,04,05,06/03 → Fri 06/03.
    assert due["notify_outcome"] == dt.date(2026, 3, 6)
    # 7 working days → Tue 03/03.
    assert due["complaint_acceptance"] == dt.date(2026, 3, 3)


def test_the_inbox_shows_the_nearest_deadline(client, login_staff, an_lao, form_data):
    client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    matter = Matter.objects.get()
    nearest = MatterDeadline.objects.filter(matter=matter).order_by("due").first()
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    page = client.get(reverse("intake:inbox", args=[an_lao.ward_code])).content.decode()
    assert "Hạn gần nhất" in page
    assert nearest.due.strftime("%d/%m/%Y") in page
