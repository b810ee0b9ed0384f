"""DOCX rendition of a ``Layout`` in the NĐ 30/2020 format (Phụ lục I), with python-docx."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .fonts import DOCX_FONT, issuer_lines, text_width_pt
from .layout import Layout, Signer

# NĐ 30 Phụ lục I: A4; margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
LEFT_COLUMN, RIGHT_COLUMN = Cm(6.8), Cm(9.7)  # header table; together the text width
BODY_INDENT = Cm(1.27)
BODY_LINE_SPACING = 1.2
BODY_SPACE_AFTER = Pt(6)


def write_docx(layout: Layout) -> bytes:
    layout = layout.printable()  # lxml refuses control characters: never fail on text
    document = Document()
    _page_setup(document)
    _default_font(document)
    _header_block(document, layout)
    _title_block(document, layout)
    for item in layout.paragraphs:
        paragraph = document.add_paragraph()
        _body_format(paragraph)
        add_run(paragraph, item.text, 14, bold=item.heading)
    _signature_block(document, layout)
    if layout.verification_code:
        line = _tight(document.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT)
        line.paragraph_format.space_before = Pt(18)
        add_run(line, f"Mã xác thực: {layout.verification_code}. Kiểm tra văn bản và chữ ký số "
                      f"tại: {layout.verification_url}", 10)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_run(paragraph: DocxParagraph, text: str, size: float, *, bold: bool = False,
            italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    _set_font(run._element.get_or_add_rPr())


def _set_font(rpr: BaseOxmlElement) -> None:
    """Times New Roman for every script, East Asian included, so Word never falls back."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), DOCX_FONT)


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(10)
    # Page numbers in the top margin, centred, not on page 1 (NĐ 30 Phụ lục I II.10).
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(paragraph)


def _page_field(paragraph: DocxParagraph) -> None:
    for kind, text in (("begin", ""), ("", " PAGE "), ("separate", ""), ("", "2"), ("end", "")):
        run = paragraph.add_run()
        run.font.size = Pt(13)
        _set_font(run._element.get_or_add_rPr())
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text


def _default_font(document: DocxDocument) -> None:
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(14)
    _set_font(style.element.get_or_add_rPr())
    style.paragraph_format.space_after = Pt(0)


def _tight(paragraph: DocxParagraph,
           align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.CENTER) -> DocxParagraph:
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    paragraph.alignment = align
    return paragraph


def _rule(cell_or_doc: _Cell | DocxDocument, width: Length, column: Length,
          space_before_pt: float = 0) -> None:
    """A solid rule ``width`` long, centred in ``column``: the top border of an empty, 2 pt high
    paragraph whose indents trim it to length."""
    paragraph = _tight(cell_or_doc.add_paragraph())
    fmt = paragraph.paragraph_format
    side = Emu(max(0, (column - width) // 2))
    fmt.left_indent, fmt.right_indent = side, side
    fmt.space_before, fmt.line_spacing = Pt(space_before_pt), Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")


def _pt(points: float) -> Emu:
    return Emu(int(points * 12700))


def _header_block(document: DocxDocument, layout: Layout) -> None:
    table = _fixed_table(document, 2, (LEFT_COLUMN, RIGHT_COLUMN))
    left, right = table.cell(0, 0), table.cell(0, 1)
    first = _tight(left.paragraphs[0])
    if layout.parent_body:
        add_run(first, layout.parent_body.upper(), 13)
        first = _tight(left.add_paragraph())
    lines = issuer_lines(layout.issuer.upper(), 13, LEFT_COLUMN.pt - 2)
    for index, line in enumerate(lines):
        add_run(first if index == 0 else _tight(left.add_paragraph()), line, 13, bold=True)
    issuer_width = min(max(text_width_pt(line, 13, bold=True) for line in lines),
                       LEFT_COLUMN.pt)
    _rule(left, _pt(issuer_width * 0.4), LEFT_COLUMN, 1)
    add_run(_tight(right.paragraphs[0]), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    motto = "Độc lập - Tự do - Hạnh phúc"
    add_run(_tight(right.add_paragraph()), motto, 14, bold=True)
    _rule(right, _pt(text_width_pt(motto, 14, bold=True)), RIGHT_COLUMN, 1)
    number = _tight(table.cell(1, 0).paragraphs[0])
    number.paragraph_format.space_before = Pt(6)
    add_run(number, layout.number_line, 13)
    date = _tight(table.cell(1, 1).paragraphs[0])
    date.paragraph_format.space_before = Pt(6)
    add_run(date, layout.place_date, 14, italic=True)


def _fixed_table(document: DocxDocument, rows: int, widths: tuple[Length, Length]) -> Table:
    """A borderless table with fixed column widths (grid and cells, as Word and LibreOffice
    each read one of them) and no inner cell margins: the header columns are measured to hold
    the national name on one line."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption",
                                           "w:tblDescription", "w:tblPrChange")
    return table


def _title_block(document: DocxDocument, layout: Layout) -> None:
    title = _tight(document.add_paragraph())
    title.paragraph_format.space_before = Pt(24)
    add_run(title, layout.type_title.upper(), 14, bold=True)
    subject = _tight(document.add_paragraph())
    add_run(subject, layout.subject, 14, bold=True)
    text_width = Emu(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
    subject_width = min(text_width_pt(layout.subject, 14, bold=True), text_width.pt)
    _rule(document, _pt(subject_width * 0.4), text_width, 2)
    if layout.addressee:
        addressee = _tight(document.add_paragraph())
        addressee.paragraph_format.space_before = Pt(12)
        add_run(addressee, layout.addressee, 14)
    spacer = _tight(document.add_paragraph())
    spacer.paragraph_format.space_after = Pt(6)


def _body_format(paragraph: DocxParagraph) -> None:
    fmt = paragraph.paragraph_format
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = BODY_INDENT
    fmt.space_before, fmt.space_after = Pt(0), BODY_SPACE_AFTER
    fmt.line_spacing = BODY_LINE_SPACING


def _signature_block(document: DocxDocument, layout: Layout) -> None:
    if layout.co_signer is not None:
        # Biên bản: the writer on the left, the chair on the right; Nơi nhận below.
        table = _fixed_table(document, 1, (Cm(8.0), Cm(8.5)))
        left, right = table.rows[0].cells
        _signer_lines(left, layout.co_signer)
        _signer_lines(right, layout.signer)
        if layout.confirmation:
            line = _tight(document.add_paragraph())
            line.paragraph_format.space_before = Pt(18)
            add_run(line, layout.confirmation.upper(), 14, bold=True)
            hint = _tight(document.add_paragraph())
            add_run(hint, "(Ký, ghi rõ họ tên)", 14, italic=True)
            hint.paragraph_format.space_after = Pt(60)
        table = _fixed_table(document, 1, (Cm(8.0), Cm(8.5)))
        _recipients(table.rows[0].cells[0], layout)
        return
    table = _fixed_table(document, 1, (Cm(8.0), Cm(8.5)))
    left, right = table.rows[0].cells
    _recipients(left, layout)
    _signer_lines(right, layout.signer)


def _recipients(cell: _Cell, layout: Layout) -> None:
    heading = _tight(cell.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    heading.paragraph_format.space_before = Pt(12)
    add_run(heading, "Nơi nhận:", 12, bold=True, italic=True)
    for line in layout.recipients:
        add_run(_tight(cell.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT), line, 11)


def _signer_lines(cell: _Cell, signer: Signer) -> None:
    first = _tight(cell.paragraphs[0])
    first.paragraph_format.space_before = Pt(12)
    lines = [line for line in (signer.authority, signer.position) if line]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else _tight(cell.add_paragraph())
        add_run(paragraph, line.upper(), 14, bold=True)
    name = _tight(cell.add_paragraph())
    name.paragraph_format.space_before = Pt(72)  # room for the signature and the seal
    add_run(name, signer.name, 14, bold=True)
