"""An export that fails half-way never returns a truncated file that looks complete: the page
shows an error, the API answers its JSON error, and nothing is audited as exported."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

from tiepdan.core.downloads import ExportFailed, build_file
from tiepdan.core.models import PersonalDataAccess
from tiepdan.intake.register import views

from .conftest import decided

pytestmark = pytest.mark.django_db


def _fails_after_first_row(records):
    """The real records, then the database connection "drops"."""
    for index, record in enumerate(records):
        if index == 1:
            raise DatabaseError("server closed the connection unexpectedly")
        yield record


@pytest.fixture
def failing_rows(monkeypatch, an_lao, officer):
    decided(an_lao, officer, "accept")
    decided(an_lao, officer, "guide")
    real = views.export_records
    monkeypatch.setattr(views, "export_records",
                        lambda commune, flt: _fails_after_first_row(real(commune, flt)))


@pytest.mark.parametrize("name", ["register:export", "register:export_pdf"])
def test_the_page_shows_an_error_instead_of_a_partial_file(client, login_staff, an_lao,
                                                           officer, failing_rows, name):
    login_staff(client, officer)
    response = client.get(reverse(name, args=[an_lao.ward_code]))

    assert response.status_code == 500
    assert not response.streaming
    assert "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Không xuất được sổ tiếp công dân" in page
    assert "không có tệp nào được tải về" in page
    assert not PersonalDataAccess.objects.filter(type="register.register.exported").exists()


def test_no_half_written_rows_stay_on_disk(client, login_staff, an_lao, officer,
                                           failing_rows):
    def scratch() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob("so-tiep-cong-dan-*"))

    before = scratch()
    login_staff(client, officer)
    assert client.get(reverse("register:export", args=[an_lao.ward_code])).status_code == 500

    assert scratch() == before


@pytest.mark.parametrize("suffix", ["xlsx", "pdf"])
def test_the_api_answers_an_error_instead_of_a_partial_file(client, login_staff, an_lao,
                                                            officer, failing_rows, suffix):
    login_staff(client, officer)
    response = client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/register.{suffix}")

    assert response.status_code == 500
    assert response.json()["code"] == "export_failed"
    assert not PersonalDataAccess.objects.filter(type="register.register.exported").exists()


def test_a_half_written_file_is_closed_and_not_returned():
    opened = []

    def write(out):
        opened.append(out)
        out.write(b"PK\x03\x04 half a workbook")
        raise OSError("disk full")

    with pytest.raises(ExportFailed):
        build_file(write)
    assert opened[0].closed
