"""The registry of audit entry types: each has a dotted name, the data keys it carries and a
translatable display template over them (pretix ``logentrytypes``).

An entry stores its type and its data, never a sentence; the sentence is rendered when it is
shown, in the reader's language.  Types marked ``access`` are reads of personal data: they go to
the personal-data access log (``core.access_log``), not to the hash-chained trail, and their data
holds identifiers only.  A type is never renamed or removed once entries of it exist: add a new
one instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class UnknownEntryType(ValueError):
    """``record`` was given a type that is not in the registry."""


class BadEntryData(ValueError):
    """The data does not have exactly the keys the type expects, or a value is not plain."""


@dataclass(frozen=True)
class EntryType:
    name: str
    template: Promise
    keys: tuple[str, ...]
    access: bool = False  # a read of personal data: the access log, not the chain

    def render(self, data: Mapping[str, Any]) -> str:
        """The display text in the active language; a damaged entry still renders."""
        values = {key: data.get(key, "") for key in self.keys}
        try:
            return str(self.template).format(**values)
        except (KeyError, IndexError, ValueError):
            return f"{self.name} {dict(data)}"


REGISTRY: dict[str, EntryType] = {}


def _t(name: str, template: Promise, *keys: str, access: bool = False) -> None:
    if name in REGISTRY:
        raise ValueError(f"audit entry type {name} registered twice")
    REGISTRY[name] = EntryType(name, template, tuple(keys), access)


def get(name: str) -> EntryType:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownEntryType(f"unknown audit entry type: {name!r}") from None


_PLAIN = (str, int, bool, type(None))
VALUE_MAX = 500


def clean_data(entry_type: EntryType, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """``data`` checked against the type: exactly its keys, plain values (strings cut to 500)."""
    data = dict(data or {})
    missing = set(entry_type.keys) - set(data)
    extra = set(data) - set(entry_type.keys)
    if missing or extra:
        raise BadEntryData(
            f"{entry_type.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Promise):
            value = str(value)
        if not isinstance(value, _PLAIN):
            raise BadEntryData(f"{entry_type.name}: {key} is a {type(value).__name__}")
        cleaned[key] = value[:VALUE_MAX] if isinstance(value, str) else value
    return cleaned


def display(name: str, data: Mapping[str, Any]) -> str:
    entry_type = REGISTRY.get(name)
    return entry_type.render(data) if entry_type else f"{name} {dict(data)}"


# -- Entries migrated from the untyped trail (migration core 0007): the old summary as text --
_t("legacy.create", _("Tạo (mục cũ): {text}"), "text", "legacy_seq")
_t("legacy.update", _("Cập nhật (mục cũ): {text}"), "text", "legacy_seq")
_t("legacy.view", _("Xem dữ liệu cá nhân (mục cũ): {text}"), "text", "legacy_seq")
_t("legacy.download", _("Tải tệp (mục cũ): {text}"), "text", "legacy_seq")
_t("legacy.export", _("Xuất dữ liệu (mục cũ): {text}"), "text", "legacy_seq")
_t("legacy.reveal", _("Xem danh tính được bảo vệ (mục cũ): {text}"), "text", "legacy_seq")
_t("legacy.transition", _("Chuyển trạng thái (mục cũ): {text}"), "text", "legacy_seq")
_t("legacy.configure", _("Thay đổi cấu hình (mục cũ): {text}"), "text", "legacy_seq")

# -- core ------------------------------------------------------------------------------------
_t("core.step.retried", _("Chạy lại bước xử lý nền: {label}"), "label")
_t("core.access_log.viewed", _("Xem nhật ký truy cập dữ liệu cá nhân ({filter}), trang {page}"),
   "filter", "page", access=True)

# -- workdays --------------------------------------------------------------------------------
_t("workdays.override.added", _("Thêm điều chỉnh lịch làm việc {date}: {kind} ({name})"),
   "date", "kind", "name")
_t("workdays.override.changed", _("Sửa điều chỉnh lịch làm việc {date}: {kind} ({name})"),
   "date", "kind", "name")
_t("workdays.override.removed", _("Xóa điều chỉnh lịch làm việc {date}: {kind} ({name})"),
   "date", "kind", "name")
_t("workdays.calendar.changed",
   _("Lịch làm việc thay đổi ({change}): tính lại {deadlines} thời hạn đang mở"),
   "change", "deadlines")

# -- intake ----------------------------------------------------------------------------------
_t("intake.matter.registered", _("Tiếp nhận hồ sơ {tracking_code} ({channel})"),
   "tracking_code", "channel")
_t("intake.matter.transitioned",
   _("Hồ sơ {tracking_code}: {from_status} → {to_status} ({action})"),
   "tracking_code", "from_status", "to_status", "action")
_t("intake.matter.split_off", _("Tách hồ sơ {tracking_code} ({kind}) từ {original}"),
   "tracking_code", "kind", "original")
_t("intake.matter.split", _("Tách hồ sơ {tracking_code} thành {parts}"),
   "tracking_code", "parts")
_t("intake.link.created", _("Liên kết hồ sơ {later} trùng với {earlier}"), "later", "earlier")
_t("intake.duplicate.dismissed", _("Bỏ qua gợi ý trùng giữa hồ sơ {first} và {second}"),
   "first", "second")
_t("intake.group.merged",
   _("Gộp hồ sơ {merged} vào hồ sơ nhóm {group}; số người {old_size} → {new_size}"),
   "merged", "group", "old_size", "new_size")
# No longer written (a redacted copy is only shown, never kept: intake.redacted_copy.viewed);
# kept for the entries written while it was.
_t("intake.redacted_copy.made", _("Lập bản sao đã che danh tính của hồ sơ {tracking_code}"),
   "tracking_code")
_t("intake.receipt.downloaded", _("Công dân tải giấy biên nhận {tracking_code}"),
   "tracking_code")
_t("intake.identity_key.added", _("Thêm khóa bảo vệ danh tính mới {key_id}"), "key_id")
_t("intake.identity_key.rotated",
   _("Mã hóa lại danh tính bằng khóa {key_id}: {matters} hồ sơ, {files} tệp"),
   "key_id", "matters", "files")
_t("intake.digests.recomputed",
   _("Tính lại chỉ mục băm số giấy tờ, số điện thoại: {matters} hồ sơ"), "matters")
# reads of personal data
_t("intake.inbox.listed", _("Xem danh sách hồ sơ (trang {page}/{pages}, {count} hồ sơ)"),
   "page", "pages", "count", access=True)
_t("intake.inbox.searched",
   _("Xem danh sách hồ sơ (trang {page}/{pages}, {count} hồ sơ, có lọc/tìm kiếm)"),
   "page", "pages", "count", access=True)
_t("intake.inbox.listed_via_api", _("Xem danh sách hồ sơ qua API ({count} hồ sơ)"), "count",
   access=True)
_t("intake.matter.viewed", _("Xem hồ sơ {tracking_code}"), "tracking_code", access=True)
_t("intake.matter.viewed_via_api", _("Xem hồ sơ {tracking_code} (API)"), "tracking_code",
   access=True)
_t("intake.matter.viewed_in_admin", _("Xem hồ sơ {tracking_code} (quản trị)"), "tracking_code",
   access=True)
_t("intake.attachment.downloaded", _("Tải tài liệu của hồ sơ {tracking_code}"),
   "tracking_code", access=True)
_t("intake.redacted_copy.viewed", _("Xem bản sao đã che danh tính của hồ sơ {tracking_code}"),
   "tracking_code", access=True)
_t("intake.identity.revealed", _("Xem danh tính người tố cáo của hồ sơ {tracking_code}"),
   "tracking_code", access=True)
_t("intake.withheld_attachment.downloaded",
   _("Tải tài liệu được giữ bí mật của hồ sơ {tracking_code}"), "tracking_code", access=True)

# -- hearings --------------------------------------------------------------------------------
_t("hearings.selection.proposed", _("Đề xuất tiếp trực tuyến {tracking_code} (căn cứ {ground})"),
   "tracking_code", "ground")
_t("hearings.selection.approved", _("Đồng ý tiếp trực tuyến {tracking_code}"), "tracking_code")
_t("hearings.selection.declined", _("Không đồng ý tiếp trực tuyến {tracking_code}"),
   "tracking_code")
_t("hearings.hearing.created", _("Lập buổi tiếp {hearing}"), "hearing")
_t("hearings.hearing.scheduled", _("Chốt lịch {hearing}"), "hearing")
_t("hearings.hearing.rescheduled", _("Dời buổi tiếp từ {old} sang {new}"), "old", "new")
_t("hearings.hearing.cancelled", _("Hủy buổi tiếp {hearing}"), "hearing")
_t("hearings.hearing.ended", _("Kết thúc buổi tiếp {hearing} ({period})"), "hearing", "period")
_t("hearings.bridge_point.added", _("Thêm điểm cầu {point}"), "point")
_t("hearings.bridge_point.removed", _("Bỏ điểm cầu {point}"), "point")
_t("hearings.participant.added", _("Thêm thành phần {name} tại {point}"), "name", "point")
_t("hearings.participant.removed", _("Bỏ thành phần {name} tại {point}"), "name", "point")
_t("hearings.participants.added_from_matters",
   _("Thêm {count} công dân của các vụ việc trong chương trình vào thành phần buổi tiếp "
     "{hearing}"), "count", "hearing")
_t("hearings.milestone.completed", _("Hoàn thành mốc {milestone} của {hearing}: {evidence}"),
   "milestone", "hearing", "evidence")
_t("hearings.invitation.answered", _("{name} trả lời giấy mời: {attendance}"),
   "name", "attendance")
_t("hearings.invitation.downloaded", _("{name} tải giấy mời {symbol}"), "name", "symbol")

# -- documents -------------------------------------------------------------------------------
_t("documents.document.issued", _("Ban hành {symbol}: {subject}"), "symbol", "subject")
_t("documents.document.replaced", _("{symbol} được thay bằng {by}"), "symbol", "by")
_t("documents.document.withdrawn", _("Thu hồi {symbol}"), "symbol")
_t("documents.document.sealed", _("Ký số cơ quan {symbol}"), "symbol")
_t("documents.document.signed", _("Ký số cá nhân {symbol}: {signer}"), "symbol", "signer")
_t("documents.document.downloaded", _("Tải văn bản {symbol} ({format})"), "symbol", "format",
   access=True)

# -- media -----------------------------------------------------------------------------------
_t("media.recordings.viewed", _("Xem bản ghi buổi tiếp {hearing}"), "hearing", access=True)
_t("media.recording.played", _("Phát bản ghi {label} ({hearing})"), "label", "hearing",
   access=True)
_t("media.recording.downloaded", _("Tải bản ghi {label} ({hearing})"), "label", "hearing",
   access=True)

# -- minutes ---------------------------------------------------------------------------------
_t("minutes.minutes.drafted", _("Lập dự thảo biên bản buổi tiếp {hearing}"), "hearing")
_t("minutes.minutes.data_updated",
   _("Cập nhật dữ liệu dự thảo biên bản lần {version} của {hearing}"), "version", "hearing")
_t("minutes.minutes.edited", _("Sửa dự thảo biên bản lần {version} của {hearing} ({sections})"),
   "version", "hearing", "sections")
_t("minutes.minutes.completed", _("Hoàn thành biên bản lần {version} của {hearing}"),
   "version", "hearing")
_t("minutes.minutes.revised", _("Lập phiên bản sửa đổi lần {version} của biên bản {hearing}"),
   "version", "hearing")
_t("minutes.conclusion.recorded",
   _("Ghi kết luận về hồ sơ {tracking_code} tại buổi tiếp {hearing}"), "tracking_code", "hearing")
_t("minutes.conclusion.changed",
   _("Sửa kết luận về hồ sơ {tracking_code} tại buổi tiếp {hearing}"), "tracking_code", "hearing")
_t("minutes.conclusion.notice_issued",
   _("Ban hành thông báo kết luận {symbol} về hồ sơ {tracking_code}"), "symbol", "tracking_code")
_t("minutes.notice.downloaded", _("Người nhận ({recipient}) tải thông báo kết luận {symbol}"),
   "recipient", "symbol")
_t("minutes.confirmation_links.sent",
   _("Gửi {count} đường dẫn xác nhận biên bản lần {version} của {hearing} cho công dân"),
   "count", "version", "hearing")
_t("minutes.confirmation.recorded", _("{who} {answer} {symbol} (SHA-256 {digest}…)"),
   "who", "answer", "symbol", "digest")
_t("minutes.minutes.downloaded_by_citizen", _("Công dân ({participant}) tải biên bản {symbol}"),
   "participant", "symbol")
_t("minutes.minutes.viewed", _("Xem biên bản buổi tiếp {hearing}"), "hearing", access=True)
_t("minutes.minutes.viewed_via_api", _("Xem biên bản buổi tiếp {hearing} (API)"), "hearing",
   access=True)
_t("minutes.confirmations.downloaded", _("Tải phiếu xác nhận của công dân, {symbol}"), "symbol",
   access=True)

# -- follow-up -------------------------------------------------------------------------------
_t("followup.task.assigned",
   _("Giao việc theo dõi hồ sơ {tracking_code} cho {body}, hạn {due}: {title}"),
   "tracking_code", "body", "due", "title")
_t("followup.task.progress_updated",
   _("Cập nhật tiến độ {percent}% việc theo dõi hồ sơ {tracking_code} ({files} tệp)"),
   "percent", "tracking_code", "files")
_t("followup.task.completed", _("Hoàn thành việc theo dõi hồ sơ {tracking_code}: {title}"),
   "tracking_code", "title")
_t("followup.task.cancelled", _("Hủy việc theo dõi hồ sơ {tracking_code}: {title}"),
   "tracking_code", "title")
_t("followup.task.rescheduled",
   _("Đổi hạn việc theo dõi hồ sơ {tracking_code} từ {old} sang {new}"),
   "tracking_code", "old", "new")
_t("followup.task.overdue_reported",
   _("Báo quá hạn việc theo dõi hồ sơ {tracking_code} ({body}, hạn {due})"),
   "tracking_code", "body", "due")
_t("followup.matter.closed", _("Kết thúc vụ việc {tracking_code} với kết quả cuối cùng"),
   "tracking_code")
_t("followup.task.viewed", _("Xem việc theo dõi hồ sơ {tracking_code}"), "tracking_code",
   access=True)
_t("followup.attachment.downloaded",
   _("Tải tệp cập nhật việc theo dõi hồ sơ {tracking_code}"), "tracking_code", access=True)

# -- register and reports --------------------------------------------------------------------
_t("register.register.viewed", _("Xem sổ tiếp công dân ({filter}), trang {page}"),
   "filter", "page", access=True)
_t("register.register.viewed_via_api", _("Xem sổ tiếp công dân (API; {filter}), trang {page}"),
   "filter", "page", access=True)
_t("register.register.exported", _("Xuất sổ tiếp công dân ({format}; {filter}): {rows} dòng"),
   "format", "filter", "rows", access=True)
_t("reports.report.exported", _("Xuất báo cáo (XLSX): {period}"), "period")
_t("reports.report.exported_via_api", _("Xuất báo cáo (API, XLSX): {period}"), "period")
