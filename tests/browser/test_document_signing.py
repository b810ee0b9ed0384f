"""Issue 15, in a real browser: an officer downloads a Giấy mời to sign, the signer's tool signs
it (here: pyHanko with the test CA's personal certificate, as a VGCA token tool would), the
officer uploads it, the worker applies the commune's signature, and the public verification
page opened from the QR code printed on the PDF shows both signatures and checks the file."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from tests.documents.conftest import ISSUED_ON, SIGNER, invitation_values
from tests.documents.signing_kit import make_pki
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.demo import pki
from tiepdan.documents.models import DocType, OrganisationSeal, SealBackend
from tiepdan.documents.services import issue_document
from tiepdan.documents.signature_fields import PERSONAL_FIELD

pytestmark = pytest.mark.browser


def _qr_url(pdf: Path, folder: Path) -> str:
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(folder / "page")], check=True)
    found = zxingcpp.read_barcodes(Image.open(next(folder.glob("page*.png"))))
    assert len(found) == 1, "one QR code on the first page"
    return found[0].text


def test_sign_upload_seal_and_verify_from_the_qr_code(page: Page, live_server, staff_login,
                                                       an_lao, settings, tmp_path):
    settings.SITE_URL = live_server.url
    made = make_pki(tmp_path / "pki")
    settings.SIGNATURE_TRUST_ROOTS = [str(made.root_file)]
    seal_holder = pki.issue(made.authority, "UBND xã An Lão", "Ủy ban nhân dân xã An Lão")
    (tmp_path / "seal.pass").write_text("bi-mat", encoding="utf-8")
    (tmp_path / "seal.p12").write_bytes(seal_holder.pkcs12(b"bi-mat"))
    OrganisationSeal.objects.create(commune=an_lao, backend=SealBackend.PKCS12,
                                    pkcs12_path=str(tmp_path / "seal.p12"),
                                    secret_file=str(tmp_path / "seal.pass"))
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    document = issue_document(an_lao, DocType.INVITATION, invitation_values(), actor=officer,
                              signer=SIGNER, issued_on=ISSUED_ON)

    staff_login(officer)
    page.goto(live_server.url + reverse("documents:detail", args=[document.pk]))
    expect(page.locator("#signature-state")).to_contain_text("Đang chờ chữ ký số của người")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản PDF để ký").click()
    to_sign = tmp_path / "to-sign.pdf"
    download.value.save_as(to_sign)

    signed = tmp_path / "signed.pdf"  # what the signer's token tool gives back
    # pyHanko runs its own event loop: not in this thread, where Playwright's loop runs.
    with ThreadPoolExecutor(1) as pool:
        signed.write_bytes(pool.submit(pki.sign_pdf_as, made.chairman, to_sign.read_bytes(),
                                       PERSONAL_FIELD).result())
    page.get_by_label("Tệp PDF đã ký số").set_input_files(str(signed))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("main")).to_contain_text("Đã nhận bản ký số của Vũ Văn Chủ")
    page.reload()
    expect(page.locator("#signature-state")).to_contain_text("Đã đủ các chữ ký số")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản PDF chính thức (đã ký số)").click()
    official = tmp_path / "official.pdf"
    download.value.save_as(official)
    (tmp_path / "scan").mkdir()
    url = _qr_url(official, tmp_path / "scan")
    assert url.startswith(live_server.url + "/xac-thuc/")

    visitor = page.context.browser.new_context(locale="vi-VN")  # anyone, not signed in
    public = visitor.new_page()
    public.goto(url)
    expect(public.locator("#verify-valid")).to_contain_text("Mã xác thực hợp lệ")
    expect(public.locator("#signatures")).to_contain_text("Vũ Văn Chủ")
    expect(public.locator("#signatures")).to_contain_text("Chữ ký số của cơ quan")
    public.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(official))
    public.get_by_role("button", name="Kiểm tra tệp").click()
    expect(public.locator("#comparison")).to_contain_text("trùng khớp từng byte")

    altered = bytearray(official.read_bytes())
    altered[400] ^= 0x01
    (tmp_path / "altered.pdf").write_bytes(bytes(altered))
    public.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(tmp_path / "altered.pdf"))
    public.get_by_role("button", name="Kiểm tra tệp").click()
    expect(public.locator("#comparison")).to_contain_text(re.compile("KHÔNG|không hợp lệ"))
    visitor.close()
