"""Issue 15: every issued document is signed (PAdES) and verifiable by anyone.

A local test CA (``signing_kit``) issues the organisation's and the signer's certificates; the
organisation signs through a PKCS#12 file and through a SoftHSM2 token (PKCS#11)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
import zxingcpp
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tiepdan.core.errors import DomainError
from tiepdan.core.models import Role
from tiepdan.demo import pki
from tiepdan.documents import signing
from tiepdan.documents.models import DocType, DocumentSignature, IssuedDocument, SignatureKind
from tiepdan.documents.services import issue_document
from tiepdan.documents.signature_check import check_pdf
from tiepdan.documents.signature_fields import PERSONAL_FIELD, SEAL_FIELD
from tiepdan.documents.verification import grouped

from ..factories import staff_user
from .conftest import ISSUED_ON

pytestmark = pytest.mark.django_db


def _pdf(document: IssuedDocument) -> bytes:
    return signing.official_pdf(document)


def _issue(an_lao, officer, signer, invitation_data, capture) -> IssuedDocument:
    with capture(execute=True):
        return issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                              signer=signer, issued_on=ISSUED_ON)


def _sign_personally(document: IssuedDocument, holder: pki.Holder, officer, capture):
    signed = pki.sign_pdf_as(holder, _pdf(document), PERSONAL_FIELD)
    with capture(execute=True):
        return signing.accept_personal_signature(document, signed, actor=officer)


def test_issued_pdf_carries_a_qr_code_of_its_public_verification_page(invitation, tmp_path):
    with invitation.pdf_file.open("rb") as handle:
        (tmp_path / "gm.pdf").write_bytes(handle.read())
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1",
                    str(tmp_path / "gm.pdf"), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    codes = [r.text for r in zxingcpp.read_barcodes(image)]
    expected = "http://127.0.0.1:8000" + reverse("documents:verify",
                                                 args=[invitation.verification_code])
    assert codes == [expected]
    assert invitation.verification_code and len(invitation.verification_code) == 12
    fields = check_pdf(_pdf(invitation))
    assert fields.is_pdf and fields.signatures == []  # issued, not signed yet


def test_invitation_signed_by_the_chairman_then_sealed_by_the_commune(
        an_lao, officer, signer, invitation_data, test_pki, pkcs12_seal,
        django_capture_on_commit_callbacks):
    document = _issue(an_lao, officer, signer, invitation_data, django_capture_on_commit_callbacks)
    assert signing.awaited_signature(document) == SignatureKind.PERSONAL
    assert not document.signatures.exists()  # the seal waits for the personal signature

    _sign_personally(document, test_pki.chairman, officer, django_capture_on_commit_callbacks)

    kinds = list(document.signatures.order_by("id").values_list("kind", "signer_name"))
    assert kinds == [("personal", "Vũ Văn Chủ"), ("seal", "UBND xã An Lão")]
    final = check_pdf(_pdf(document))
    assert [(s.field_name, s.valid) for s in final.signatures] == [
        (PERSONAL_FIELD, True), (SEAL_FIELD, True)]
    assert final.all_valid
    assert signing.signature_state(document)["complete"]
    # Each version begins with the bytes of the one before: the issued content is intact.
    with document.pdf_file.open("rb") as handle:
        assert _pdf(document).startswith(handle.read())


def test_the_organisation_signs_through_a_pkcs11_token(
        an_lao, officer, signer, invitation_data, settings, pkcs11_seal,
        django_capture_on_commit_callbacks):
    _seal, common_name = pkcs11_seal
    settings.SIGNATURE_POLICY = {"GM": ["seal"]}  # an automatic, organisation-only document
    document = _issue(an_lao, officer, signer, invitation_data, django_capture_on_commit_callbacks)
    signature = document.signatures.get()
    assert (signature.kind, signature.signer_name) == ("seal", common_name)
    report = check_pdf(_pdf(document))
    assert [(s.certificate.common_name, s.valid) for s in report.signatures] == [
        (common_name, True)]


def _refused(document: IssuedDocument, data: bytes, officer) -> str:
    before = DocumentSignature.objects.count()
    with pytest.raises(DomainError) as refused:
        signing.accept_personal_signature(document, data, actor=officer)
    assert DocumentSignature.objects.count() == before
    return refused.value.message


def test_one_byte_changed_after_signing_is_refused_and_detected(
        invitation, officer, test_pki):
    signed = bytearray(pki.sign_pdf_as(test_pki.chairman, _pdf(invitation), PERSONAL_FIELD))
    signed[300] ^= 0x01  # inside the issued content, which the signature covers
    message = _refused(invitation, bytes(signed), officer)
    assert "nội dung khác" in message  # no longer the issued document
    report = check_pdf(bytes(signed))
    assert not report.all_valid


def test_a_tampered_signature_is_refused(invitation, officer, test_pki):
    issued = _pdf(invitation)
    signed = bytearray(pki.sign_pdf_as(test_pki.chairman, issued, PERSONAL_FIELD))
    # Change one byte of the signed increment after the issued bytes (the new revision).
    position = signed.index(b"/ByteRange")
    target = position - 40 if position - 40 > len(issued) else len(issued) + 10
    signed[target] = ord("X") if signed[target] != ord("X") else ord("Y")
    message = _refused(invitation, bytes(signed), officer)
    assert "không toàn vẹn" in message or "không bao trùm" in message or "đọc" in message


def test_a_certificate_from_an_untrusted_ca_is_refused(invitation, officer, test_pki):
    stranger = pki.issue(pki.new_authority("Some Other CA"), "Vũ Văn Chủ", "UBND xã An Lão")
    signed = pki.sign_pdf_as(stranger, _pdf(invitation), PERSONAL_FIELD)
    assert "không do tổ chức được tin cậy cấp" in _refused(invitation, signed, officer)


def test_an_expired_certificate_is_refused(invitation, officer, test_pki):
    now = dt.datetime.now(dt.UTC)
    expired = pki.issue(test_pki.authority, "Vũ Văn Chủ", "UBND xã An Lão",
                        not_before=now - dt.timedelta(days=400),
                        not_after=now - dt.timedelta(days=1))
    signed = pki.sign_pdf_as(expired, _pdf(invitation), PERSONAL_FIELD)
    assert "hết hạn" in _refused(invitation, signed, officer)


def test_a_file_that_is_not_a_pdf_is_refused(invitation, officer, test_pki):
    assert "không phải là tệp PDF" in _refused(invitation, b"PK\x03\x04 a zip", officer)
    # A valid PDF update of the issued document with no signature in it.
    writer = IncrementalPdfFileWriter(io.BytesIO(_pdf(invitation)))
    writer.update_root()
    unsigned = io.BytesIO()
    writer.write(unsigned)
    assert "chưa có chữ ký số mới" in _refused(invitation, unsigned.getvalue(), officer)


def test_a_locked_token_leaves_the_document_issued_unsigned_visibly_with_a_retry(
        an_lao, officer, signer, invitation_data, settings, test_pki, pkcs12_seal,
        django_capture_on_commit_callbacks):
    settings.SIGNATURE_POLICY = {"GM": ["seal"]}
    secret = pkcs12_seal.secret_file
    with open(secret, "w", encoding="utf-8") as handle:
        handle.write("sai-mat-khau")
    document = _issue(an_lao, officer, signer, invitation_data, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert not document.signatures.exists()
    assert "sai mật khẩu" in document.signature_error
    assert IssuedDocument.objects.filter(pk=document.pk).exists()  # still issued

    with open(secret, "w", encoding="utf-8") as handle:
        handle.write("mat-khau-p12")
    with django_capture_on_commit_callbacks(execute=True):
        signing.retry_seal(document, actor=officer)
    document.refresh_from_db()
    assert document.signature_error == ""
    assert document.signatures.get().kind == "seal"


def test_the_document_page_takes_the_signed_pdf_and_says_so(
        client, login_staff, an_lao, officer, signer, invitation_data, test_pki, pkcs12_seal,
        django_capture_on_commit_callbacks):
    document = _issue(an_lao, officer, signer, invitation_data, django_capture_on_commit_callbacks)
    login_staff(client, officer)
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert "Đang chờ chữ ký số của người có thẩm quyền ký" in page.content.decode()
    bad = io.BytesIO(b"not a pdf")
    bad.name = "gm.pdf"
    refused = client.post(reverse("documents:detail", args=[document.pk]), {"file": bad})
    assert refused.status_code == 422
    assert "không phải là tệp PDF" in refused.content.decode()
    signed = io.BytesIO(pki.sign_pdf_as(test_pki.chairman, _pdf(document), PERSONAL_FIELD))
    signed.name = "gm-da-ky.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(reverse("documents:detail", args=[document.pk]),
                               {"file": signed}, follow=True)
    text = accepted.content.decode()
    assert "Đã nhận bản ký số của Vũ Văn Chủ" in text
    assert "Hệ thống đang ký số của cơ quan" in text
    # The worker has applied the organisation's signature since (on commit):
    text = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "Đã đủ các chữ ký số theo quy định" in text
    assert "Chữ ký số của cơ quan</strong>: UBND xã An Lão" in text


def test_another_communes_officer_cannot_open_or_sign(client, login_staff, invitation,
                                                     lac_phuong):
    outsider = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong)
    login_staff(client, outsider)
    assert client.get(reverse("documents:detail", args=[invitation.pk])).status_code == 404


def test_public_page_shows_the_facts_and_nothing_personal(client, invitation):
    page = client.get(reverse("documents:verify", args=[invitation.verification_code]))
    text = page.content.decode()
    assert page.status_code == 200
    for fact in (invitation.symbol, "Giấy mời", "05/01/2026", invitation.pdf_sha256,
                 grouped(invitation.verification_code)):
        assert fact in text
    assert invitation.subject not in text  # the subject may name people
    typed = client.post(reverse("documents:verify_lookup"),
                        {"code": grouped(invitation.verification_code).lower()})
    assert typed.status_code == 302
    assert client.get(reverse("documents:verify", args=["ZZZZZZZZZZZZ"])).status_code == 404


def test_public_check_of_an_uploaded_pdf(client, invitation, signer):
    url = reverse("documents:verify", args=[invitation.verification_code])
    same = io.BytesIO(_pdf(invitation))
    same.name = "gm.pdf"
    assert "Tệp trùng khớp từng byte" in client.post(url, {"file": same}).content.decode()
    other = issue_document(invitation.commune, DocType.INVITATION,
                           {**invitation.context["data"], "location": "Nhà văn hóa thôn Đông"},
                           actor=None, signer=signer, issued_on=ISSUED_ON)
    forged = io.BytesIO(_pdf(other))
    forged.name = "gia.pdf"
    answer = client.post(url, {"file": forged}).content.decode()
    assert "KHÔNG phải là văn bản" in answer
    assert "Nhà văn hóa thôn Đông" in answer  # exactly what differs


def test_a_sealed_denouncers_document_shows_number_and_validity_only(client, invitation,
                                                                      monkeypatch):
    from tiepdan.documents import verification

    monkeypatch.setattr(verification, "_restrictions", [lambda d: d.pk == invitation.pk])
    text = client.get(reverse("documents:verify",
                              args=[invitation.verification_code])).content.decode()
    assert invitation.symbol in text and "Mã xác thực hợp lệ" in text
    assert invitation.pdf_sha256 not in text and "Ngày ban hành" not in text


def test_command_line_verification(invitation, tmp_path, test_pki, officer,
                                   django_capture_on_commit_callbacks, capsys):
    _sign_personally(invitation, test_pki.chairman, officer, django_capture_on_commit_callbacks)
    good = tmp_path / "gm.pdf"
    good.write_bytes(_pdf(invitation))
    call_command("documents", "verify", str(good))
    out = capsys.readouterr().out
    assert invitation.symbol in out and "Vũ Văn Chủ" in out and "valid" in out
    bad = tmp_path / "gm-sua.pdf"
    data = bytearray(_pdf(invitation))
    data[200] ^= 0x01
    bad.write_bytes(bytes(data))
    with pytest.raises(CommandError):
        call_command("documents", "verify", str(bad))


def test_the_biên_bản_template_lists_the_recordings_with_their_hashes(an_lao, signer):
    from tiepdan.documents.composer import active_template, compose

    template = active_template(DocType.MINUTES, "hearing_minutes")
    data = {
        "hearing_date": ISSUED_ON, "opening": "08 giờ 00", "chair": "Ông Vũ Văn Chủ",
        "points": [{"title": "Điểm cầu UBND xã", "people": "Vũ Văn Chủ"}],
        "matters": [{"code": "AL-2026-0001", "kind": "Khiếu nại", "summary": "đất đai"}],
        "proceedings": "Công dân trình bày.", "chair_conclusion": "Giao Văn phòng.",
        "secretary_name": "Trần Thị Thư",
        "recordings": {"manifest_sha256": "a" * 64, "signed_by": "UBND xã An Lão",
                       "files": [{"label": "Điểm cầu UBND xã", "file": "feed-11.webm",
                                  "sha256": "b" * 64}]},
    }
    context = compose(an_lao, DocType.MINUTES, data, number=3, issued_on=ISSUED_ON,
                      signer=signer, template=template)
    text = "\n".join(p["text"] for p in context["layout"]["paragraphs"])
    assert f"chữ ký số của UBND xã An Lão, mã SHA-256 của bản kê: {'a' * 64}" in text
    assert f"- Điểm cầu UBND xã: tệp feed-11.webm, SHA-256 {'b' * 64}." in text


def test_the_organisation_signature_is_timestamped_by_the_configured_tsa(
        an_lao, officer, signer, invitation_data, settings, test_pki, pkcs12_seal,
        django_capture_on_commit_callbacks):
    from .tsa_server import running_tsa

    settings.SIGNATURE_POLICY = {"GM": ["seal"]}
    with running_tsa(test_pki.authority) as url:
        settings.SIGNATURE_TSA_URL = url
        document = _issue(an_lao, officer, signer, invitation_data,
                          django_capture_on_commit_callbacks)
    assert document.signatures.get().timestamped
    [report] = check_pdf(_pdf(document)).signatures
    assert report.timestamped and report.valid


def test_the_receipt_02_tcd_is_signed_by_the_commune_automatically(client, an_lao, form_data,
                                                                   test_pki, pkcs12_seal):
    from tiepdan.intake.models import Matter
    from tiepdan.intake.status import status_token

    client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    matter = Matter.objects.get()
    response = client.get(reverse("intake:status_receipt", args=[status_token(matter)]))
    [report] = check_pdf(response.content).signatures
    assert report.valid and report.certificate.common_name == "UBND xã An Lão"


def test_a_certificate_revoked_in_a_local_crl_is_refused(invitation, officer, test_pki,
                                                         settings, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    now = dt.datetime.now(dt.UTC)
    revoked = pki.issue(test_pki.authority, "Vũ Văn Chủ", "UBND xã An Lão")
    entry = (x509.RevokedCertificateBuilder().serial_number(revoked.certificate.serial_number)
             .revocation_date(now - dt.timedelta(hours=1)).build())
    crl = (x509.CertificateRevocationListBuilder()
           .issuer_name(test_pki.authority.certificate.subject)
           .last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=7))
           .add_revoked_certificate(entry)
           .add_extension(x509.CRLNumber(1), critical=False)
           .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
               test_pki.authority.key.public_key()), critical=False)
           .sign(test_pki.authority.key, hashes.SHA256()))
    (tmp_path / "ca.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    settings.SIGNATURE_CRL_FILES = [str(tmp_path / "ca.crl")]
    signed = pki.sign_pdf_as(revoked, _pdf(invitation), PERSONAL_FIELD)
    assert "thu hồi" in _refused(invitation, signed, officer)
    # The same list clears a certificate it does not name.
    still_good = pki.sign_pdf_as(test_pki.chairman, _pdf(invitation), PERSONAL_FIELD)
    assert signing.accept_personal_signature(invitation, still_good, actor=officer).kind == \
        "personal"


def test_the_stamp_carries_the_organisation_seal_image_when_configured(
        invitation, pkcs12_seal, tmp_path):
    from tiepdan.documents.seal import apply_seal

    issued = _pdf(invitation)
    plain = apply_seal(issued, pkcs12_seal, reason="Ban hành").pdf
    image = Image.new("RGB", (120, 120), (200, 0, 0))
    image.save(tmp_path / "con-dau.png")
    pkcs12_seal.stamp_image = str(tmp_path / "con-dau.png")
    pkcs12_seal.save()
    stamped = apply_seal(issued, pkcs12_seal, reason="Ban hành").pdf
    assert b"/Subtype /Image" not in plain[len(issued):]
    assert b"/Subtype /Image" in stamped[len(issued):]  # in the signature's appearance
    assert check_pdf(stamped).all_valid
