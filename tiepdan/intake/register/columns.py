"""The 13 columns of the Sổ tiếp công dân (Mẫu 03/TCD) as the page, the API and the XLSX show
them: one function turns an entry into its cells, so identity masking is decided once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiepdan.core import admin_units
from tiepdan.intake.models import MatterKind, MatterStatus, RefusalGround

from .models import RegisterEntry

if TYPE_CHECKING:
    from .selectors import ExportRecord

#: Column headers of Mẫu 03/TCD, numbered 1–13 on the row below them.
HEADERS = (
    gettext_lazy("STT"),
    gettext_lazy("Ngày tiếp"),
    gettext_lazy("Họ tên, địa chỉ"),
    gettext_lazy("Số CCCD/Hộ chiếu"),
    gettext_lazy("Tóm tắt nội dung"),
    gettext_lazy("Phân loại đơn (KN, TC, KN/PA)"),
    gettext_lazy("Số người cùng nội dung"),
    gettext_lazy("Cơ quan đã giải quyết"),
    gettext_lazy("Thuộc thẩm quyền"),
    gettext_lazy("Hướng dẫn đến, số văn bản"),
    gettext_lazy("Cơ quan thụ lý, số văn bản chuyển đơn"),
    gettext_lazy("Theo dõi kết quả"),
    gettext_lazy("Ghi chú"),
)

#: What the identity columns show for a denunciation, instead of the denouncer's identity.
PROTECTED = gettext_lazy("Được giữ bí mật (Luật Tố cáo Đ47)")


@dataclass(frozen=True)
class RegisterRow:
    entry: RegisterEntry | ExportRecord
    cells: tuple[str | int, ...]  # the 13 columns, in order

    @property
    def matter_id(self) -> int:
        return self.entry.matter_id


@lru_cache(maxsize=4096)
def _ward_name(code: int) -> str:
    found = admin_units.ward(code)
    return found[0].name if found else ""


@lru_cache(maxsize=512)
def _label(choices: type[models.TextChoices], value: str, language: str | None) -> str:
    # A label per (choice, language), not per row: Django's get_FOO_display() translates
    # every choice of the field on each call, most of the time of a 100,000-row export.
    with translation.override(language):
        return str(choices(value).label)


def _with(text: str, letter: str) -> str:
    return f"{text} ({_('số văn bản')} {letter})" if text and letter else text or letter


def row_of(entry: RegisterEntry | ExportRecord) -> RegisterRow:
    """The cells of ``entry``; ``entry.matter`` must be loaded (``select_related``)."""
    matter = entry.matter
    language = translation.get_language()
    if entry.identity_protected:
        person = id_number = str(PROTECTED)
    else:
        place = ", ".join(filter(None, [matter.address, _ward_name(matter.address_ward_code)]))
        person = f"{matter.full_name}, {place}" if place else matter.full_name
        id_number = matter.id_number
    follow_up = (f"{_label(MatterStatus, entry.follow_up_status, language)} "
                 f"({entry.follow_up_on:%d/%m/%Y})")
    notes = []
    if entry.outcome in (MatterStatus.RETURNED, MatterStatus.FILED, MatterStatus.REFUSED):
        notes.append(_label(MatterStatus, entry.outcome, language))
    if entry.refusal_ground:
        notes.append(_label(RefusalGround, entry.refusal_ground, language))
    notice = entry.refusal_notice  # None (and no query) without a notice id
    if notice is not None:
        notes.append(_("Thông báo số %(symbol)s") % {"symbol": notice.symbol})
    return RegisterRow(entry, (
        entry.number,
        f"{entry.received_on:%d/%m/%Y}",
        person,
        id_number,
        entry.summary,
        _label(MatterKind, entry.kind, language),
        entry.group_size,
        entry.prior_agency,
        "x" if entry.within_competence else "",
        _with(entry.guided_to, entry.guidance_letter),
        _with(entry.handled_by, entry.forwarding_letter),
        follow_up,
        "; ".join(notes),
    ))
