import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import samples
from tiepdan.intake.models import Attachment, Matter

pytestmark = pytest.mark.django_db


def _post(client, ward_code, body):
    return client.post(f"/api/v1/communes/{ward_code}/registrations",
                       data=json.dumps(body), content_type="application/json")


def _upload(client, ward_code, name, data):
    return client.post(f"/api/v1/communes/{ward_code}/uploads",
                       {"file": SimpleUploadedFile(name, data)})


def test_it_registers_the_issue_example_body(client, an_lao, api_payload):
    response = _post(client, an_lao.ward_code, api_payload)
    assert response.status_code == 201, response.content
    body = response.json()
    matter = Matter.objects.get(tracking_code=body["tracking_code"])
    assert body["status"] == "new"
    assert matter.commune == an_lao
    assert matter.phone == "+84912345678"
    assert matter.address_ward_code == an_lao.ward_code  # defaults to the commune itself
    assert matter.channel == "api"


def test_the_status_can_be_looked_up_with_code_and_phone(client, an_lao, api_payload):
    code = _post(client, an_lao.ward_code, api_payload).json()["tracking_code"]
    response = client.get(f"/api/v1/registrations/{code}", {"phone": "+84 912 345 678"})
    assert response.status_code == 200
    assert response.json()["status"] == "new"
    assert "tiếp nhận" in response.json()["status_text"]


@pytest.mark.parametrize(
    ("code_change", "phone"),
    [
        pytest.param(False, "0912345679", id="wrong-phone"),
        pytest.param(True, "0912345678", id="wrong-code"),
        pytest.param(False, "", id="no-phone"),
        pytest.param(False, "<script>", id="garbage-phone"),
    ],
)
def test_a_wrong_code_or_phone_is_404_not_403(client, an_lao, api_payload, code_change, phone):
    code = _post(client, an_lao.ward_code, api_payload).json()["tracking_code"]
    if code_change:
        code = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client.get(f"/api/v1/registrations/{code}", {"phone": phone})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        pytest.param({"id_number": "03109000123"}, "id_number", "invalid_length", id="cccd-len"),
        pytest.param({"id_number": "099090001234"}, "id_number", "invalid_province_code",
                     id="cccd-province"),
        pytest.param({"id_number": "031091001234"}, "id_number", "birth_year_mismatch",
                     id="cccd-year"),
        pytest.param({"date_of_birth": "2999-05-01"}, "date_of_birth", "future_birth_date",
                     id="future-birth"),
        pytest.param({"date_of_birth": "1990-13-45"}, "date_of_birth", "invalid", id="bad-date"),
        pytest.param({"consent": False}, "consent", "required", id="missing-consent"),
        pytest.param({"kind": "khac"}, "kind", "invalid_choice", id="unknown-kind"),
        pytest.param({"id_type": "bang_lai"}, "id_type", "invalid_choice", id="unknown-id-type"),
        pytest.param({"online_reason": "other"}, "online_reason_text", "invalid", id="other-text"),
        pytest.param({"phone": "02253123456"}, "phone", "not_mobile", id="landline"),
        pytest.param({"address_ward": 1}, "address_ward", "invalid_choice", id="foreign-ward"),
    ],
)
def test_it_returns_field_errors_with_codes_and_saves_nothing(
    client, an_lao, api_payload, change, field, code
):
    response = _post(client, an_lao.ward_code, {**api_payload, **change})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["errors"], body
    assert body["errors"][field][0]["code"] == code
    assert body["errors"][field][0]["message"]
    assert Matter.objects.count() == 0


def test_a_wrong_json_type_is_a_json_error_not_a_500(client, an_lao, api_payload):
    response = _post(client, an_lao.ward_code, {**api_payload, "wants_online": {"x": 1}})
    assert response.status_code == 422
    assert "wants_online" in response.json()["errors"]
    bad = client.post(f"/api/v1/communes/{an_lao.ward_code}/registrations", data="{not json",
                      content_type="application/json")
    assert bad.status_code in (400, 422)
    assert "message" in bad.json()


def test_an_unknown_commune_is_404(client, db, api_payload):
    response = _post(client, 99999, api_payload)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_representatives_over_the_legal_limit_are_refused(client, an_lao, api_payload):
    reps = [{"full_name": f"Người {i}"} for i in range(3)]
    response = _post(client, an_lao.ward_code,
                     {**api_payload, "group_size": 8, "representatives": reps})
    assert response.status_code == 422
    assert "representatives" in response.json()["errors"]
    six = [{"full_name": f"Người {i}"} for i in range(6)]
    response = _post(client, an_lao.ward_code,
                     {**api_payload, "group_size": 40, "representatives": six})
    assert response.status_code == 422
    assert response.json()["errors"]["representatives"][0]["code"] == "too_many_representatives"
    assert Matter.objects.count() == 0


def test_html_is_stored_as_plain_text(client, an_lao, api_payload):
    script = "<img src=x onerror=alert(1)>"
    code = _post(client, an_lao.ward_code, {**api_payload, "content": script}).json()
    assert Matter.objects.get(tracking_code=code["tracking_code"]).content == script


def test_uploads_are_claimed_by_the_registration(client, an_lao, api_payload):
    upload = _upload(client, an_lao.ward_code, "scan.pdf", samples.pdf_bytes(2))
    assert upload.status_code == 201, upload.content
    upload_id = upload.json()["upload_id"]
    assert upload.json()["pages"] == 2
    response = _post(client, an_lao.ward_code, {**api_payload, "attachments": [upload_id]})
    assert response.status_code == 201
    matter = Matter.objects.get()
    assert list(matter.attachments.values_list("original_name", flat=True)) == ["scan.pdf"]


def test_a_disguised_upload_is_refused(client, an_lao):
    response = _upload(client, an_lao.ward_code, "setup.pdf", samples.exe_bytes())
    assert response.status_code == 422
    assert response.json()["errors"]["file"][0]["code"] == "file_type_not_allowed"
    assert Attachment.objects.count() == 0


def test_an_oversized_upload_is_refused(client, an_lao, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = _upload(client, an_lao.ward_code, "a.pdf", samples.pdf_bytes() + b" " * 2000)
    assert response.status_code == 422
    assert response.json()["errors"]["file"][0]["code"] == "file_too_large"


def test_a_failed_claim_rolls_back_the_whole_registration(client, an_lao, api_payload):
    upload_id = _upload(client, an_lao.ward_code, "a.pdf", samples.pdf_bytes()).json()["upload_id"]
    assert _post(client, an_lao.ward_code,
                 {**api_payload, "attachments": [upload_id]}).status_code == 201
    # The same upload cannot be claimed twice; the second matter is not half-saved.
    response = _post(client, an_lao.ward_code, {**api_payload, "attachments": [upload_id]})
    assert response.status_code == 422
    assert response.json()["errors"]["attachments"][0]["code"] == "unknown_upload"
    assert Matter.objects.count() == 1


def test_uploads_of_one_commune_cannot_be_claimed_in_another(
    client, an_lao, lac_phuong, api_payload
):
    upload_id = _upload(client, an_lao.ward_code, "a.pdf", samples.pdf_bytes()).json()["upload_id"]
    response = _post(client, lac_phuong.ward_code, {**api_payload, "attachments": [upload_id]})
    assert response.status_code == 422
    assert Matter.objects.count() == 0


def test_registrations_are_rate_limited_per_client(client, an_lao, api_payload, settings):
    statuses = [
        _post(client, an_lao.ward_code, {**api_payload, "consent": False}).status_code
        for _ in range(40)
    ]
    assert statuses[0] == 422
    assert 429 in statuses
    limited = _post(client, an_lao.ward_code, api_payload)
    assert limited.status_code == 429
    assert "thử lại" in limited.json()["message"]
    assert limited.has_header("Retry-After")


def test_it_lists_the_communes_served(client, an_lao, lac_phuong):
    response = client.get("/api/v1/communes", {"province": 31})
    assert response.status_code == 200
    assert {c["ward_code"] for c in response.json()} == {11629, 11140}
    assert client.get("/api/v1/communes", {"province": 1}).json() == []


def test_the_openapi_schema_documents_the_registration(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/communes/{ward_code}/registrations" in schema["paths"]
    assert "/api/v1/registrations/{tracking_code}" in schema["paths"]
    body = schema["components"]["schemas"]["RegistrationIn"]["properties"]
    assert {"full_name", "id_type", "id_number", "kind", "consent"} <= set(body)
