"""What each hearing action says when it succeeds: what happened and what comes next (shown
with Django's messages on the page the action returns to)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tiepdan.workdays.deadlines import VN_TZ

from . import milestones, paperwork
from .models import BridgePoint, Hearing, Milestone, MilestoneStatus, Participant


def _when(hearing: Hearing) -> str:
    return hearing.starts_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def _next_open(hearing: Hearing) -> str:
    row = hearing.milestones.filter(status=MilestoneStatus.OPEN).order_by("due_at").first()
    if row is None:
        return ""
    due = row.due_at.astimezone(VN_TZ)
    return _("Việc tiếp theo: %(label)s (hạn %(due)s).") % {
        "label": milestones.label(row.key),
        "due": due.strftime("%H:%M %d/%m/%Y") if row.has_time else due.strftime("%d/%m/%Y")}


def created(hearing: Hearing) -> str:
    return _("Đã lập buổi tiếp lúc %(when)s. Tiếp theo: bổ sung điểm cầu trung tâm, các điểm "
             "cầu thành phần và người tham gia, rồi chốt lịch để phát hành thông báo, giấy "
             "mời.") % {"when": _when(hearing)}


def point_added(point: BridgePoint) -> str:
    return _("Điểm cầu “%(name)s” đã được lập. Tiếp theo: mời người tham gia tại điểm cầu "
             "này.") % {"name": point.name}


def point_removed(name: str) -> str:
    return _("Đã bỏ điểm cầu “%(name)s” cùng thành phần tham gia tại đó. Kiểm tra lại các "
             "điểm cầu trước khi chốt lịch.") % {"name": name}


def participant_added(person: Participant) -> str:
    if person.invited_at is not None:
        return _("Đã thêm %(name)s tại điểm cầu “%(point)s” và gửi giấy mời (thư điện tử, tin "
                 "nhắn). Tiếp theo: chờ người được mời xác nhận tham dự.") % {
            "name": person.full_name, "point": person.bridge_point.name}
    return _("Đã thêm %(name)s tại điểm cầu “%(point)s”. Giấy mời được gửi khi chốt lịch.") % {
        "name": person.full_name, "point": person.bridge_point.name}


def confirmed(hearing: Hearing) -> str:
    docs = ", ".join(d.document.symbol for d in paperwork.current_documents(hearing))
    return " ".join(filter(None, [
        _("Đã chốt lịch buổi tiếp lúc %(when)s, phát hành %(docs)s và gửi giấy mời đến các "
          "thành phần tham gia.") % {"when": _when(hearing), "docs": docs},
        _next_open(hearing)]))


def moved(result) -> str:
    hearing = result.hearing
    parts = [_("Đã dời buổi tiếp sang %(when)s.") % {"when": _when(hearing)}]
    if result.issued:
        parts.append(_("Đã phát hành văn bản mới %(new)s thay %(old)s (văn bản cũ được giữ, "
                       "đánh dấu bị thay thế) và báo lịch mới cho %(n)s người tham gia.") % {
            "new": ", ".join(result.issued), "old": ", ".join(result.replaced) or "—",
            "n": result.told})
    still_open = set(hearing.milestones.filter(status=MilestoneStatus.OPEN)
                     .values_list("key", flat=True))
    again = [key for key in result.reopened if key in still_open]
    if again:
        parts.append(_("Các việc đã làm cho thời gian cũ phải làm lại: %(keys)s.") % {
            "keys": "; ".join(milestones.label(k) for k in again)})
    parts.append(_next_open(hearing))
    return " ".join(filter(None, parts))


def cancelled(result) -> str:
    parts = [_("Đã hủy buổi tiếp.")]
    if result.withdrawn:
        parts.append(_("Văn bản %(docs)s được đánh dấu thu hồi (vẫn lưu).") % {
            "docs": ", ".join(result.withdrawn)})
    if result.told:
        parts.append(_("Đã báo hủy cho %(n)s người tham gia.") % {"n": result.told})
    parts.append(_("Các vụ việc trong chương trình trở lại trạng thái “đã thụ lý” để xếp lịch "
                   "buổi khác."))
    return " ".join(parts)


def milestone_done(row: Milestone) -> str:
    row.hearing.refresh_from_db()
    return " ".join(filter(None, [
        _("Đã xác nhận “%(label)s”.") % {"label": milestones.label(row.key)},
        _next_open(row.hearing) or _("Mọi việc chuẩn bị đã hoàn thành.")]))


def held(hearing: Hearing) -> str:
    if hearing.actual_started_at is None or hearing.held_at is None:
        raise ValueError(f"hearing {hearing.pk} is not recorded as held")
    start = hearing.actual_started_at.astimezone(VN_TZ)
    end = hearing.held_at.astimezone(VN_TZ)
    return _("Đã ghi nhận buổi tiếp kết thúc (%(start)s–%(end)s). Phòng trực tuyến đã đóng; "
             "bản ghi đang được xử lý. Tiếp theo: lập biên bản buổi tiếp.") % {
        "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M %d/%m/%Y")}
