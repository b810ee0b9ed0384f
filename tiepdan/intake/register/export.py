"""The register as an XLSX file (Mẫu 03/TCD): A4 landscape, Times New Roman, the title rows,
the 13 headers and their numbers (repeated on every printed page), then one row per entry.

XlsxWriter in ``constant_memory`` mode writes each row to a scratch file as it comes, so a
100,000-line year costs the memory of one row, not of the sheet. It writes styled cells about
2.5 times faster than openpyxl's write-only mode (measured: 20,000 rows of 13 cells, 1.4 s
against 3.5 s), which is what keeps a 100,000-row year within seconds. Its scratch files live
in a temporary directory removed when writing ends, also when it fails half-way: the rows of
an export that failed do not stay on disk.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter

from tiepdan.core.models import Commune

from .columns import HEADERS, row_of
from .models import RegisterEntry
from .selectors import ExportRecord, RegisterFilter

FONT_NAME = "Times New Roman"
#: Column widths (characters), sized for A4 landscape at fit-to-width.
WIDTHS = (6, 11, 30, 15, 40, 12, 9, 20, 10, 24, 24, 18, 22)
TITLE_ROWS = 6  # title, issuer, period, blank, headers, column numbers
PAPER_A4 = 9


#: Column (0-based) of the date of reception: written as a date cell, not as text.
DATE_COLUMN = 1
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_serial(day: dt.date) -> int:
    """The day as Excel counts it (its date cells are numbers with a date format): writing the
    number directly costs what a number costs, a tenth of ``write_datetime``'s conversion."""
    return (day - _EXCEL_EPOCH).days


def period_text(flt: RegisterFilter) -> str:
    if flt.month:
        return f"Tháng {flt.month} năm {flt.year}"
    return f"Năm {flt.year}"


def write_register_xlsx(commune: Commune, flt: RegisterFilter,
                        entries: Iterable[RegisterEntry | ExportRecord], out: IO[bytes]
                        ) -> int:
    """Write the register of ``commune`` for ``flt`` to ``out``; how many entries it holds."""
    with tempfile.TemporaryDirectory(prefix="so-tiep-cong-dan-") as scratch:
        workbook = xlsxwriter.Workbook(out, {
            "constant_memory": True, "tmpdir": scratch,
            # A citizen's text is text: "=…" is never a formula, "http…" never a link (and
            # skipping those checks on 1.3 million cells saves seconds).
            "strings_to_formulas": False, "strings_to_urls": False,
        })
        sheet = workbook.add_worksheet(f"So tiep cong dan {flt.year}")
        _page_setup(sheet)

        def style(size: int = 11, **extra: object) -> object:
            return workbook.add_format({"font_name": FONT_NAME, "font_size": size, **extra})

        centred: dict[str, Any] = {"align": "center", "valign": "vcenter", "text_wrap": True}
        last = len(HEADERS) - 1
        sheet.merge_range(0, 0, 0, last, "SỔ TIẾP CÔNG DÂN", style(14, bold=True, **centred))
        sheet.merge_range(1, 0, 1, last, commune.committee_name.upper(),
                          style(13, bold=True, **centred))
        sheet.merge_range(2, 0, 2, last, period_text(flt), style(13, italic=True, **centred))
        sheet.write_row(4, 0, [str(h) for h in HEADERS], style(bold=True, border=1, **centred))
        sheet.write_row(5, 0, [f"({n})" for n in range(1, len(HEADERS) + 1)],
                        style(italic=True, border=1, **centred))
        body = style(text_wrap=True, valign="top", border=1)
        date = style(valign="top", border=1, num_format="dd/mm/yyyy", align="center")
        count = 0
        text, number, blank = sheet.write_string, sheet.write_number, sheet.write_blank
        for row, entry in enumerate(entries, start=TITLE_ROWS):
            # Typed writes: write_row() would guess each cell's type with regular expressions.
            for column, value in enumerate(row_of(entry).cells):
                if column == DATE_COLUMN:
                    number(row, column, excel_serial(entry.received_on), date)
                elif isinstance(value, int):
                    number(row, column, value, body)
                elif value:
                    text(row, column, value, body)
                else:
                    # An empty cell keeps its border; as a blank, not an empty inline string,
                    # it is what Excel's filter lists as "(Blanks)" and costs no escaping.
                    blank(row, column, None, body)
            count += 1
        # The column numbers row heads the filters; everything above it stays in view.
        sheet.freeze_panes(TITLE_ROWS, 0)
        sheet.autofilter(TITLE_ROWS - 1, 0, TITLE_ROWS - 1 + count, len(HEADERS) - 1)
        workbook.close()
    return count


def _page_setup(sheet: xlsxwriter.worksheet.Worksheet) -> None:
    sheet.set_landscape()
    sheet.set_paper(PAPER_A4)
    sheet.fit_to_pages(1, 0)  # one page wide, as many long as needed
    sheet.repeat_rows(TITLE_ROWS - 2, TITLE_ROWS - 1)  # headers on every page
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
