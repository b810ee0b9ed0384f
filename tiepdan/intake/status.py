"""What a citizen sees of a matter: its status in plain Vietnamese, looked up by tracking code and
phone number together (so codes cannot be probed)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiepdan.core.errors import NotFound

from .identity import normalize_mobile
from .links import merged_group_of
from .models import Matter, MatterStatus
from .protection import citizen_digests
from .registration import normalize_tracking_code

PUBLIC_STATUS_TEXT = {
    MatterStatus.NEW: _("Đơn đã được tiếp nhận, đang chờ cán bộ xem xét, phân loại."),
    MatterStatus.TRIAGED: _("Đơn đã được phân loại, đang được xử lý theo quy định."),
    MatterStatus.ACCEPTED: _("Đơn đã được thụ lý để giải quyết."),
    MatterStatus.GUIDED: _("Đơn không thuộc thẩm quyền của xã; bạn đã được hướng dẫn nơi gửi đơn."),
    MatterStatus.FORWARDED: _("Đơn đã được chuyển đến cơ quan có thẩm quyền giải quyết."),
    MatterStatus.RETURNED: _("Đơn đã được trả lại kèm hướng dẫn."),
    MatterStatus.FILED: _("Đơn đã được lưu theo quy định."),
    MatterStatus.REFUSED: _("Cơ quan đã từ chối tiếp; thông báo bằng văn bản được gửi cho bạn."),
    MatterStatus.SCHEDULED: _("Đơn đã được xếp lịch tiếp công dân; bạn sẽ nhận giấy mời."),
    MatterStatus.HEARD: _("Buổi tiếp công dân đã diễn ra; đang chờ thông báo kết luận."),
    MatterStatus.CONCLUDED: _("Đã có kết luận; các cơ quan đang thực hiện."),
    MatterStatus.CLOSED: _("Vụ việc đã kết thúc."),
}


#: Apps built on intake (follow-up) give a more precise line for some matters, registered in
#: their ``AppConfig.ready()`` so that intake does not depend on them; the first that answers
#: wins.
StatusText = Callable[[Matter], str | None]
_STATUS_TEXTS: list[StatusText] = []


def register_status_text(provider: StatusText) -> StatusText:
    if provider not in _STATUS_TEXTS:
        _STATUS_TEXTS.append(provider)
    return provider


def public_status_text(status: str) -> str:
    return str(PUBLIC_STATUS_TEXT.get(status, _("Đang xử lý.")))


def citizen_status_text(matter: Matter) -> str:
    """The status line of ``matter`` for its petitioner: a registration merged into a group
    matter points to the group's tracking code, a matter whose conclusion is being carried out
    shows its progress (registered providers), any other shows its status."""
    group = merged_group_of(matter)
    if group is not None:
        return str(_("Đã gộp vào hồ sơ nhóm %(code)s.") % {"code": group.tracking_code})
    for provider in _STATUS_TEXTS:
        text = provider(matter)
        if text:
            return text
    return public_status_text(matter.status)


def find_for_citizen(tracking_code: str, phone: str) -> Matter:
    """The matter with this code whose petitioner has this phone; ``NotFound`` otherwise — the
    same answer for a wrong code, a wrong phone or a malformed input."""
    not_found = NotFound(_("Không tìm thấy hồ sơ với mã và số điện thoại này."))
    try:
        phone_e164 = normalize_mobile(phone)
    except Exception:  # noqa: BLE001 - any malformed phone is simply "not found"
        raise not_found from None
    code = normalize_tracking_code(tracking_code)
    # A sealed matter's phone column holds a mask: its phone is matched by the blind index.
    _id_digest, phone_digest = citizen_digests("", phone_e164)
    matter = (
        Matter.objects.select_related("commune")
        .filter(Q(phone=phone_e164) | Q(phone_digest=phone_digest), tracking_code=code)
        .first()
    )
    if matter is None:
        raise not_found
    return matter
