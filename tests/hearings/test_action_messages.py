"""Every hearing action on the page ends with a message that says what happened and what
comes next; a refused action says why and changes nothing."""

import pytest
from django.urls import reverse

from tiepdan.hearings.models import BridgePoint, Participant

pytestmark = pytest.mark.django_db


def messages_of(page: str) -> str:
    start = page.find('<div class="messages"')
    return page[start:page.find("</div>", start)] if start >= 0 else ""


def post(client, an_lao, hearing, action, data):
    url = reverse("hearings:action", args=[an_lao.ward_code, hearing.pk, action])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return messages_of(client.get(response["Location"]).content.decode())


def test_each_action_says_what_happened_and_what_comes_next(client, login_staff, an_lao,
                                                            officer, operator, ready_hearing):
    login_staff(client, officer)
    said = post(client, an_lao, ready_hearing, "point", {
        "kind": "department", "name": "Phòng Kinh tế", "address": "Trụ sở xã",
        "responsible_user": officer.pk, "technical_contact": operator.pk,
        "technical_contact_phone": "0912000777"})
    assert "Điểm cầu “Phòng Kinh tế” đã được lập" in said and "Tiếp theo" in said
    extra = BridgePoint.objects.get(name="Phòng Kinh tế")
    said = post(client, an_lao, ready_hearing, "remove_point", {"point": extra.pk})
    assert "Đã bỏ điểm cầu “Phòng Kinh tế”" in said
    assert not BridgePoint.objects.filter(pk=extra.pk).exists()
    central = ready_hearing.bridge_points.get(is_central=True)
    said = post(client, an_lao, ready_hearing, "participant", {
        "point": central.pk, "full_name": "Lê Thị Hoa", "email": "hoa@example.org"})
    assert "Đã thêm Lê Thị Hoa" in said and "khi chốt lịch" in said
    said = post(client, an_lao, ready_hearing, "confirm", {"override_reason": ""})
    assert "Đã chốt lịch buổi tiếp lúc 08:00 15/12/2026" in said
    assert "01/GM-UBND" in said and "Việc tiếp theo" in said
    # Once confirmed, a participant added later is invited at once.
    said = post(client, an_lao, ready_hearing, "participant", {
        "point": central.pk, "full_name": "Đỗ Văn Mới", "email": "moi@example.org"})
    assert "gửi giấy mời" in said
    assert Participant.objects.get(full_name="Đỗ Văn Mới").invited_at is not None
    client.logout()
    login_staff(client, operator)
    url = reverse("hearings:milestone_done",
                  args=[an_lao.ward_code, ready_hearing.pk, "connection_test"])
    response = client.post(url, {"evidence": "Kết nối thử 2/2 điểm cầu: tốt"})
    said = messages_of(client.get(response["Location"]).content.decode())
    assert "Đã xác nhận “Kiểm tra, kết nối thử" in said and "Việc tiếp theo" in said


def test_a_point_of_a_confirmed_hearing_cannot_be_removed(client, login_staff, an_lao,
                                                         officer, ready_hearing):
    from tiepdan.hearings import planning

    planning.confirm_hearing(ready_hearing, actor=officer)
    login_staff(client, officer)
    point = ready_hearing.bridge_points.get(is_central=False)
    response = client.post(reverse("hearings:action", args=[
        an_lao.ward_code, ready_hearing.pk, "remove_point"]), {"point": point.pk})
    assert response.status_code == 422
    assert "không bỏ được điểm cầu" in response.content.decode()
    assert BridgePoint.objects.filter(pk=point.pk).exists()
