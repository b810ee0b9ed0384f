"""The deadline catalogue (domain brief §7) as shipped: the seed of the ``DeadlineRule`` table.

The table is the authority at run time (``tiepdan.workdays.models.get_rule``); these defaults
let pure code and tests run without a database.  Keep them in step with the data migration
``0002_seed_deadline_rules``: a test compares the two.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiepdan.workdays.deadlines import Direction, Rule, Unit

WD, CAL, HOURS = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.HOURS
FWD, BACK = Direction.FORWARD, Direction.BACKWARD

AN_LAO = "Quy chế tiếp công dân trực tuyến của UBND xã An Lão (QĐ ngày 01/7/2026)"


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    label_vi: str
    rule: Rule


def _entry(key: str, label: str, amount: int, unit: Unit, direction: Direction, source: str):
    return CatalogueEntry(key, label, Rule(amount, unit, direction, source))


CATALOGUE: tuple[CatalogueEntry, ...] = (
    _entry(
        "notify_outcome",
        "Thông báo kết quả xử lý cho công dân",
        10,
        WD,
        FWD,
        "Luật Tiếp công dân 2013, Điều 28 khoản 1",
    ),
    _entry(
        "forward_result",
        "Cơ quan nhận chuyển đơn thông báo kết quả cho nơi chuyển",
        7,
        WD,
        FWD,
        "Luật Tiếp công dân 2013, Điều 27 khoản 2",
    ),
    _entry(
        "relay_result",
        "Ban Tiếp công dân thông báo kết quả cho công dân",
        5,
        WD,
        FWD,
        "Luật Tiếp công dân 2013, Điều 28 khoản 2",
    ),
    _entry(
        "publish_schedule",
        "Công khai lịch tiếp công dân của người đứng đầu",
        5,
        WD,
        BACK,
        "Luật Tiếp công dân 2013, Điều 24 khoản 4",
    ),
    _entry(
        "refusal_notice",
        "Thông báo từ chối tiếp công dân (Mẫu 01/TCD)",
        3,
        WD,
        FWD,
        "Nghị định 154/2026/NĐ-CP, Điều 4",
    ),
    _entry(
        "petition_processing",
        "Xử lý đơn",
        10,
        WD,
        FWD,
        "TT 05/2021/TT-TTCP; TTHC 315145 (đơn vị ngày làm việc chưa xác minh)",
    ),
    _entry(
        "complaint_acceptance",
        "Thụ lý giải quyết khiếu nại",
        7,
        WD,
        FWD,
        "Nghị định 155/2026/NĐ-CP, Điều 10",
    ),
    _entry(
        "denunciation_initial_processing",
        "Xử lý ban đầu thông tin tố cáo",
        7,
        WD,
        FWD,
        "Luật Tố cáo 2018, Điều 24 khoản 1",
    ),
    _entry(
        "denunciation_forwarding",
        "Chuyển đơn tố cáo không thuộc thẩm quyền",
        5,
        WD,
        FWD,
        "Luật Tố cáo 2018, Điều 24 khoản 2",
    ),
    # Online reception (tiếp công dân trực tuyến).  The An Lão regulation does not say whether
    # its "05 ngày" / "03 ngày" are working days; calendar days are the literal reading.
    _entry(
        "notify_parties",
        "Thông báo cho người khiếu nại và các cơ quan tham gia",
        5,
        WD,
        BACK,
        f"{AN_LAO}, Điều 5 khoản 1; Nghị định 154/2026/NĐ-CP, Điều 23",
    ),
    _entry(
        "report_to_city",
        "Báo cáo UBND thành phố Hải Phòng",
        5,
        CAL,
        BACK,
        f"{AN_LAO}, Điều 6 khoản 1 điểm a",
    ),
    _entry(
        "invitations_issued", "Phát hành Giấy mời", 3, CAL, BACK, f"{AN_LAO}, Điều 6 khoản 1 điểm a"
    ),
    _entry(
        "connection_test",
        "Kiểm tra, kết nối thử với các điểm cầu thành phần",
        1,
        WD,
        BACK,
        f"{AN_LAO}, Điều 5 khoản 1 và Điều 6 khoản 1 điểm a",
    ),
    # The regulation's Đ6 says 02 hours, its own Đ5 (and NĐ 154 Đ23) 01 hour: both milestones.
    _entry(
        "final_check",
        "Kiểm tra lại đường truyền",
        2,
        HOURS,
        BACK,
        f"{AN_LAO}, Điều 6 khoản 1 điểm a",
    ),
    _entry(
        "all_connected",
        "Hoàn tất kết nối các điểm cầu",
        1,
        HOURS,
        BACK,
        f"{AN_LAO}, Điều 5 khoản 1; Nghị định 154/2026/NĐ-CP, Điều 23",
    ),
)

DEFAULT_RULES: dict[str, Rule] = {entry.key: entry.rule for entry in CATALOGUE}
