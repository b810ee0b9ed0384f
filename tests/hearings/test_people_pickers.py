"""People are picked, not retyped: the agenda's matters bring their petitioner (and a group's
representatives) with their contacts, once; staff are picked from the commune's and city's
lists (person in charge, technical contact, participants); outside guests are typed; a sealed
denouncer is never added."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.errors import InvalidInput
from tiepdan.core.models import Role, StaffProfile
from tiepdan.hearings import people, planning
from tiepdan.hearings.models import BridgePoint, Participant

pytestmark = pytest.mark.django_db


def _citizen_point(hearing, officer):
    return planning.add_bridge_point(
        hearing, actor=officer, kind="citizen", name="Nhà văn hóa thôn Đông",
        address="Thôn Đông", responsible_person="Lý Văn Thịnh",
        technical_contact_name="Lý Văn Thịnh", technical_contact_phone="0912000888")


def _url(hearing, action=None):
    args = [hearing.commune.ward_code, hearing.pk]
    return reverse("hearings:action", args=[*args, action]) if action else reverse(
        "hearings:detail", args=args)


def test_the_citizens_point_brings_the_petitioner_with_the_registrations_contacts(
        make_hearing, officer, approved_matter):
    hearing = make_hearing()
    assert people.matter_people_notes(hearing)  # "added when there is a citizens' point"
    point = _citizen_point(hearing, officer)
    person = point.participants.get()
    assert (person.full_name, person.phone, person.email, person.is_citizen, person.matter) == (
        "Trần Thị Bình", "+84912000101", "cong.dan@example.org", True, approved_matter)
    assert person.source_key == f"matter:{approved_matter.pk}"
    assert not people.matter_people_notes(hearing)


def test_adding_more_points_adds_nobody_twice(make_hearing, officer):
    hearing = make_hearing()
    _citizen_point(hearing, officer)
    _citizen_point(hearing, officer)
    people.add_matter_people(hearing, actor=officer)
    assert Participant.objects.filter(bridge_point__hearing=hearing).count() == 1


def test_a_group_brings_its_representatives_once(make_hearing, officer, approved_matter):
    from tiepdan.intake.models import Representative

    approved_matter.group_size = 7
    approved_matter.save()
    Representative.objects.create(matter=approved_matter, position=1, full_name="Trần Thị Bình",
                                  phone="+84912000101")
    Representative.objects.create(matter=approved_matter, position=2, full_name="Cao Thị Diệu",
                                  phone="+84912000202")
    hearing = make_hearing()
    point = _citizen_point(hearing, officer)
    assert sorted(point.participants.values_list("full_name", "phone")) == [
        ("Cao Thị Diệu", "+84912000202"), ("Trần Thị Bình", "+84912000101")]


def test_a_sealed_denouncer_is_never_added_and_the_page_says_so(
        client, login_staff, an_lao, officer, chairman, clock):
    from tests.register.conftest import decided
    from tiepdan.hearings import selection
    from tiepdan.intake.models import MatterKind

    matter = decided(an_lao, officer, "accept", kind=MatterKind.TO_CAO,
                     full_name="Đinh Văn Kín", phone="0912777666")
    matter.refresh_from_db()
    assert matter.identity_sealed
    chosen = selection.propose(matter, ground="d", actor=officer)
    selection.decide(chosen, approve=True, actor=chairman, reason="Đồng ý")
    import datetime as dt

    from tiepdan.workdays.deadlines import VN_TZ
    hearing = planning.create_hearing(
        an_lao, starts_at=dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ), duration_minutes=60,
        chair=chairman, title="Tiếp công dân", actor=officer, matters=[matter])
    _citizen_point(hearing, officer)
    assert not Participant.objects.filter(bridge_point__hearing=hearing).exists()
    login_staff(client, officer)
    page = client.get(_url(hearing)).content.decode()
    assert "danh tính người tố cáo được giữ bí mật" in page
    assert "Đinh Văn Kín" not in page and "0912777666" not in page


def test_the_picker_groups_people_by_source(client, login_staff, make_hearing, officer, an_lao):
    staff_user(Role.DEPARTMENT_REP, commune=an_lao, last_name="Hoàng Văn", first_name="Bình",
               email="kinhte@example.org")
    staff_user(Role.CITY_OBSERVER, city=an_lao.city, commune=None, last_name="Trịnh Thị",
               first_name="Lan")
    hearing = make_hearing()
    _citizen_point(hearing, officer)
    login_staff(client, officer)
    page = client.get(_url(hearing)).content.decode()
    for group in ("Cán bộ UBND xã", "Phòng chuyên môn, đơn vị của xã", "Thành phố"):
        assert f'<optgroup label="{group}">' in page
    assert "Hoàng Văn Bình" in page and "Trịnh Thị Lan" in page


def test_a_staff_member_is_picked_with_their_contacts(
        client, login_staff, make_hearing, officer, an_lao):
    rep = staff_user(Role.DEPARTMENT_REP, commune=an_lao, last_name="Hoàng Văn",
                     first_name="Bình", email="kinhte@example.org")
    StaffProfile.objects.create(user=rep, phone="0912345111")
    hearing = make_hearing()
    point = _citizen_point(hearing, officer)
    login_staff(client, officer)
    response = client.post(_url(hearing, "participant"), {
        "point": point.pk, "person": f"staff:{rep.pk}"}, follow=True)
    assert "Đã thêm Hoàng Văn Bình tại điểm cầu" in response.content.decode()
    person = point.participants.get(user=rep)
    assert (person.full_name, person.email, person.phone) == (
        "Hoàng Văn Bình", "kinhte@example.org", "+84912345111")
    # Picked twice: refused, nothing added.
    before = Participant.objects.count()
    response = client.post(_url(hearing, "participant"), {
        "point": point.pk, "person": f"staff:{rep.pk}"})
    assert response.status_code == 422
    assert "đã có trong thành phần buổi tiếp" in response.content.decode()
    assert Participant.objects.count() == before


@pytest.mark.parametrize(("data", "message"), [
    ({"person": "staff:999999"}, "Chọn người trong danh sách."),
    ({"person": ""}, "Chọn người trong danh sách hoặc nhập họ tên khách mời."),
    ({"full_name": "Khách", "email": "khong-phai-thu"}, "Giá trị không hợp lệ."),
    ({"full_name": "Khách", "phone": "123"}, "Số điện thoại không hợp lệ."),
], ids=["unknown-person", "nobody", "bad-email", "bad-phone"])
def test_bad_participant_input_is_refused_in_vietnamese(
        client, login_staff, make_hearing, officer, data, message):
    hearing = make_hearing()
    point = _citizen_point(hearing, officer)
    login_staff(client, officer)
    before = Participant.objects.count()
    response = client.post(_url(hearing, "participant"), {"point": point.pk, **data})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Participant.objects.count() == before


def test_an_outside_guest_is_typed_and_can_be_removed(client, login_staff, make_hearing, officer):
    hearing = make_hearing()
    point = _citizen_point(hearing, officer)
    login_staff(client, officer)
    response = client.post(_url(hearing, "participant"), {
        "point": point.pk, "full_name": "Phan Văn Khách", "organisation": "Hội Nông dân xã",
        "phone": "0912 333 444"}, follow=True)
    assert "Đã thêm Phan Văn Khách" in response.content.decode()
    guest = point.participants.get(full_name="Phan Văn Khách")
    assert guest.source_key == "" and guest.phone == "+84912333444"
    response = client.post(_url(hearing, "participant-remove"), {"participant": guest.pk},
                           follow=True)
    assert "Đã bỏ Phan Văn Khách khỏi thành phần buổi tiếp." in response.content.decode()
    assert not point.participants.filter(pk=guest.pk).exists()


def test_the_petitioner_of_an_agenda_matter_cannot_be_removed(
        client, login_staff, make_hearing, officer):
    hearing = make_hearing()
    petitioner = _citizen_point(hearing, officer).participants.get()
    login_staff(client, officer)
    response = client.post(_url(hearing, "participant-remove"), {"participant": petitioner.pk})
    assert response.status_code == 422
    assert "không thể bỏ khỏi thành phần" in response.content.decode()
    assert Participant.objects.filter(pk=petitioner.pk).exists()


def test_a_bridge_point_picks_its_person_in_charge_and_technical_contact_from_staff(
        client, login_staff, make_hearing, officer, operator):
    StaffProfile.objects.create(user=operator, phone="0912000999")
    operator.last_name, operator.first_name = "Ngô Văn", "Kiên"
    operator.save()
    hearing = make_hearing()
    login_staff(client, officer)
    page = client.get(_url(hearing)).content.decode()
    assert 'name="technical_contact"' in page and "Ngô Văn Kiên" in page
    response = client.post(_url(hearing, "point"), {
        "kind": "commune_hall", "is_central": "on", "name": "Trụ sở UBND xã",
        "address": "Thôn Hàm Hy", "responsible_user": officer.pk,
        "technical_contact": operator.pk}, follow=True)
    assert "Điểm cầu “Trụ sở UBND xã” đã được lập" in response.content.decode()
    point = BridgePoint.objects.get(hearing=hearing)
    assert (point.technical_contact, point.technical_contact_name, point.technical_contact_phone,
            point.technical_contact_email) == (operator, "Ngô Văn Kiên", "+84912000999",
                                               "ky.thuat@example.org")
    assert point.responsible_user == officer


def test_a_bridge_point_refuses_someone_not_on_the_staff_list(
        client, login_staff, make_hearing, officer):
    outsider = staff_user(Role.TECHNICAL_OPERATOR)  # another commune's operator
    hearing = make_hearing()
    login_staff(client, officer)
    response = client.post(_url(hearing, "point"), {
        "kind": "department", "name": "Sở Xây dựng", "address": "Hải Phòng",
        "responsible_user": officer.pk, "technical_contact": outsider.pk,
        "technical_contact_phone": "0912000111"})
    assert response.status_code == 422
    assert "Chọn cán bộ trong danh sách." in response.content.decode()
    assert not BridgePoint.objects.exists()
    with pytest.raises(InvalidInput) as caught:
        planning.add_bridge_point(hearing, actor=officer, kind="department", name="Sở",
                                  address="Hải Phòng", responsible_user=officer,
                                  technical_contact=outsider,
                                  technical_contact_phone="0912000111")
    assert "technical_contact" in caught.value.field_errors


def test_a_technical_contact_without_a_phone_needs_one_typed(make_hearing, officer, operator):
    hearing = make_hearing()
    with pytest.raises(InvalidInput) as caught:
        planning.add_bridge_point(hearing, actor=officer, kind="department", name="Sở",
                                  address="Hải Phòng", responsible_user=officer,
                                  technical_contact=operator)
    assert "technical_contact_phone" in caught.value.field_errors
    assert not BridgePoint.objects.exists()
