"""The columns of a report table, shared by the pages, the XLSX export and the city dashboard's
sorting: one definition of what each column counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tiepdan.intake.models import MatterKind

from .figures import CommuneFigures


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy translation
    value: Callable[[CommuneFigures], float | int | None]
    percent: bool = False

    def cell(self, figures: CommuneFigures) -> str:
        """The value as the page shows it ("—" when there is nothing to divide)."""
        value = self.value(figures)
        if value is None:
            return "—"
        if self.percent:
            return f"{value * 100:.1f} %".replace(".", ",")
        return f"{value:,}".replace(",", ".")


def _kind(kind: str) -> Callable[[CommuneFigures], int]:
    return lambda f: f.by_kind.get(kind, 0)


COLUMNS: tuple[Column, ...] = (
    Column("received", _("Đơn tiếp nhận"), lambda f: f.received),
    *(Column(k.value, k.label, _kind(k.value)) for k in MatterKind),
    Column("online", _("Trực tuyến"), lambda f: f.online),
    Column("in_person", _("Trực tiếp"), lambda f: f.in_person),
    Column("hearings_held", _("Buổi tiếp đã tổ chức"), lambda f: f.hearings_held),
    Column("deadlines_counted", _("Thời hạn đến hạn"), lambda f: f.deadlines_counted),
    Column("deadlines_met", _("Đúng hạn"), lambda f: f.deadlines_met),
    Column("met_share", _("Tỷ lệ đúng hạn"), lambda f: f.met_share, percent=True),
    Column("deadlines_overdue", _("Thời hạn quá hạn chưa xử lý"), lambda f: f.deadlines_overdue),
    Column("follow_up_total", _("Nhiệm vụ theo dõi"),
           lambda f: f.follow_up.total if f.follow_up.available else None),
    Column("follow_up_done", _("Đã hoàn thành"),
           lambda f: f.follow_up.done if f.follow_up.available else None),
    Column("follow_up_completion", _("Tỷ lệ hoàn thành"), lambda f: f.follow_up.completion,
           percent=True),
    Column("overdue_items", _("Việc quá hạn"), lambda f: f.overdue_items),
)
BY_KEY = {column.key: column for column in COLUMNS}


def sort_rows(rows: list[CommuneFigures], key: str, descending: bool) -> list[CommuneFigures]:
    """``rows`` by column ``key`` (or by name); rows without a value go last either way."""
    if key not in BY_KEY:
        return sorted(rows, key=lambda f: f.name, reverse=descending)
    value = BY_KEY[key].value
    present = [f for f in rows if value(f) is not None]
    missing = [f for f in rows if value(f) is None]
    present.sort(key=lambda f: (value(f), f.name), reverse=descending)
    return present + sorted(missing, key=lambda f: f.name)
