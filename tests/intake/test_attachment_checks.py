import io

import pytest
from django.core.exceptions import ValidationError

from tests import samples
from tiepdan.intake.attachments import check_count, check_file


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [
        pytest.param("don.pdf", samples.pdf_bytes(3), "pdf", id="pdf"),
        pytest.param("anh.png", samples.png_bytes(), "png", id="png"),
        pytest.param("anh.jpg", samples.jpg_bytes(), "jpg", id="jpg"),
        pytest.param("don.docx", samples.docx_bytes(), "docx", id="docx"),
        pytest.param("khong-duoi", samples.pdf_bytes(), "pdf", id="type-from-content-not-name"),
        pytest.param("anh.pdf", samples.png_bytes(), "png", id="png-named-pdf-is-png"),
    ],
)
def test_it_accepts_allowed_types_by_content(name, data, extension):
    checked = check_file(name, io.BytesIO(data), len(data))
    assert checked.extension == extension
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


def test_it_counts_pdf_pages():
    data = samples.pdf_bytes(3)
    assert check_file("a.pdf", io.BytesIO(data)).pages == 3


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        pytest.param("virus.pdf", samples.exe_bytes(), "file_type_not_allowed", id="exe-as-pdf"),
        pytest.param("a.docx", samples.plain_zip_bytes(), "file_type_not_allowed",
                     id="zip-as-docx"),
        pytest.param("a.txt", b"hello world", "file_type_not_allowed", id="text"),
        pytest.param("a.pdf", b"", "empty_file", id="empty"),
        pytest.param("a.pdf", b"%PDF-1.7\n garbage", "broken_file", id="broken-pdf"),
    ],
)
def test_it_rejects_disguised_empty_or_broken_files(name, data, code):
    with pytest.raises(ValidationError) as exc:
        check_file(name, io.BytesIO(data), len(data))
    assert exc.value.code == code


def test_it_rejects_oversized_files_even_when_the_size_is_not_declared(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    data = samples.pdf_bytes() + b"\n" * 2000
    with pytest.raises(ValidationError) as exc:
        check_file("big.pdf", io.BytesIO(data), None)
    assert exc.value.code == "file_too_large"


def test_it_limits_the_number_of_files(settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    check_count(2)
    with pytest.raises(ValidationError):
        check_count(3)
