"""PDFs that run JavaScript or launch programs, and images that are also another file, are
refused with a clear Vietnamese message."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from tests import samples
from tiepdan.intake.attachments import check_file


def _pdf(build=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if build:
        build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def _open_action(action):
    def build(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return build


def _page_action(action):
    def build(writer):
        aa = DictionaryObject({NameObject("/O"): writer._add_object(action)})
        writer.pages[0][NameObject("/AA")] = aa
    return build


def _names_tree(writer):
    script = writer._add_object(_action("/JavaScript", JS=TextStringObject("app.alert(1)")))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("a"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)})


ACTIVE_PDFS = [
    pytest.param(_pdf(_names_tree), id="names-javascript-tree"),
    pytest.param(_pdf(_open_action(_action("/JavaScript", JS=TextStringObject("app.alert(1)")))),
                 id="open-action-javascript"),
    pytest.param(_pdf(_open_action(_action("/Launch", F=TextStringObject("calc.exe")))),
                 id="open-action-launch"),
    pytest.param(_pdf(_page_action(_action("/JavaScript", JS=TextStringObject("x")))),
                 id="page-additional-action"),
]


@pytest.mark.parametrize("data", ACTIVE_PDFS)
def test_it_refuses_a_pdf_with_script_or_launch(data):
    with pytest.raises(ValidationError) as caught:
        check_file("don.pdf", io.BytesIO(data))
    assert caught.value.code == "active_pdf"
    assert "JavaScript" in caught.value.messages[0]


def test_an_open_action_that_only_shows_the_first_page_is_fine():
    def go_to_first_page(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(
            _action("/GoTo", D=writer.pages[0].indirect_reference))
    data = _pdf(go_to_first_page)
    assert check_file("don.pdf", io.BytesIO(data)).pages == 1


def _zip_appended(image: bytes) -> bytes:
    return image + samples.plain_zip_bytes()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("anh.png", _zip_appended(samples.png_bytes()), id="png-plus-zip"),
        pytest.param("anh.jpg", _zip_appended(samples.jpg_bytes()), id="jpg-plus-zip"),
        pytest.param("anh.png", samples.png_bytes() + b"<script>alert(1)</script>",
                     id="png-with-data-after-its-end"),
        pytest.param("anh.jpg", samples.jpg_bytes()[:30] + b"%PDF-1.7" + samples.jpg_bytes()[30:],
                     id="jpg-with-pdf-header"),
    ],
)
def test_it_refuses_image_polyglots(name, data):
    with pytest.raises(ValidationError) as caught:
        check_file(name, io.BytesIO(data))
    assert caught.value.code == "polyglot_file"
    assert "ẩn bên trong" in caught.value.messages[0]


@pytest.mark.django_db
def test_the_api_answers_an_active_pdf_with_a_422(client, an_lao):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/api/v1/communes/{an_lao.ward_code}/uploads",
                           {"file": SimpleUploadedFile("a.pdf", ACTIVE_PDFS[0].values[0])})
    assert response.status_code == 422
    assert response.json()["errors"]["file"][0]["code"] == "active_pdf"
