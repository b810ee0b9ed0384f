"""Deadline names in the reader's language.

A deadline rule's name is data (``DeadlineRule.label_vi``, seeded from ``catalogue.py``); the
shipped names are listed here for the translation catalogue, so a page shows the English name
of a shipped rule and a commune's own rule name as written.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

SHIPPED_NAMES = (
    gettext_noop("Thông báo kết quả xử lý cho công dân"),
    gettext_noop("Cơ quan nhận chuyển đơn thông báo kết quả cho nơi chuyển"),
    gettext_noop("Ban Tiếp công dân thông báo kết quả cho công dân"),
    gettext_noop("Công khai lịch tiếp công dân của người đứng đầu"),
    gettext_noop("Thông báo từ chối tiếp công dân (Mẫu 01/TCD)"),
    gettext_noop("Xử lý đơn"),
    gettext_noop("Thụ lý giải quyết khiếu nại"),
    gettext_noop("Xử lý ban đầu thông tin tố cáo"),
    gettext_noop("Chuyển đơn tố cáo không thuộc thẩm quyền"),
    gettext_noop("Thông báo cho người khiếu nại và các cơ quan tham gia"),
    gettext_noop("Báo cáo UBND thành phố Hải Phòng"),
    gettext_noop("Phát hành Giấy mời"),
    gettext_noop("Kiểm tra, kết nối thử với các điểm cầu thành phần"),
    gettext_noop("Kiểm tra lại đường truyền"),
    gettext_noop("Hoàn tất kết nối các điểm cầu"),
)


def deadline_name(label_vi: str) -> str:
    """``label_vi`` in the active language when it is a shipped name, else as written."""
    return gettext(label_vi) if label_vi in SHIPPED_NAMES else label_vi
