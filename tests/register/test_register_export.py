"""The register as XLSX (Mẫu 03/TCD): title rows, numbered columns, A4 landscape, Times New
Roman, streamed, audited as an export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tiepdan.core.models import AuditEntry, PersonalDataAccess
from tiepdan.intake.register.columns import HEADERS

from .conftest import decided

pytestmark = pytest.mark.django_db


def _download(client, commune, **query):
    response = client.get(reverse("register:export", args=[commune.ward_code]), query)
    assert response.status_code == 200, response.content[:200]
    return response


def _sheet(response):
    assert response.streaming
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def test_it_streams_an_xlsx_attachment(client, login_staff, an_lao, officer):
    login_staff(client, officer)
    response = _download(client, an_lao, year=2026, month=7)
    assert response.streaming
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response["Content-Disposition"] == (
        'attachment; filename="so-tiep-cong-dan-11629-2026-07.xlsx"')


def test_it_has_the_title_rows_and_the_13_numbered_columns(client, login_staff, an_lao,
                                                          officer):
    year = decided(an_lao, officer, "forward").register_entry.year
    decided(an_lao, officer, "accept")
    login_staff(client, officer)
    sheet = _sheet(_download(client, an_lao, year=year))
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "SỔ TIẾP CÔNG DÂN"
    assert rows[1][0] == "ỦY BAN NHÂN DÂN XÃ AN LÃO"
    assert rows[2][0] == f"Năm {year}"
    assert rows[4][:13] == [str(h) for h in HEADERS]
    assert rows[5][:13] == [f"({n})" for n in range(1, 14)]
    data = rows[6:]
    assert [row[0] for row in data] == [1, 2]
    assert data[0][10] == "Thanh tra Thành phố (số văn bản 34/PC-UBND)"
    assert data[1][10] == "Ủy ban nhân dân xã An Lão" and data[1][8] == "x"
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A1:M1", "A2:M2", "A3:M3"}


def test_an_empty_cell_is_blank_and_keeps_the_grid(client, login_staff, an_lao, officer):
    year = decided(an_lao, officer, "accept").register_entry.year
    login_staff(client, officer)
    sheet = _sheet(_download(client, an_lao, year=year))
    line = list(sheet.iter_rows(min_row=7, max_row=7))[0]
    empty = line[9]  # (10) guided to: nobody, for a matter the commune handles itself
    assert empty.value is None and empty.data_type == "n"  # a blank, not an empty string
    assert empty.border.left.style == "thin" and empty.border.bottom.style == "thin"


def test_it_prints_on_a4_landscape_in_times_new_roman(client, login_staff, an_lao, officer):
    decided(an_lao, officer, "file")
    login_staff(client, officer)
    sheet = _sheet(_download(client, an_lao))
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    fonts = {cell.font.name for row in sheet.iter_rows() for cell in row if cell.value}
    assert fonts == {"Times New Roman"}


def test_it_is_audited_as_an_export_with_its_filter(client, login_staff, an_lao, officer):
    decided(an_lao, officer, "file")
    login_staff(client, officer)
    _download(client, an_lao, year=2026, kind="kien_nghi")
    entry = PersonalDataAccess.objects.get(type="register.register.exported")
    assert entry.actor == officer and entry.commune == an_lao
    assert (entry.data["format"], entry.data["rows"]) == ("XLSX", 1)
    assert "năm 2026" in entry.data["filter"] and "loại kien_nghi" in entry.data["filter"]
    assert "năm 2026" in entry.text
    assert not AuditEntry.objects.filter(type="register.register.exported").exists()


def test_its_cells_are_typed_the_header_frozen_and_filtered(client, login_staff, an_lao,
                                                           officer):
    import datetime as dt

    entry = decided(an_lao, officer, "forward").register_entry
    decided(an_lao, officer, "accept")
    login_staff(client, officer)
    sheet = _sheet(_download(client, an_lao, year=entry.year))
    first = sheet.cell(row=7, column=2)
    assert first.is_date and first.value.date() == entry.received_on
    assert first.number_format == "dd/mm/yyyy"
    assert isinstance(sheet.cell(row=7, column=1).value, int)  # STT
    assert isinstance(sheet.cell(row=7, column=7).value, int)  # số người
    assert sheet.freeze_panes == "A7"
    assert sheet.auto_filter.ref == "A6:M8"
    assert isinstance(first.value, dt.datetime)
