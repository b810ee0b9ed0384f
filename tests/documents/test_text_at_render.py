"""The writers never fail on text: characters XML (or UTF-8) cannot carry are dropped at
render, whatever reached them, and the text is laid out in NFC."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pypdf
import pytest

from tiepdan.documents.docx_writer import write_docx
from tiepdan.documents.layout import Layout
from tiepdan.documents.models import DocType
from tiepdan.documents.pdf_stream import StreamingPdf
from tiepdan.documents.pdf_writer import write_pdf
from tiepdan.documents.services import issue_document

from .conftest import ISSUED_ON, invitation_values, sample_context

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Văn Ánh")
HOSTILE = {
    "escape": "Nguyễn\x1b[31m Văn Ánh",
    "nul": "Nguyễn\x00 Văn Ánh",
    "bidi_override": "Nguyễn\u202e Văn Ánh",
    "lone_surrogate": "Nguyễn\ud800 Văn Ánh",
    "c1_and_noncharacter": "Nguyễn\x85\ufffe Văn Ánh",
    "vertical_tab_and_form_feed": "Nguyễn\x0b\x0c Văn Ánh",
    "decomposed": NFD_NAME,
}


def _layout(name: str) -> Layout:
    values = {**invitation_values(), "invitees": name, "chair": name}
    return Layout.from_dict(sample_context(DocType.INVITATION, values)["layout"])


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        return docx.read("word/document.xml").decode()


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_docx_writer_drops_what_xml_cannot_carry(name):
    body = _docx_text(write_docx(_layout(name)))
    assert "Nguyễn" in body and "Văn Ánh" in body
    assert NFD_NAME not in body and "\u202e" not in body


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_pdf_writer_drops_what_it_cannot_encode(name):
    text = pypdf.PdfReader(io.BytesIO(write_pdf(_layout(name)))).pages[0].extract_text()
    assert "Nguyễn" in unicodedata.normalize("NFC", text)


def test_the_streamed_pdf_writer_drops_them_too():
    out = io.BytesIO()
    pdf = StreamingPdf(out, title="Sổ tiếp công dân\ud800")
    page = pdf.new_page()
    page.text(40, 500, HOSTILE["lone_surrogate"] + HOSTILE["escape"], pdf.fonts["regular"], 12)
    pdf.add_page(page)
    pdf.close()
    text = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
    assert "Nguyễn Văn Ánh" in unicodedata.normalize("NFC", text)


@pytest.mark.django_db
def test_a_document_with_a_control_character_is_issued_clean(an_lao, officer, signer):
    # What used to fail on every try and burn a number each time.
    data = {**invitation_values(), "invitees": "Ông Nguyễn\x1b Văn Ánh"}
    document = issue_document(
        an_lao, DocType.INVITATION, data, actor=officer, signer=signer, issued_on=ISSUED_ON
    )
    assert document.symbol == "01/GM-UBND"
    with document.docx_file.open("rb") as stored:
        body = _docx_text(stored.read())
    assert "Ông Nguyễn Văn Ánh" in body and "\x1b" not in body
