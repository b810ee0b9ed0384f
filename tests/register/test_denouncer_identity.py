"""A denouncer's identity never appears in the register: page, XLSX or API (Luật Tố cáo)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tiepdan.intake.models import MatterKind

from .conftest import decided

pytestmark = pytest.mark.django_db

IDENTITY = ("Lê Văn Tố Giác", "031099777888", "Xóm Bí Mật 9")
#: What the citizen also declares for the ID number above (a man born in 1999).
BORN = {"date_of_birth": "1999-05-20", "gender": "male"}
MASK = "Được giữ bí mật (Luật Tố cáo Đ47)"


@pytest.fixture
def denunciation(an_lao, officer):
    return decided(an_lao, officer, "forward", kind=MatterKind.TO_CAO, full_name=IDENTITY[0],
                   id_number=IDENTITY[1], address=IDENTITY[2], **BORN)


@pytest.fixture
def complaint(an_lao, officer):
    return decided(an_lao, officer, "accept", kind=MatterKind.KHIEU_NAI)


def test_the_page_masks_a_denouncer(client, login_staff, an_lao, officer, denunciation,
                                   complaint):
    login_staff(client, officer)
    html = client.get(reverse("register:book", args=[an_lao.ward_code])).content.decode()
    for value in IDENTITY:
        assert value not in html
    assert html.count(MASK) == 2  # name-address and ID columns
    assert "Trần Thị Bình" in html  # the complainant's identity is shown


def test_the_xlsx_masks_a_denouncer_in_every_cell(client, login_staff, an_lao, officer,
                                                  denunciation, complaint):
    login_staff(client, officer)
    response = client.get(reverse("register:export", args=[an_lao.ward_code]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    for value in IDENTITY:
        assert not any(value in cell for cell in cells), value
    assert cells.count(MASK) == 2
    assert any("Trần Thị Bình" in cell for cell in cells)


def test_the_api_masks_a_denouncer(client, login_staff, an_lao, officer, denunciation):
    login_staff(client, officer)
    response = client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/register")
    body = response.content.decode()
    for value in IDENTITY:
        assert value not in body
    item = response.json()["items"][0]
    assert (item["name_address"], item["id_number"]) == (MASK, MASK)
