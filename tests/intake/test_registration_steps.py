"""The registration in guided steps: each step checked by the one validator, a draft kept on the
server, nothing saved as a matter before the final submit."""

from __future__ import annotations

import pytest

from tiepdan.intake.models import Attachment, Matter, MatterStatus, RegistrationDraft

from .steps_helpers import MATTER, PERSON, check_url, draft_id, fill_all, pdf, step_url

pytestmark = pytest.mark.django_db


def _counts():
    return Matter.objects.count(), RegistrationDraft.objects.count(), Attachment.objects.count()


def test_the_commune_page_starts_the_steps(client, an_lao):
    response = client.get(f"/xa/{an_lao.ward_code}/dang-ky/tung-buoc/")
    assert response.status_code == 302
    assert response.url == step_url(an_lao, "loai-don")


def test_the_first_step_explains_each_kind_before_anything_is_typed(client, an_lao):
    html = client.get(step_url(an_lao, "loai-don")).content.decode()
    assert "Bước 1 trên 7" in html
    for kind in ("Khiếu nại", "Tố cáo", "Kiến nghị", "Phản ánh"):
        assert kind in html
    assert html.count("Ví dụ:") == 4
    assert "không được tiếp trực tuyến" in html  # said before any personal field
    assert 'name="full_name"' not in html


def test_a_citizen_registers_in_steps_and_gets_the_receipt(client, an_lao):
    fill_all(client, an_lao, files=(pdf("a.pdf", 2),))
    assert Matter.objects.count() == 0  # nothing becomes a matter before the submit
    check = client.get(check_url(an_lao))
    html = check.content.decode()
    assert "Trần Thị Bình" in html and "a.pdf" in html and html.count("Thay đổi") >= 7
    assert "12/03/1985" in html  # the birth date as people write it
    response = client.post(check_url(an_lao), {"draft": check.context["draft"].pk})
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert (matter.kind, matter.status, matter.full_name) == ("khieu_nai", MatterStatus.NEW,
                                                              "Trần Thị Bình")
    assert matter.complained_decision == "Quyết định 12/QĐ-UBND"
    assert [a.original_name for a in matter.attachments.all()] == ["a.pdf"]
    assert not RegistrationDraft.objects.exists()
    receipt = client.get(response.url)  # the receipt, on this device
    assert receipt.status_code == 200
    receipt_html = receipt.content.decode()
    assert "với mục đích duy nhất là tiếp công dân" in receipt_html  # the consent, printable
    assert "Đã đồng ý lúc" in receipt_html


@pytest.mark.parametrize(("slug", "data", "field", "message"), [
    ("loai-don", {}, "kind", "Vui lòng chọn loại đơn."),
    ("nguoi-gui", {**PERSON, "full_name": ""}, "full_name", "Vui lòng điền thông tin này."),
    ("nguoi-gui", {**PERSON, "id_number": "031191000101"}, "id_number", None),
    ("nguoi-gui", {**PERSON, "phone": "123"}, "phone", None),
    ("noi-dung", {**MATTER, "complained_decision": ""}, "complained_decision",
     "Đơn khiếu nại cần nêu quyết định hoặc hành vi bị khiếu nại."),
    ("nhieu-nguoi", {"is_group": "on", "group_size": "3"}, "group_size",
     "Đoàn đông người phải có từ 5 người trở lên."),
    ("truc-tuyen", {"wants_online": "on"}, "online_reason",
     "Chọn lý do đề nghị tiếp trực tuyến."),
    ("dong-y", {}, "consent", "Bạn cần đồng ý cho xử lý dữ liệu cá nhân để gửi đơn."),
], ids=["no-kind", "no-name", "id-birth-year-mismatch", "bad-phone", "complaint-no-decision",
        "group-too-small", "online-no-reason", "no-consent"])
def test_each_step_checks_its_own_fields_and_saves_nothing(client, an_lao, slug, data, field,
                                                           message):
    client.post(step_url(an_lao, "loai-don"), {"kind": "khieu_nai"})
    before = _counts()
    draft_data = RegistrationDraft.objects.get().ciphertext
    response = client.post(step_url(an_lao, slug), data)
    assert response.status_code == 422
    errors = {f.name: f.errors for f in response.context["fields"]}
    assert errors[field]
    if message:
        assert message in errors[field]
    html = response.content.decode()
    assert 'id="error-summary"' in html and f'href="#f-{field}"' in html
    assert _counts() == before
    assert RegistrationDraft.objects.get().ciphertext == draft_data


def test_a_step_shows_only_its_own_errors(client, an_lao):
    # The person step is valid although nothing else is answered yet.
    response = client.post(step_url(an_lao, "nguoi-gui"), PERSON)
    assert response.status_code == 302
    assert response.url == step_url(an_lao, "noi-dung")


def test_the_consent_error_is_short_and_the_text_shown_once(client, an_lao):
    response = client.post(step_url(an_lao, "dong-y"), {})
    html = response.content.decode()
    assert html.count("với mục đích duy nhất là tiếp công dân") == 1
    assert "91/2025/QH15" in html
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert "với mục đích duy nhất" not in summary
    assert "Bạn cần đồng ý cho xử lý dữ liệu cá nhân để gửi đơn." in summary


def test_a_protected_denunciation_skips_the_online_questions(client, an_lao):
    client.post(step_url(an_lao, "loai-don"), {"kind": "to_cao"})
    client.post(step_url(an_lao, "noi-dung"), {**MATTER, "identity_protection": "on"})
    html = client.get(step_url(an_lao, "truc-tuyen")).content.decode()
    assert "không được tiếp trực tuyến" in html
    assert 'name="wants_online"' not in html


def test_a_wrong_file_is_refused_and_the_good_ones_are_kept(client, an_lao):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import samples

    client.post(step_url(an_lao, "tai-lieu"), {"attachments": [pdf("a.pdf"), pdf("b.pdf")]})
    assert Attachment.objects.count() == 2
    bad = SimpleUploadedFile("virus.pdf", samples.exe_bytes())
    response = client.post(step_url(an_lao, "tai-lieu"), {"attachments": [bad]})
    assert response.status_code == 422
    html = response.content.decode()
    assert "không phải PDF, JPG, PNG, DOCX" in html
    assert "a.pdf" in html and "b.pdf" in html
    assert Attachment.objects.count() == 2


def test_a_citizen_removes_one_file(client, an_lao):
    client.post(step_url(an_lao, "tai-lieu"), {"attachments": [pdf("a.pdf"), pdf("b.pdf")]})
    first = Attachment.objects.get(original_name="a.pdf")
    response = client.post(step_url(an_lao, "tai-lieu"), {"remove": first.upload_token})
    assert response.status_code == 302
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["b.pdf"]


def test_the_upload_endpoint_checks_each_file_at_once(client, an_lao):
    from django.core.files.uploadedfile import SimpleUploadedFile


    url = f"/xa/{an_lao.ward_code}/dang-ky/tai-len/"
    ok = client.post(url, {"file": pdf("a.pdf", 3)})
    assert ok.status_code == 201 and ok.json()["pages"] == 3
    bad = client.post(url, {"file": SimpleUploadedFile("x.png", b"not an image")})
    assert bad.status_code == 422 and "không phải PDF" in bad.json()["error"]
    assert Attachment.objects.count() == 1
    removed = client.post(f"/xa/{an_lao.ward_code}/dang-ky/xoa-tep/", {"id": ok.json()["id"]})
    assert removed.status_code == 200 and not Attachment.objects.exists()


def test_a_reload_on_the_same_device_keeps_the_answers(client, an_lao):
    client.post(step_url(an_lao, "loai-don"), {"kind": "phan_anh"})
    client.post(step_url(an_lao, "nguoi-gui"), PERSON)
    html = client.get(step_url(an_lao, "nguoi-gui")).content.decode()
    assert 'value="Trần Thị Bình"' in html
    assert 'value="phan_anh" id="id_kind_3" aria-describedby="kind-phan_anh-more" checked' in (
        client.get(step_url(an_lao, "loai-don")).content.decode())


def test_the_draft_holds_no_plain_answers(client, an_lao):
    from .identity_helpers import raw_rows

    client.post(step_url(an_lao, "nguoi-gui"), PERSON)
    row = " ".join(raw_rows("intake_registrationdraft", "commune_id", an_lao.pk))
    for value in ("Trần Thị Bình", "031185000101", "Thôn Hàm Hy", "binh@example.org"):
        assert value not in row


def test_another_device_does_not_see_the_draft(client, an_lao, django_user_model):
    from django.test import Client

    client.post(step_url(an_lao, "nguoi-gui"), PERSON)
    other = Client()
    html = other.get(step_url(an_lao, "nguoi-gui")).content.decode()
    assert "Trần Thị Bình" not in html


def test_a_foreign_draft_is_refused(client, an_lao):
    from django.test import Client

    fill_all(client, an_lao)
    other = Client()
    fill_all(other, an_lao)
    response = other.post(check_url(an_lao), {"draft": draft_id(client, an_lao)})
    assert response.status_code == 409
    assert "không phải của thiết bị đang dùng" in response.content.decode()
    assert not Matter.objects.exists()


def test_a_stale_draft_is_refused(client, an_lao, time_machine):
    import datetime as dt

    from django.utils import timezone

    fill_all(client, an_lao)
    pk = draft_id(client, an_lao)
    time_machine.move_to(timezone.now() + dt.timedelta(hours=24, minutes=1))
    response = client.post(check_url(an_lao), {"draft": pk})
    assert response.status_code == 409
    assert "đã hết hạn" in response.content.decode()
    assert not Matter.objects.exists()


def test_the_receipt_mail_carries_the_status_link(client, an_lao):
    fill_all(client, an_lao)
    client.post(check_url(an_lao), {"draft": draft_id(client, an_lao)})
    from tiepdan.intake.status import status_url
    from tiepdan.notify.models import Delivery

    matter = Matter.objects.get()
    delivery = Delivery.objects.get(purpose="intake.receipt", object_id=str(matter.pk))
    assert status_url(matter) in delivery.body_text
    assert status_url(matter) in delivery.body_html


def test_answers_to_questions_no_longer_asked_are_not_submitted(client, an_lao):
    fill_all(client, an_lao)  # a complaint, with the decision complained about
    client.post(step_url(an_lao, "loai-don"), {"kind": "kien_nghi", "tu": "kiem-tra"})
    client.post(check_url(an_lao), {"draft": draft_id(client, an_lao)})
    matter = Matter.objects.get()
    assert (matter.kind, matter.complained_decision) == ("kien_nghi", "")


def test_uploads_at_once_share_the_api_upload_budget(client, an_lao, settings):
    settings.UPLOAD_RATE = "2/m"
    url = f"/xa/{an_lao.ward_code}/dang-ky/tai-len/"
    assert [client.post(url, {"file": pdf()}).status_code for _ in range(3)] == [201, 201, 429]
    assert Attachment.objects.count() == 2
