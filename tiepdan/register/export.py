"""The register as an XLSX file (Mẫu 03/TCD): A4 landscape, Times New Roman, the title rows,
the 13 headers and their numbers, then one row per entry.

openpyxl's write-only workbook streams the rows to a temporary file as they come, so a
100,000-line year costs the memory of one row, not of the sheet."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from tiepdan.core.models import Commune

from .columns import HEADERS, row_of
from .models import RegisterEntry
from .selectors import RegisterFilter

FONT_NAME = "Times New Roman"
#: Column widths (characters), sized for A4 landscape at fit-to-width.
WIDTHS = (6, 11, 30, 15, 40, 12, 9, 20, 10, 24, 24, 18, 22)
TITLE_ROWS = 6  # title, issuer, period, blank, headers, column numbers

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
#: One named style for every data cell: setting it is a lookup, whereas setting font, border
#: and alignment one by one hashes each of them per cell (2/3 of the time for 100k rows).
BODY_STYLE = "so_tiep_cong_dan"


def period_text(flt: RegisterFilter) -> str:
    if flt.month:
        return f"Tháng {flt.month} năm {flt.year}"
    return f"Năm {flt.year}"


def write_register_xlsx(commune: Commune, flt: RegisterFilter,
                        entries: Iterable[RegisterEntry], out: IO[bytes]) -> int:
    """Write the register of ``commune`` for ``flt`` to ``out``; how many entries it holds."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"So tiep cong dan {flt.year}")
    _page_setup(sheet)
    workbook.add_named_style(NamedStyle(name=BODY_STYLE, font=Font(name=FONT_NAME, size=11),
                                        alignment=_WRAP, border=_BOX))
    last = get_column_letter(len(HEADERS))
    for row in (1, 2, 3):
        sheet.merged_cells.add(f"A{row}:{last}{row}")
    sheet.append([_cell(sheet, "SỔ TIẾP CÔNG DÂN", size=14, bold=True, align=_CENTER)])
    sheet.append([_cell(sheet, commune.committee_name.upper(), size=13, bold=True,
                        align=_CENTER)])
    sheet.append([_cell(sheet, period_text(flt), size=13, italic=True, align=_CENTER)])
    sheet.append([])
    sheet.append([_cell(sheet, str(h), size=11, bold=True, align=_CENTER, border=True)
                  for h in HEADERS])
    sheet.append([_cell(sheet, f"({n})", size=11, italic=True, align=_CENTER, border=True)
                  for n in range(1, len(HEADERS) + 1)])
    body = WriteOnlyCell(sheet)
    body.style = BODY_STYLE

    def body_cells(values: Iterable[object]) -> Iterator[WriteOnlyCell]:
        # One styled cell, given each value in turn: the write-only sheet writes a cell as
        # soon as it is yielded, so a new cell (and its style lookup) per value is not needed.
        for value in values:
            body.value = value
            yield body

    count = 0
    try:
        for entry in entries:
            sheet.append(body_cells(row_of(entry).cells))
            count += 1
    except BaseException:
        _discard(sheet)
        raise
    workbook.save(out)
    return count


def _discard(sheet: Worksheet) -> None:
    """Remove the rows written so far. openpyxl streams a write-only sheet to a temporary file
    of its own, deleted when the workbook is saved or at exit: after a failure the personal
    data of a half-done export must not stay on disk until then."""
    writer = getattr(sheet, "_writer", None)  # openpyxl's WorksheetWriter, once rows exist
    if writer is None:
        return
    for stream in (getattr(sheet, "_rows", None), writer.xf):  # rows first, then the sheet
        with contextlib.suppress(Exception):  # the XML is left unfinished on purpose
            if stream is not None:
                stream.close()
    with contextlib.suppress(OSError, ValueError):
        writer.cleanup()


def _page_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{TITLE_ROWS - 1}:{TITLE_ROWS}"  # headers on every page
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _cell(sheet: Worksheet, value: object, *, size: int, bold: bool = False,
          italic: bool = False, align: Alignment = _WRAP, border: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(name=FONT_NAME, size=size, bold=bold, italic=italic)
    cell.alignment = align
    if border:
        cell.border = _BOX
    return cell

