"""The register as PDF (Mẫu 03/TCD): A4 landscape, the 13 numbered headers on every page, one
row per entry in the serif face, denouncers masked, audited as an export."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tiepdan.core.models import PersonalDataAccess
from tiepdan.intake.models import MatterKind
from tiepdan.intake.register.columns import HEADERS

from .conftest import decided

pytestmark = pytest.mark.django_db

IDENTITY = ("Lê Văn Tố Giác", "031099777888", "Xóm Bí Mật 9")
#: What the citizen also declares for the ID number above (a man born in 1999).
BORN = {"date_of_birth": "1999-05-20", "gender": "male"}
MASK = "Được giữ bí mật (Luật Tố cáo Đ47)"


def _pdf(response) -> PdfReader:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(data)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return PdfReader(io.BytesIO(data))


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def entries(an_lao, officer):
    complaint = decided(an_lao, officer, "accept", kind=MatterKind.KHIEU_NAI,
                        summary="Khiếu nại quyết định thu hồi đất")
    decided(an_lao, officer, "forward", kind=MatterKind.TO_CAO, full_name=IDENTITY[0],
            id_number=IDENTITY[1], address=IDENTITY[2], **BORN)
    return complaint


def test_it_exports_the_headers_and_the_rows(client, login_staff, an_lao, officer, entries):
    login_staff(client, officer)
    response = client.get(reverse("register:export_pdf", args=[an_lao.ward_code]))

    assert response["Content-Disposition"].startswith(
        'attachment; filename="so-tiep-cong-dan-11629-')
    reader = _pdf(response)
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert round(float(page.mediabox.width)) == 842  # A4
    text = _text(reader)
    assert "SỔ TIẾP CÔNG DÂN" in text and "ỦY BAN NHÂN DÂN XÃ AN LÃO" in text
    for header in HEADERS:
        assert " ".join(str(header).split()) in text, header
    assert "(1) (2) (3)" in text and "(13)" in text
    assert "Trần Thị Bình, Thôn Hàm Hy, Xã An Lão" in text
    assert "Khiếu nại quyết định thu hồi đất" in text
    assert re.search(r"\b1 \d\d/\d\d/\d{4} Trần Thị Bình", text)  # STT, date, name: one row
    fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()
             for f in [f.get_object()]}
    assert any(name.endswith("+LiberationSerif") for name in fonts)
    assert PersonalDataAccess.objects.filter(type="register.register.exported",
                                             data__format="PDF").exists()


def test_the_pdf_masks_a_denouncer(client, login_staff, an_lao, officer, entries):
    login_staff(client, officer)
    text = _text(_pdf(client.get(reverse("register:export_pdf", args=[an_lao.ward_code]))))

    for value in IDENTITY:
        assert value not in text
    assert text.count(MASK) == 2


def test_a_long_register_runs_over_pages_with_the_headers_repeated(client, login_staff, an_lao,
                                                                   officer):
    for _ in range(45):
        decided(an_lao, officer, "accept")
    login_staff(client, officer)
    reader = _pdf(client.get(reverse("register:export_pdf", args=[an_lao.ward_code])))

    assert len(reader.pages) >= 2
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Tóm tắt nội dung" in last and f"Trang {len(reader.pages)}" in last
    assert " 45 " in _text(reader)


def test_an_empty_filter_gives_a_pdf_that_says_so(client, login_staff, an_lao, officer):
    login_staff(client, officer)
    text = _text(_pdf(client.get(reverse("register:export_pdf", args=[an_lao.ward_code]),
                                 {"year": 2024})))

    assert "Chưa có dòng nào trong sổ với bộ lọc này." in text
    assert "Năm 2024" in text


def test_the_api_exports_the_pdf(client, login_staff, an_lao, officer, entries):
    login_staff(client, officer)
    reader = _pdf(client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/register.pdf"))

    assert "Trần Thị Bình" in _text(reader)


def test_the_register_page_links_to_the_pdf_of_its_filter(client, login_staff, an_lao,
                                                          officer, entries):
    login_staff(client, officer)
    page = client.get(reverse("register:book", args=[an_lao.ward_code]),
                      {"year": 2026, "kind": "khieu_nai"}).content.decode()

    assert (reverse("register:export_pdf", args=[an_lao.ward_code])
            + "?year=2026&amp;kind=khieu_nai") in page
