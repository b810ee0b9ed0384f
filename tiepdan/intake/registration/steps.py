"""The question pages of the public registration (one topic per page, GOV.UK "question pages"):
which fields each step asks, and how a step is checked — by the one validator,
:class:`~tiepdan.intake.registration.forms.RegistrationForm`, run on the answers so far plus this
step's, keeping only the errors of this step's fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import MatterKind
from .forms import RegistrationForm
from .rules import MAX_REPRESENTATIVES

#: The four kinds in plain words, each with an example and what happens next — shown on the
#: first step, before the citizen types anything (deadlines: domain brief §7).
KIND_GUIDE = (
    (MatterKind.KHIEU_NAI,
     _("Bạn không đồng ý với một quyết định hoặc việc làm của cơ quan, cán bộ nhà nước đối "
       "với chính bạn và muốn xem xét lại."),
     _("Ví dụ: UBND xã ra quyết định thu hồi đất của gia đình bạn mà bạn cho là không đúng."),
     _("Tiếp theo: trong 07 ngày làm việc, xã thông báo có thụ lý giải quyết hay không. Bạn "
       "cần nêu rõ quyết định hoặc hành vi bị khiếu nại.")),
    (MatterKind.TO_CAO,
     _("Bạn báo cho cơ quan có thẩm quyền biết một hành vi vi phạm pháp luật của cán bộ, công "
       "chức hoặc của người khác, gây thiệt hại cho Nhà nước hoặc người dân."),
     _("Ví dụ: một cán bộ địa chính đòi tiền để làm nhanh hồ sơ cấp giấy chứng nhận."),
     # Quy chế Điều 4.1.d: said before anything is typed.
     _("Tiếp theo: xã xem xét, xử lý ban đầu theo Luật Tố cáo. Bạn có thể yêu cầu giữ bí mật "
       "danh tính; khi đó đơn không được tiếp trực tuyến mà được tiếp nhận, xử lý trực tiếp "
       "(Quy chế Điều 4.1.d).")),
    (MatterKind.KIEN_NGHI,
     _("Bạn đề xuất với chính quyền một việc nên làm hoặc nên sửa trong quản lý, chính "
       "sách."),
     _("Ví dụ: đề nghị lắp đèn chiếu sáng cho đoạn đường thôn chưa có đèn."),
     _("Tiếp theo: trong 10 ngày làm việc, xã thông báo cho bạn kết quả xử lý đơn.")),
    (MatterKind.PHAN_ANH,
     _("Bạn cho chính quyền biết một sự việc, một vấn đề đang xảy ra để xem xét, xử "
       "lý."),
     _("Ví dụ: một bãi rác tự phát gây ô nhiễm cạnh trường học."),
     _("Tiếp theo: trong 10 ngày làm việc, xã thông báo cho bạn kết quả xử lý đơn.")),
)

PERSON_FIELDS = ("full_name", "id_type", "id_number", "id_issue_date", "id_issue_place",
                 "date_of_birth", "gender", "province", "ward", "address", "phone", "email")
GROUP_FIELDS = ("is_group", "group_size", *(
    f"rep_{i}_{part}" for i in range(1, MAX_REPRESENTATIVES + 1) for part in ("name", "phone")))
ONLINE_FIELDS = ("wants_online", "online_reason", "online_reason_text", "join_point",
                 "join_point_detail")


def _matter_fields(data: dict[str, Any]) -> tuple[str, ...]:
    kind = data.get("kind")
    fields: tuple[str, ...] = ("summary", "content")
    if kind == MatterKind.KHIEU_NAI:
        fields += ("complained_decision", "complained_by")
    fields += ("prior_agency",)
    if kind == MatterKind.TO_CAO:
        fields += ("identity_protection",)
    return fields


def in_person_only(data: dict[str, Any]) -> bool:
    """Quy chế Điều 4.1.d: a denunciation asking for identity protection is not heard online."""
    return data.get("kind") == MatterKind.TO_CAO and bool(data.get("identity_protection"))


def _online_fields(data: dict[str, Any]) -> tuple[str, ...]:
    return () if in_person_only(data) else ONLINE_FIELDS


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    fields: Callable[[dict[str, Any]], tuple[str, ...]]

    @property
    def template(self) -> str:
        return f"intake/steps/{self.slug.replace('-', '_')}.html"


STEPS: tuple[Step, ...] = (
    Step("loai-don", _("Bạn muốn gửi loại đơn nào?"), lambda data: ("kind",)),
    Step("nguoi-gui", _("Thông tin về bạn"), lambda data: PERSON_FIELDS),
    Step("noi-dung", _("Nội dung đơn"), _matter_fields),
    Step("nhieu-nguoi", _("Có người cùng gửi đơn với bạn không?"), lambda data: GROUP_FIELDS),
    Step("tai-lieu", _("Tài liệu kèm theo"), lambda data: ()),
    Step("truc-tuyen", _("Tiếp công dân trực tuyến"), _online_fields),
    Step("dong-y", _("Đồng ý xử lý dữ liệu cá nhân"), lambda data: ("consent",)),
)
STEP_SLUGS = tuple(step.slug for step in STEPS)
CHECK = "kiem-tra"


def step_of(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def number_of(step: Step) -> int:
    return STEPS.index(step) + 1


def next_slug(step: Step) -> str:
    index = STEPS.index(step)
    return STEPS[index + 1].slug if index + 1 < len(STEPS) else CHECK


def previous_slug(step: Step) -> str | None:
    index = STEPS.index(step)
    return STEPS[index - 1].slug if index else None


def answers_of(step: Step, posted: Any, data: dict[str, Any]) -> dict[str, str]:
    """The raw answers of ``step`` in a POST: every field of the step, an unticked box or an
    unchosen radio as ""."""
    return {name: str(posted.get(name, ""))[:20000] for name in step.fields(data)}


def form_for(data: dict[str, Any], initial: dict[str, Any] | None = None) -> RegistrationForm:
    return RegistrationForm(data=data, initial=initial or {})


def check_step(step: Step, data: dict[str, Any]) -> tuple[RegistrationForm, dict[str, list]]:
    """Run the one validator on ``data`` (the answers so far with this step's); the errors of
    this step's fields only (the other steps are checked on their own pages)."""
    form = form_for(data)
    form.is_valid()
    fields = step.fields(data)
    return form, {name: list(form.errors[name]) for name in fields if name in form.errors}


def asked(data: dict[str, Any]) -> dict[str, Any]:
    """Only the answers to questions the steps ask for these answers: a complaint's decision
    left from before the kind was changed is not submitted."""
    names = {name for step in STEPS for name in step.fields(data)}
    return {name: value for name, value in data.items() if name in names}


def first_step_with_errors(form: RegistrationForm, data: dict[str, Any]) -> Step | None:
    for step in STEPS:
        if any(name in form.errors for name in step.fields(data)):
            return step
    return None
