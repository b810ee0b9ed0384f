import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import samples
from tiepdan.intake.models import Attachment, Matter, MatterStatus

pytestmark = pytest.mark.django_db


def _url(commune):
    return reverse("intake:register", args=[commune.ward_code])


def test_it_shows_the_form_with_the_commune_preselected(client, an_lao):
    response = client.get(_url(an_lao))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đăng ký gửi đơn" in html
    assert f'<option value="{an_lao.ward_code}" selected>' in html
    assert 'for="id_full_name"' in html  # every input has a label


def test_it_registers_a_matter_and_shows_the_receipt(client, an_lao, form_data):
    pdf = SimpleUploadedFile("giay-to.pdf", samples.pdf_bytes(2), "application/pdf")
    response = client.post(_url(an_lao), {**form_data, "attachments": [pdf]})
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.commune == an_lao
    assert matter.status == MatterStatus.NEW
    assert matter.phone == "+84912000101"
    assert matter.wants_online and matter.online_reason == "far_away"
    assert matter.consent_given_at is not None
    attachment = matter.attachments.get()
    assert attachment.pages == 2
    assert "giay-to" not in attachment.file.name  # stored under a random name
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert matter.tracking_code in html
    assert "GIẤY BIÊN NHẬN THÔNG TIN, TÀI LIỆU" in html
    assert "giay-to.pdf" in html


def test_the_receipt_is_not_shown_to_another_browser(client, an_lao, form_data):
    response = client.post(_url(an_lao), form_data)
    other = client.__class__()
    assert other.get(response["Location"]).status_code == 404


def test_it_emails_a_copy_of_the_receipt(
    client, an_lao, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(an_lao), {**form_data, "email": "cong.dan@example.org"})
    matter = Matter.objects.get()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cong.dan@example.org"]
    assert matter.tracking_code in mail.outbox[0].subject
    assert matter.tracking_code in mail.outbox[0].body


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param({"id_number": "03109000123"}, "id_number", "12 chữ số", id="short-cccd"),
        pytest.param({"id_number": "097185000101"}, "id_number", "mã tỉnh", id="bad-province"),
        pytest.param({"date_of_birth": "2999-01-01"}, "date_of_birth", "tương lai", id="future"),
        pytest.param({"phone": "123"}, "phone", "Số điện thoại", id="bad-phone"),
        pytest.param({"consent": ""}, "consent", "đồng ý", id="no-consent"),
        pytest.param({"kind": "khieu_nai"}, "complained_decision", "khiếu nại", id="complaint"),
        pytest.param({"ward": "1"}, "ward", "không hợp lệ", id="ward-not-in-province"),
        pytest.param({"online_reason": "other"}, "online_reason_text", "lý do", id="other-reason"),
    ],
)
def test_it_rejects_bad_input_field_by_field_and_saves_nothing(
    client, an_lao, form_data, change, field, message
):
    response = client.post(_url(an_lao), {**form_data, **change})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert Matter.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_a_disguised_executable_is_rejected_and_nothing_is_saved(client, an_lao, form_data):
    fake = SimpleUploadedFile("don.pdf", samples.exe_bytes(), "application/pdf")
    response = client.post(_url(an_lao), {**form_data, "attachments": [fake]})
    assert response.status_code == 422
    assert "không phải PDF" in " ".join(response.context["form"].errors["attachments"])
    assert Matter.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_an_oversized_file_is_rejected(client, an_lao, form_data, settings):
    settings.ATTACHMENT_MAX_BYTES = 2000
    big = SimpleUploadedFile("big.pdf", samples.pdf_bytes() + b"\n" * 5000, "application/pdf")
    response = client.post(_url(an_lao), {**form_data, "attachments": [big]})
    assert response.status_code == 422
    assert "quá lớn" in " ".join(response.context["form"].errors["attachments"])
    assert Matter.objects.count() == 0


@pytest.mark.parametrize(
    ("size", "reps", "ok"),
    [
        pytest.param(7, 1, True, id="7-people-1-rep"),
        pytest.param(7, 2, True, id="7-people-2-reps"),
        pytest.param(7, 3, False, id="7-people-3-reps-over-limit"),
        pytest.param(10, 3, False, id="10-people-3-reps-over-limit"),
        pytest.param(11, 5, True, id="11-people-5-reps"),
        pytest.param(30, 0, False, id="group-without-representative"),
        pytest.param(4, 1, False, id="under-5-is-not-a-group"),
    ],
)
def test_it_enforces_representatives_of_group_matters(client, an_lao, form_data, size, reps, ok):
    data = {**form_data, "is_group": "on", "group_size": str(size)}
    for i in range(1, reps + 1):
        data[f"rep_{i}_name"] = f"Người Đại Diện {i}"
    response = client.post(_url(an_lao), data)
    assert (response.status_code == 302) is ok
    assert Matter.objects.count() == (1 if ok else 0)
    if ok:
        assert Matter.objects.get().representatives.count() == reps


def test_html_in_text_fields_is_stored_as_text_and_never_rendered(client, an_lao, form_data):
    script = '<script>alert("x")</script><b>đậm</b>'
    response = client.post(_url(an_lao), {**form_data, "summary": script, "full_name": script})
    matter = Matter.objects.get()
    assert matter.summary == script
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_protected_denunciation_is_registered_for_in_person_handling(client, an_lao, form_data):
    data = {**form_data, "kind": "to_cao", "identity_protection": "on", "wants_online": "on"}
    response = client.post(_url(an_lao), data)
    matter = Matter.objects.get()
    assert matter.identity_protection and matter.in_person_only
    assert not matter.wants_online
    html = client.get(response["Location"]).content.decode()
    assert "không được tiếp trực tuyến" in html


def test_an_unknown_commune_is_not_found(client):
    assert client.get(reverse("intake:register", args=[99999999])).status_code == 404
