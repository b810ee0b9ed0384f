import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.hearings import planning, selection
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.workdays.deadlines import VN_TZ

#: "Now" for hearing tests: Tuesday 01/12/2026, 09:00 in Hải Phòng.
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=VN_TZ)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def chairman(an_lao):
    return staff_user(Role.CHAIRMAN, commune=an_lao, email="chu.tich@example.org")


@pytest.fixture
def officer(an_lao):
    return staff_user(Role.OFFICE_OFFICER, commune=an_lao, email="van.phong@example.org")


@pytest.fixture
def operator(an_lao):
    return staff_user(Role.TECHNICAL_OPERATOR, commune=an_lao, email="ky.thuat@example.org")


@pytest.fixture
def accepted_matter(client, an_lao, form_data):
    # Joins from the village's point: the petitioner comes with the citizens' bridge point.
    form_data = {**form_data, "email": "cong.dan@example.org", "join_point": "other_point",
                 "join_point_detail": "Nhà văn hóa thôn Đông"}
    client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    matter = Matter.objects.get()
    Matter.objects.filter(pk=matter.pk).update(status=MatterStatus.ACCEPTED)
    matter.refresh_from_db()
    return matter


@pytest.fixture
def approved_matter(accepted_matter, officer, chairman):
    chosen = selection.propose(accepted_matter, ground="b", actor=officer, note="Ở xa")
    selection.decide(chosen, approve=True, actor=chairman, reason="Đồng ý")
    return accepted_matter


@pytest.fixture
def make_hearing(an_lao, chairman, officer, approved_matter, clock):
    def make(start=dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ), **extra):
        return planning.create_hearing(
            an_lao, starts_at=start, duration_minutes=120, chair=chairman,
            title="Tiếp công dân định kỳ tháng 12", actor=officer,
            matters=[approved_matter], **extra)

    return make


@pytest.fixture
def ready_hearing(make_hearing, officer):
    hearing = make_hearing()
    planning.add_bridge_point(
        hearing, actor=officer, kind="commune_hall", is_central=True, name="Trụ sở UBND xã",
        address="Thôn Hàm Hy", responsible_person="Vũ Văn Chủ Tịch",
        technical_contact_name="Ngô Văn Kỹ Thuật", technical_contact_phone="0912000999")
    # The citizens' point brings the petitioner of the agenda's matter (Trần Thị Bình,
    # cong.dan@example.org, 0912 000 101) as a participant (hearings.people).
    planning.add_bridge_point(
        hearing, actor=officer, kind="citizen", name="Nhà văn hóa thôn Đông",
        address="Thôn Đông", responsible_person="Lý Văn Thôn",
        technical_contact_name="Lý Văn Thôn", technical_contact_phone="0912000888")
    return hearing
