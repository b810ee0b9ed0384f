"""Registration rules that do not depend on the web layer."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

#: The register counts "many people" from 5 (TT 07/2014 Đ6).
GROUP_MIN_SIZE = 5
MAX_REPRESENTATIVES = 5

#: A registration draft lives this long; an upload no registration claimed is kept as long.
DRAFT_TTL = dt.timedelta(hours=24)

#: Version of the consent text shown to the citizen (Luật 91/2025/QH15); stored with each matter.
CONSENT_VERSION = "2026-07"
CONSENT_PURPOSE = _(
    "Tôi đồng ý để Ủy ban nhân dân xã xử lý dữ liệu cá nhân trong đơn này (họ tên, giấy tờ "
    "tùy thân, ngày sinh, địa chỉ, số điện thoại, thư điện tử, nội dung và tài liệu kèm theo) "
    "với mục đích duy nhất là tiếp công dân, xử lý và giải quyết đơn theo Luật Tiếp công dân, "
    "Luật Khiếu nại, Luật Tố cáo; dữ liệu chỉ được chia sẻ với cơ quan có thẩm quyền giải "
    "quyết, được lưu trữ theo quy định về lưu trữ, và tôi có quyền yêu cầu xem, chỉnh sửa "
    "dữ liệu của mình (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15)."
)


def representative_limits(group_size: int) -> tuple[int, int]:
    """(minimum, maximum) number of representatives for a group of ``group_size`` people.

    Luật Tiếp công dân Đ29: 5–10 people choose 1–2 representatives; more than 10 people may
    choose more, but at most 5.  Fewer than 5 people need none.
    """
    if group_size < GROUP_MIN_SIZE:
        return (0, 0)
    if group_size <= 10:
        return (1, 2)
    return (1, MAX_REPRESENTATIVES)
