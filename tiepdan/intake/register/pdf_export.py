"""The register as a PDF (Mẫu 03/TCD): A4 landscape, Liberation Serif (Times New Roman's
metrics), the title, the 13 headers and their numbers repeated on every page, one row per entry,
page numbers at the foot.

Rows come from an iterator (``.iterator(chunk_size=...)`` over the database) and each page is
written to ``out`` as soon as it is full (``documents.pdf_stream``), so a 100,000-line year
costs the memory of one page. Cells come from ``columns.row_of`` like the page and the XLSX,
so a denouncer's identity is masked here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.utils.translation import gettext as _

from tiepdan.core.models import Commune
from tiepdan.documents.pdf_stream import Page, StreamingPdf, normalise, wrap

from .columns import HEADERS, row_of
from .export import period_text
from .models import RegisterEntry
from .selectors import ExportRecord, RegisterFilter

MARGIN = 28.0  # ≈ 1 cm
BODY_SIZE, BODY_LEADING = 8.0, 9.6
HEAD_SIZE, HEAD_LEADING = 7.5, 9.0
PAD = 2.0
#: Column widths in points (sum: the 786 pt between the margins of A4 landscape); the date and
#: the ID number fit on one line at 8 pt.
WIDTHS = (30, 44, 95, 58, 130, 44, 32, 60, 36, 68, 68, 62, 59)


class RegisterPdf:
    """Lays the register out page by page on a ``StreamingPdf``."""

    def __init__(self, pdf: StreamingPdf, commune: Commune, flt: RegisterFilter) -> None:
        self.pdf, self.commune, self.flt = pdf, commune, flt
        self.regular, self.bold = pdf.fonts["regular"], pdf.fonts["bold"]
        self.italic = pdf.fonts["italic"]
        width, self.height = pdf.page_size
        scale = (width - 2 * MARGIN) / sum(WIDTHS)
        self.widths = [w * scale for w in WIDTHS]
        self.lefts = [MARGIN + sum(self.widths[:i]) for i in range(len(self.widths))]
        self.header_lines = [wrap(normalise(str(h)), self.bold, HEAD_SIZE, w - 2 * PAD)
                             for h, w in zip(HEADERS, self.widths, strict=True)]
        self.page: Page | None = None
        self.y = 0.0
        self.rows_on_page = 0

    # Pages -------------------------------------------------------------------------------------
    def _start_page(self) -> Page:
        self.page = page = self.pdf.new_page()
        self.y = self.height - MARGIN
        self.rows_on_page = 0
        if self.pdf.page_count == 0:  # the title, on the first page only
            for text, font, size in (
                ("SỔ TIẾP CÔNG DÂN", self.bold, 14.0),
                (self.commune.committee_name.upper(), self.bold, 12.0),
                (period_text(self.flt), self.italic, 11.0),
            ):
                self.y -= size + 3
                page.text((page.width - font.width(text, size)) / 2, self.y, text, font, size)
            self.y -= 8
        self._table_header(page)
        return page

    def _table_header(self, page: Page) -> None:
        lines = max(len(cell) for cell in self.header_lines)
        height = lines * HEAD_LEADING + 2 * PAD
        top = self.y
        for left, width, cell in zip(self.lefts, self.widths, self.header_lines, strict=True):
            page.rect(left, top - height, width, height, fill_grey=0.9)
            for index, text in enumerate(cell):
                x = left + (width - self.bold.width(text, HEAD_SIZE)) / 2
                page.text(x, top - PAD - HEAD_SIZE - index * HEAD_LEADING, text, self.bold,
                          HEAD_SIZE)
        self.y = top - height
        numbers_height = HEAD_LEADING + 2 * PAD
        for number, (left, width) in enumerate(zip(self.lefts, self.widths, strict=True), 1):
            page.rect(left, self.y - numbers_height, width, numbers_height)
            text = f"({number})"
            page.text(left + (width - self.italic.width(text, HEAD_SIZE)) / 2,
                      self.y - PAD - HEAD_SIZE, text, self.italic, HEAD_SIZE)
        self.y -= numbers_height

    def _finish_page(self, page: Page) -> None:
        label = _("Trang %(number)s") % {"number": self.pdf.page_count + 1}
        page.text(page.width - MARGIN - self.regular.width(label, 8), MARGIN / 2, label,
                  self.regular, 8)
        self.pdf.add_page(page)
        self.page = None

    # Rows --------------------------------------------------------------------------------------
    def add_row(self, cells: tuple[str | int, ...]) -> None:
        columns = [wrap(normalise(str(value)), self.regular, BODY_SIZE, width - 2 * PAD)
                   for value, width in zip(cells, self.widths, strict=True)]
        rows = max(1, *(len(c) for c in columns))
        done = 0
        while done < rows:
            page = self.page if self.page is not None else self._start_page()
            fit = int((self.y - MARGIN - 2 * PAD) // BODY_LEADING)
            if rows - done > fit and self.rows_on_page:
                # Not enough room: the row starts on the next page (split there only if it is
                # taller than a whole page).
                self._finish_page(page)
                continue
            take = max(1, min(fit, rows - done))
            height = take * BODY_LEADING + 2 * PAD
            for left, width, lines in zip(self.lefts, self.widths, columns, strict=True):
                page.rect(left, self.y - height, width, height)
                for index, text in enumerate(lines[done:done + take]):
                    page.text(left + PAD, self.y - PAD - BODY_SIZE - index * BODY_LEADING,
                                   text, self.regular, BODY_SIZE)
            self.y -= height
            self.rows_on_page += 1
            done += take

    def close(self) -> None:
        if self.page is not None:
            self._finish_page(self.page)
        self.pdf.close()


def write_register_pdf(commune: Commune, flt: RegisterFilter,
                       entries: Iterable[RegisterEntry | ExportRecord], out: IO[bytes]
                       ) -> int:
    """Write the register of ``commune`` for ``flt`` to ``out`` as PDF; how many entries."""
    pdf = StreamingPdf(out, title=f"Sổ tiếp công dân — {commune.name} — {period_text(flt)}")
    layout = RegisterPdf(pdf, commune, flt)
    count = 0
    for entry in entries:
        layout.add_row(row_of(entry).cells)
        count += 1
    if not count:
        layout.add_row(("", "", _("Chưa có dòng nào trong sổ với bộ lọc này."),
                        *([""] * (len(HEADERS) - 3))))
    layout.close()
    return count
