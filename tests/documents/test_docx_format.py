"""The DOCX of a Giấy mời follows NĐ 30/2020 Phụ lục I: page, font, sizes and styles."""

import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt


@pytest.fixture(scope="module")
def docx(rendered_invitation):
    return Document(io.BytesIO(rendered_invitation.docx_bytes))


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _paragraph(document, text):
    found = [p for p in _all_paragraphs(document) if p.text == text]
    assert found, f"no paragraph {text!r}"
    return found[0]


def _style(paragraph):
    """(size in pt, bold, italic) of every run with text, which must all agree."""
    styles = {(r.font.size.pt, bool(r.bold), bool(r.italic)) for r in paragraph.runs if r.text}
    assert len(styles) == 1, styles
    return styles.pop()


def test_it_is_a4_with_the_nd30_margins(docx):
    section = docx.sections[0]
    # Word stores twentieths of a point: 210 mm is 11906 twips, 0.006 mm short.
    measured = [section.page_width, section.page_height, section.top_margin,
                section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(length.mm, 1) for length in measured] == [210, 297, 20, 20, 30, 15]


def test_it_sets_times_new_roman_on_every_run_for_every_script(docx):
    runs = [r for p in _all_paragraphs(docx) for r in p.runs if r.text]
    assert runs
    for run in runs:
        fonts = run._element.rPr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(attr)) == "Times New Roman", (run.text, attr)


@pytest.mark.parametrize(("text", "style"), [
    pytest.param("UBND THÀNH PHỐ HẢI PHÒNG", (13, False, False), id="parent-body"),
    pytest.param("ỦY BAN NHÂN DÂN", (13, True, False), id="issuer"),
    pytest.param("XÃ AN LÃO", (13, True, False), id="issuer-place"),
    pytest.param("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (13, True, False), id="quoc-hieu"),
    pytest.param("Độc lập - Tự do - Hạnh phúc", (14, True, False), id="tieu-ngu"),
    pytest.param("Số: 05/GM-UBND", (13, False, False), id="so-ky-hieu"),
    pytest.param("An Lão, ngày 05 tháng 01 năm 2026", (14, False, True), id="date-line"),
    pytest.param("GIẤY MỜI", (14, True, False), id="title"),
    pytest.param("Dự buổi tiếp công dân trực tuyến", (14, True, False), id="trich-yeu"),
    pytest.param("KT. CHỦ TỊCH", (14, True, False), id="signing-authority"),
    pytest.param("PHÓ CHỦ TỊCH", (14, True, False), id="signer-position"),
    pytest.param("Nguyễn Phú Trung", (14, True, False), id="signer-name"),
    pytest.param("Nơi nhận:", (12, True, True), id="noi-nhan"),
    pytest.param("- Như trên;", (11, False, False), id="recipient"),
    pytest.param("- Lưu: VT, VP.", (11, False, False), id="archive-line-last"),
])
def test_it_sizes_and_styles_each_element(docx, text, style):
    assert _style(_paragraph(docx, text)) == style


def test_it_ends_the_recipients_with_the_archive_line(docx):
    cell = docx.tables[-1].cell(0, 0)
    assert [p.text for p in cell.paragraphs][-1] == "- Lưu: VT, VP."


def test_it_justifies_the_body_with_a_first_line_indent_and_spacing(docx):
    body = [p for p in docx.paragraphs if "trân trọng kính mời" in p.text]
    assert body, "no invitation sentence"
    fmt = body[0].paragraph_format
    assert body[0].alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Cm(1) <= fmt.first_line_indent <= Cm(1.27)
    assert fmt.space_after >= Pt(6)
    assert 1.0 <= fmt.line_spacing <= 1.5
    assert _style(body[0]) == (14, False, False)


def test_it_draws_rules_under_the_motto_and_the_issuer(docx):
    header = docx.tables[0]
    for cell in (header.cell(0, 0), header.cell(0, 1)):
        ruled = [p for p in cell.paragraphs if p._p.find(".//" + qn("w:pBdr")) is not None]
        assert len(ruled) == 1


def test_it_numbers_pages_in_the_header_from_page_two(docx):
    section = docx.sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text.strip()
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and 'w:fldCharType="begin"' in header_xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
