"""The built-in document types. Each declares the variables its templates may use; the
shared variables (issuer, place, symbol …) are listed in ``composer.COMMON_VARIABLES``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .dates import short_date, when_text
from .models import DocType
from .registry import Renderer, register


@register(DocType.INVITATION)
class InvitationRenderer(Renderer):
    """Giấy mời (NĐ 30 Mẫu 1.7): kính mời, tới dự, chủ trì, thời gian, địa điểm."""

    type_title = "Giấy mời"
    required = {
        "invitees": "Người/cơ quan được mời (sau \"trân trọng kính mời:\")",
        "event": "Nội dung tới dự",
        "chair": "Người chủ trì",
        "start": "Thời điểm bắt đầu (datetime)",
        "location": "Địa điểm (điểm cầu)",
    }
    optional = {
        "online_link": "Đường dẫn tham gia trực tuyến",
        "note": "Ghi chú thêm",
        "when": "Tự tính: \"08 giờ 00, thứ Năm, ngày 15/01/2026\"",
    }

    def variables(self, data: dict[str, Any]) -> dict[str, Any]:
        values = super().variables(data)
        values["when"] = when_text(_datetime(data["start"]))
        return values


@register(DocType.NOTICE)
class NoticeRenderer(Renderer):
    """Thông báo (NĐ 30 Mẫu 1.4): here the lịch tiếp công dân (reception schedule)."""

    type_title = "Thông báo"
    required = {
        "sessions": "Danh sách buổi tiếp: mỗi buổi có start (datetime), location, host",
    }
    optional = {
        "register_until": "Hạn đăng ký (date)",
        "contact": "Đầu mối liên hệ",
        "register_until_text": "Tự tính: \"12/01/2026\"",
    }

    def variables(self, data: dict[str, Any]) -> dict[str, Any]:
        values = super().variables(data)
        values["sessions"] = [
            {**session, "when": when_text(_datetime(session["start"]))}
            for session in data["sessions"]
        ]
        if data.get("register_until"):
            values["register_until_text"] = short_date(_date(data["register_until"]))
        return values


@register(DocType.NOTICE, template_key="refusal_01_tcd")
class RefusalNoticeRenderer(Renderer):
    """Thông báo từ chối tiếp công dân, Mẫu 01/TCD (NĐ 154/2026; Luật Tiếp công dân Đ9): a
    "TB" notice numbered in the commune's TB sequence, addressed to the citizen refused."""

    type_title = "Thông báo"
    required = {
        "citizen_name": "Họ và tên công dân",
        "visit_date": "Ngày công dân đến / đăng ký tiếp (date)",
        "id_label": "Loại giấy tờ tùy thân, ví dụ \"Căn cước\"",
        "id_number": "Số giấy tờ tùy thân",
        "address": "Địa chỉ",
        "kind_label": "Loại đơn: khiếu nại, tố cáo, kiến nghị, phản ánh",
        "summary": "Tóm tắt nội dung",
        "reason": "Lý do từ chối",
        "legal_basis": "Căn cứ pháp lý, ví dụ \"khoản 3 Điều 9 Luật Tiếp công dân năm 2013\"",
    }
    optional = {
        "salutation": "Ông / Bà (mặc định \"Ông/Bà\")",
        "id_issue_date": "Ngày cấp giấy tờ (date)",
        "id_issue_place": "Nơi cấp giấy tờ",
        "visit_date_text": "Tự tính: \"05/01/2026\"",
        "id_issue_date_text": "Tự tính",
    }

    def variables(self, data: dict[str, Any]) -> dict[str, Any]:
        values = super().variables(data)
        values["salutation"] = data.get("salutation") or "Ông/Bà"
        values["visit_date_text"] = short_date(_date(data["visit_date"]))
        if data.get("id_issue_date"):
            values["id_issue_date_text"] = short_date(_date(data["id_issue_date"]))
        return values

    def addressee(self, variables: dict[str, Any]) -> str:
        return f"Kính gửi: {variables['salutation']} {variables['citizen_name']}"


@register(DocType.MINUTES, template_key="hearing_minutes")
class HearingMinutesRenderer(Renderer):
    """Biên bản buổi tiếp công dân (NĐ 30 code BB): time and place, who attended at each bridge
    point, the matters heard, the proceedings with the floor timeline, the citizens' opinions
    and the chair's conclusion (tiepdan.minutes)."""

    type_title = "Biên bản"
    confirmation = "Xác nhận của công dân"
    required = {
        "hearing_date": "Ngày buổi tiếp (date)",
        "opening": "Thời gian, địa điểm (nhiều dòng)",
        "chair": "Người chủ trì, chức vụ",
        "points": "Điểm cầu: mỗi điểm có title và people (chuỗi)",
        "matters": "Vụ việc: mỗi vụ việc có code, kind, summary",
        "proceedings": "Diễn biến buổi tiếp",
        "chair_conclusion": "Kết luận của người chủ trì",
        "secretary_name": "Người ghi biên bản",
    }
    optional = {
        "timeline": "Trình tự phát biểu: mỗi dòng có clock (\"00:12:05\") và text",
        "floor_grants": "Lượt phát biểu được cho phép: mỗi dòng có clock và text",
        "citizen_opinions": "Ý kiến của công dân",
        "replaces": "Biên bản được thay thế (số, ký hiệu), khi đây là bản sửa đổi",
        "recordings": "Bản kê bản ghi: manifest_sha256, signed_by, files (label, file, sha256)",
        "hearing_date_text": "Tự tính: \"15/12/2026\"",
    }

    def variables(self, data: dict[str, Any]) -> dict[str, Any]:
        values = super().variables(data)
        values["hearing_date_text"] = short_date(_date(data["hearing_date"]))
        for name in ("opening", "proceedings", "citizen_opinions", "chair_conclusion"):
            values[name] = plain_text(data.get(name) or "")
        return values


@register(DocType.NOTICE, template_key="conclusion_notice")
class ConclusionNoticeRenderer(Renderer):
    """Thông báo kết luận việc tiếp công dân (NĐ 154/2026 Đ25; NĐ 30 Mẫu 1.4): a "TB" notice
    in the commune's TB sequence, addressed to the citizen, copied to the bodies concerned."""

    type_title = "Thông báo"
    required = {
        "citizen_name": "Họ và tên công dân (mặt nạ nếu danh tính được giữ bí mật)",
        "hearing_start": "Thời điểm bắt đầu buổi tiếp (datetime)",
        "chair": "Họ tên người chủ trì",
        "chair_position": "Chức vụ người chủ trì, ví dụ \"Chủ tịch\"",
        "matter_code": "Mã hồ sơ",
        "summary": "Tóm tắt nội dung vụ việc",
        "outcome_label": "Hướng xử lý",
        "directions": "Ý kiến chỉ đạo, kết luận",
    }
    optional = {
        "salutation": "Ông / Bà (trống khi danh tính được giữ bí mật)",
        "location": "Điểm cầu trung tâm",
        "bodies": "Cơ quan, đơn vị chịu trách nhiệm (danh sách tên)",
        "deadline_text": "Thời hạn thực hiện",
        "contact_person": "Đầu mối liên hệ",
        "hearing_date_text": "Tự tính: \"15/12/2026\"",
        "citizen_text": "Tự tính: \"ông Nguyễn Văn A\"",
    }

    def variables(self, data: dict[str, Any]) -> dict[str, Any]:
        values = super().variables(data)
        values["hearing_date_text"] = short_date(_datetime(data["hearing_start"]).date())
        values["directions"] = plain_text(data["directions"])
        values["bodies"] = list(data.get("bodies") or [])
        salutation = data.get("salutation") or ""
        values["salutation"] = salutation
        values["citizen_text"] = " ".join(filter(None, [salutation.lower(),
                                                        data["citizen_name"]]))
        return values

    def addressee(self, variables: dict[str, Any]) -> str:
        who = " ".join(filter(None, [variables["salutation"], variables["citizen_name"]]))
        return f"Kính gửi: {who}"


@register(DocType.REPORT)
class ReportRenderer(Renderer):
    """Báo cáo gửi UBND thành phố về buổi tiếp công dân trực tuyến dự kiến tổ chức
    (Quy chế An Lão Đ6: at least 5 days ahead when city leaders attend)."""

    type_title = "Báo cáo"
    required = {
        "start": "Thời điểm bắt đầu (datetime)",
        "location": "Điểm cầu trung tâm",
        "chair": "Người chủ trì",
        "matter_count": "Số vụ việc dự kiến tiếp",
    }
    optional = {
        "matters": "Danh sách tóm tắt vụ việc (chuỗi)",
        "component_points": "Các điểm cầu thành phần (chuỗi)",
        "proposal": "Đề xuất, kiến nghị",
        "when": "Tự tính",
    }

    def variables(self, data: dict[str, Any]) -> dict[str, Any]:
        values = super().variables(data)
        values["when"] = when_text(_datetime(data["start"]))
        return values

    def addressee(self, variables: dict[str, Any]) -> str:
        return f"Kính gửi: {variables['city_committee']}"


@register(DocType.REPORT, template_key="results_report")
class ResultsReportRenderer(Renderer):
    """Báo cáo kết quả công tác tiếp công dân của một kỳ (tháng, quý, 6 tháng, năm) gửi UBND
    thành phố: the generated figures followed by the office's narrative (Kế hoạch Lạc Phượng:
    report results, difficulties and proposals)."""

    type_title = "Báo cáo"
    required = {
        "period_label": "Kỳ báo cáo, ví dụ \"Quý IV năm 2026\"",
        "period_range": "Khoảng thời gian, ví dụ \"từ ngày 01/10/2026 đến ngày 31/12/2026\"",
        "received_text": "Số đơn tiếp nhận, theo loại (câu)",
        "channel_text": "Theo kênh tiếp nhận (câu)",
        "hearings_text": "Số buổi tiếp công dân đã tổ chức (câu)",
        "deadlines_text": "Tỷ lệ bảo đảm thời hạn (câu)",
        "follow_up_text": "Theo dõi, đôn đốc thực hiện (câu)",
        "achievements": "Kết quả đạt được (nhiều đoạn)",
        "difficulties": "Khó khăn, vướng mắc (nhiều đoạn)",
        "proposals": "Đề xuất, kiến nghị (nhiều đoạn)",
    }
    optional = {
        "fields_text": "Các lĩnh vực chủ yếu (câu)",
        "period_label_lower": "Tự tính: \"quý IV năm 2026\"",
    }

    def variables(self, data: dict[str, Any]) -> dict[str, Any]:
        values = super().variables(data)
        label = str(data["period_label"])
        values["period_label_lower"] = label[:1].lower() + label[1:]
        return values

    def addressee(self, variables: dict[str, Any]) -> str:
        return f"Kính gửi: {variables['city_committee']}"


@register(DocType.PLAN)
class PlanRenderer(Renderer):
    type_title = "Kế hoạch"


@register(DocType.DECISION)
class DecisionRenderer(Renderer):
    type_title = "Quyết định"


@register(DocType.MINUTES)
class MinutesRenderer(Renderer):
    type_title = "Biên bản"


@register(DocType.FORWARDING_SLIP)
class ForwardingSlipRenderer(Renderer):
    type_title = "Phiếu chuyển"


def _datetime(value: dt.datetime | str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    # Aware times are shown in the commune's time (Asia/Ho_Chi_Minh).
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def plain_text(text: str) -> str:
    """Free text typed by staff, safe as body lines: a leading "#" would make a heading."""
    return "\n".join(line.lstrip().lstrip("#").strip() if line.lstrip().startswith("#")
                     else line for line in str(text).splitlines())


def _date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
