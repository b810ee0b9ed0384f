import json

import pytest
from django.core import mail

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.hearings.models import Hearing

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def api_client(client, login_staff, officer):
    login_staff(client, officer)
    return client


def test_a_hearing_is_planned_and_confirmed_through_the_api(
    api_client, an_lao, chairman, approved_matter, clock, django_capture_on_commit_callbacks
):
    base = f"/api/v1/staff/communes/{an_lao.ward_code}"
    created = _post(api_client, f"{base}/hearings", {
        "title": "Tiếp định kỳ", "starts_at": "2026-12-15T08:00:00+07:00",
        "duration_minutes": 120, "chair_id": chairman.pk,
        "matters": [approved_matter.tracking_code]})
    assert created.status_code == 201, created.content
    hearing = created.json()
    assert hearing["milestones"]["notify_parties"]["due"] == "2026-12-08"
    assert hearing["readiness_problems"]
    hid = hearing["id"]
    central = _post(api_client, f"{base}/hearings/{hid}/bridge-points", {
        "kind": "commune_hall", "is_central": True, "name": "Trụ sở", "address": "Thôn Hàm Hy",
        "responsible_person": "Chủ tịch", "technical_contact_name": "Kỹ thuật",
        "technical_contact_phone": "0912000999"})
    assert central.status_code == 201
    point = _post(api_client, f"{base}/hearings/{hid}/bridge-points", {
        "kind": "citizen", "name": "Nhà văn hóa", "address": "Thôn Đông",
        "responsible_person": "Trưởng thôn", "technical_contact_name": "Trưởng thôn",
        "technical_contact_phone": "0912000888"}).json()
    person = _post(api_client, f"{base}/bridge-points/{point['id']}/participants",
                   {"full_name": "Trần Thị Bình", "email": "cong.dan@example.org",
                    "is_citizen": True})
    assert person.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = _post(api_client, f"{base}/hearings/{hid}/confirm", {})
    assert confirmed.status_code == 200, confirmed.content
    body = confirmed.json()
    assert body["status"] == "confirmed"
    assert mail.outbox[0].to == ["cong.dan@example.org"]
    assert {d["purpose"]: d["symbol"] for d in body["documents"]} == {
        "invitation": "01/GM-UBND", "schedule_notice": "01/TB-UBND"}
    assert body["milestones"]["invitations_issued"]["status"] == "done"
    pdf = api_client.get(body["documents"][0]["pdf_url"])
    assert pdf.status_code == 200
    empty = _post(api_client, f"{base}/hearings/{hid}/milestones/connection_test/done",
                  {"evidence": " "})
    assert empty.status_code == 422
    assert empty.json()["errors"]["evidence"][0]["code"] == "required"
    done = _post(api_client, f"{base}/hearings/{hid}/milestones/connection_test/done",
                 {"evidence": "Kết nối thử thành công với 1/1 điểm cầu"})
    assert done.status_code == 200, done.content
    assert done.json()["milestones"]["connection_test"]["status"] == "done"
    missing = _post(api_client, f"{base}/hearings/{hid}/milestones/khong-co/done",
                    {"evidence": "x"})
    assert missing.status_code == 404


def test_bad_input_gets_json_errors(api_client, an_lao, chairman, clock):
    base = f"/api/v1/staff/communes/{an_lao.ward_code}"
    holiday = _post(api_client, f"{base}/hearings", {
        "title": "Tiếp", "starts_at": "2027-02-08T08:00:00+07:00", "chair_id": chairman.pk})
    assert holiday.status_code == 422
    assert holiday.json()["errors"]["starts_at"][0]["code"] == "holiday"
    garbage = _post(api_client, f"{base}/hearings", {"title": "x", "starts_at": "không phải ngày",
                                                     "chair_id": chairman.pk})
    assert garbage.status_code == 422
    assert Hearing.objects.count() == 0


def test_another_commune_cannot_touch_the_hearing(client, login_staff, lac_phuong, ready_hearing):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=lac_phuong))
    own = f"/api/v1/staff/communes/{lac_phuong.ward_code}/hearings/{ready_hearing.pk}"
    assert client.get(own).status_code == 404
    other = f"/api/v1/staff/communes/{ready_hearing.commune.ward_code}/hearings"
    assert client.get(other).status_code == 403


def test_the_public_schedule_api_has_no_personal_data(client, ready_hearing, an_lao):
    rows = client.get(f"/api/v1/communes/{an_lao.ward_code}/schedule").json()
    assert rows[0]["starts_at"].startswith("2026-12-15T")
    assert "Trần Thị Bình" not in json.dumps(rows, ensure_ascii=False)


def test_the_api_applies_the_late_date_move_and_held_rules(api_client, an_lao, chairman,
                                                           ready_hearing, clock):
    from tiepdan.hearings.models import HearingChange

    base = f"/api/v1/staff/communes/{an_lao.ward_code}"
    late = _post(api_client, f"{base}/hearings", {
        "title": "Tiếp đột xuất", "starts_at": "2026-12-02T08:00:00+07:00",
        "chair_id": chairman.pk})
    assert late.status_code == 403 and late.json()["code"] == "late"
    assert "25/11/2026" in late.json()["message"]
    changes = HearingChange.objects.count()
    no_reason = _post(api_client, f"{base}/hearings/{ready_hearing.pk}/reschedule", {
        "starts_at": "2026-12-22T08:00:00+07:00", "reason": " "})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"]["reason"][0]["code"] == "required"
    early = _post(api_client, f"{base}/hearings/{ready_hearing.pk}/held", {
        "started_at": "2026-12-15T08:00:00+07:00", "ended_at": "2026-12-15T09:00:00+07:00"})
    assert early.status_code == 409
    assert HearingChange.objects.count() == changes
    assert Hearing.objects.count() == 1
    moved = _post(api_client, f"{base}/hearings/{ready_hearing.pk}/reschedule", {
        "starts_at": "2026-12-22T08:00:00+07:00", "reason": "Trùng lịch"})
    assert moved.status_code == 200
    assert [c["kind"] for c in moved.json()["history"]] == ["created", "rescheduled"]
