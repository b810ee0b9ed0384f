"""A report as an XLSX workbook: the summary table (one row per commune and the total), then
the matters by field of law. Times New Roman, A4 landscape; percentages as numbers formatted
"0.0%" so they can be computed with."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from .figures import UNCLASSIFIED, Report
from .tables import COLUMNS

FONT_NAME = "Times New Roman"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


def write_report_xlsx(report: Report, title: str, issuer: str, out: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(title=_("Tổng hợp")[:31])
    _setup(summary, [28] + [12] * len(COLUMNS))
    summary.append([_cell(summary, title.upper(), bold=True, size=14)])
    summary.append([_cell(summary, issuer.upper(), bold=True)])
    summary.append([_cell(summary, f"{report.period.label} ({report.period.range_text})",
                          italic=True)])
    if report.is_partial:
        summary.append([_cell(summary, _("Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày "
                                         "%(day)s.") % {"day": f"{report.today:%d/%m/%Y}"},
                              italic=True)])
    if report.is_empty:
        summary.append([_cell(summary, _("Không có số liệu nào trong kỳ báo cáo này."),
                              italic=True)])
    summary.append([])
    summary.append([_cell(summary, _("Đơn vị"), bold=True, box=True)]
                   + [_cell(summary, str(c.label), bold=True, box=True) for c in COLUMNS])
    rows = report.communes if len(report.communes) > 1 else []
    for figures in [*rows, report.total]:
        is_total = figures is report.total
        label = _("Tổng cộng") if is_total and rows else figures.name
        summary.append([_cell(summary, label, bold=is_total, box=True)]
                       + [_value(summary, c.value(figures), c.percent, is_total)
                          for c in COLUMNS])
    if not report.total.follow_up.available:
        summary.append([_cell(summary, _("Số liệu theo dõi kết quả chưa có: phân hệ theo dõi, "
                                         "đôn đốc chưa được cài đặt."), italic=True)])

    fields = workbook.create_sheet(title=_("Lĩnh vực")[:31])
    _setup(fields, [40, 14])
    fields.append([_cell(fields, _("Lĩnh vực"), bold=True, box=True),
                   _cell(fields, _("Số đơn"), bold=True, box=True)])
    for name, count in report.total.fields():
        fields.append([_cell(fields, name if name != UNCLASSIFIED else _("Chưa phân loại"),
                             box=True), _value(fields, count, False, False)])
    workbook.save(out)


def _setup(sheet: Worksheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _cell(sheet: Worksheet, value: str | float | None, *, bold: bool = False,
          italic: bool = False, size: int = 12, box: bool = False) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(name=FONT_NAME, size=size, bold=bold, italic=italic)
    cell.alignment = _WRAP
    if box:
        cell.border = _BOX
    return cell


def _value(sheet: Worksheet, value: float | int | None, percent: bool,
           bold: bool) -> Cell:
    cell = _cell(sheet, value, bold=bold, box=True)
    if percent and value is not None:
        cell.number_format = "0.0%"
    return cell
