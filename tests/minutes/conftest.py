"""A hearing of Xã An Lão held on 15/12/2026 through the real services (planned, confirmed,
ended), with two matters on its agenda — a recommendation and a denunciation whose identity
is sealed — and the room's timeline written as the signalling consumer writes it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from docx import Document

from tests.factories import staff_user
from tests.register.conftest import decided
from tiepdan.core.models import Role
from tiepdan.documents.models import IssuedDocument
from tiepdan.hearings import planning, selection
from tiepdan.hearings.models import Attendance, Hearing, Participant
from tiepdan.intake.models import Gender, Matter, MatterKind
from tiepdan.media.models import HearingRoom, RoomEvent
from tiepdan.workdays.deadlines import VN_TZ

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=VN_TZ)
START = dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ)
RECORDING_START = START + dt.timedelta(minutes=2)
ENDED = dt.datetime(2026, 12, 15, 10, 5, tzinfo=VN_TZ)

#: The denouncer's real identity: it must never reach a body or a document.
DENOUNCER = ("Lê Văn Tố Giác", "031099777888", "Xóm Bí Mật 9", "0912777888",
             "to.giac@example.org")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(an_lao):
    return staff_user(Role.OFFICE_OFFICER, commune=an_lao, username="vanphong",
                      last_name="", first_name="Đỗ Thị Văn Phòng", email="vp@example.org")


@pytest.fixture
def chairman(an_lao):
    return staff_user(Role.CHAIRMAN, commune=an_lao, username="chutich",
                      last_name="", first_name="Vũ Văn Chủ Tịch", email="ct@example.org")


def _approved(matter: Matter, officer, chairman, ground: str = "b") -> Matter:
    chosen = selection.propose(matter, ground=ground, actor=officer, note="Ở xa")
    selection.decide(chosen, approve=True, actor=chairman, reason="Đồng ý")
    return matter


@pytest.fixture
def recommendation(an_lao, officer, chairman):
    matter = decided(an_lao, officer, "accept", kind=MatterKind.KIEN_NGHI,
                     gender=Gender.FEMALE, email="cong.dan@example.org",
                     summary="Kiến nghị sửa đường liên thôn")
    return _approved(matter, officer, chairman)


@pytest.fixture
def denunciation(an_lao, officer, chairman):
    name, id_number, address, phone, email = DENOUNCER
    matter = decided(an_lao, officer, "accept", kind=MatterKind.TO_CAO, full_name=name,
                     id_number=id_number, address=address, phone=phone, email=email,
                     summary="Tố cáo cán bộ thu tiền sai quy định")
    matter.refresh_from_db()
    assert matter.identity_sealed
    return _approved(matter, officer, chairman, ground="d")


def _event(room: HearingRoom, offset: float, kind: str, actor: str, point=None,
           **detail) -> RoomEvent:
    return RoomEvent.objects.create(
        room=room, at=room.started_at + dt.timedelta(seconds=offset), offset_seconds=offset,
        kind=kind, actor=actor, bridge_point=point, detail=detail)


@pytest.fixture
def hearing(an_lao, officer, chairman, recommendation, denunciation, clock) -> Hearing:
    hearing = planning.create_hearing(
        an_lao, starts_at=START, duration_minutes=120, chair=chairman,
        title="Tiếp công dân định kỳ tháng 12", actor=officer,
        matters=[recommendation, denunciation])
    central = planning.add_bridge_point(
        hearing, actor=officer, kind="commune_hall", is_central=True, name="Trụ sở UBND xã",
        address="Thôn Hàm Hy", responsible_person="Văn phòng",
        technical_contact_name="Ngô Văn Kỹ Thuật", technical_contact_phone="0912000999")
    village = planning.add_bridge_point(
        hearing, actor=officer, kind="citizen", name="Nhà văn hóa thôn Đông",
        address="Thôn Đông", responsible_person="Lý Văn Thôn",
        technical_contact_name="Lý Văn Thôn", technical_contact_phone="0912000888")
    # The petitioner of the recommendation came with the citizens' point (hearings.people);
    # the sealed denouncer did not.
    citizen = Participant.objects.get(bridge_point=village,
                                      source_key=f"matter:{recommendation.pk}")
    cadastral = planning.add_participant(central, actor=officer, full_name="Phạm Văn Địa",
                                         position="Trưởng phòng", organisation="Phòng Kinh tế")
    absent = planning.add_participant(central, actor=officer, full_name="Hoàng Văn Vắng",
                                      organisation="Công an xã")
    planning.confirm_hearing(hearing, actor=officer)
    Participant.objects.filter(pk=citizen.pk).update(attendance=Attendance.CONFIRMED)
    Participant.objects.filter(pk=cadastral.pk).update(
        attendance=Attendance.SUBSTITUTED, substitute_name="Bùi Thị Thay",
        substitute_position="Phó Trưởng phòng")
    Participant.objects.filter(pk=absent.pk).update(attendance=Attendance.DECLINED)
    room = HearingRoom.objects.create(hearing=hearing, janus_room_id=4242,
                                      sealed_secret="x", started_at=RECORDING_START)
    _event(room, 10, "join", "Vũ Văn Chủ Tịch", central, role="chair")
    _event(room, 65, "join", "Trần Thị Bình", village, role="participant")
    _event(room, 70, "publish", "Trần Thị Bình", village, feed=1)
    _event(room, 300, "hand_raise", "Trần Thị Bình", village)
    _event(room, 312, "grant", "Vũ Văn Chủ Tịch", village, participant=f"p{citizen.pk}",
           seconds=180)
    _event(room, 492, "revoke", "Vũ Văn Chủ Tịch", village, reason="time_up")
    _event(room, 3700, "leave", "Trần Thị Bình", village)
    clock.move_to(ENDED)
    return planning.mark_held(hearing, actor=chairman)


def docx_text(document: IssuedDocument) -> str:
    with document.docx_file.open("rb") as stored:
        docx = Document(io.BytesIO(stored.read()))
    paragraphs = list(docx.paragraphs)
    for table in docx.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return "\n".join(p.text for p in paragraphs)
