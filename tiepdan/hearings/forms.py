"""Forms of the hearing pages; the rules themselves live in the services."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tiepdan.core.models import Commune, Role
from tiepdan.core.names import full_name
from tiepdan.core.text_forms import Form, choice_field, model_choice_field
from tiepdan.intake.models import Matter

from . import people
from .models import OnlineGround, PointKind, ReceptionKind

LATE_LABEL = _("Lý do quyết định tổ chức khi đã quá thời hạn thông báo (chỉ Chủ tịch, khi thời "
                "gian không còn bảo đảm các thời hạn theo quy định)")
REQUIRED = {"required": _("Vui lòng điền thông tin này."), "invalid": _("Giá trị không hợp lệ.")}


class ChairField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return full_name(obj)


class MattersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Matter) -> str:
        return f"{obj.tracking_code} · {obj.get_kind_display()} · {obj.summary}"


class HearingForm(Form):
    title = forms.CharField(label=_("Nội dung buổi tiếp"), max_length=255,
                            error_messages=REQUIRED,
                            initial=_("Tiếp công dân định kỳ của Chủ tịch UBND xã"))
    kind = forms.ChoiceField(label=_("Loại"), choices=ReceptionKind.choices)
    starts_at = forms.DateTimeField(label=_("Bắt đầu"), error_messages=REQUIRED,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    duration_minutes = forms.IntegerField(label=_("Thời lượng (phút)"), initial=120,
                                          min_value=1, error_messages=REQUIRED)
    chair = ChairField(label=_("Chủ trì"), queryset=User.objects.none(), error_messages=REQUIRED)
    city_leaders_attend = forms.BooleanField(label=_("Có lãnh đạo UBND thành phố dự"),
                                             required=False)
    matters = MattersField(label=_("Vụ việc đã được đồng ý tiếp trực tuyến"),
                           queryset=Matter.objects.none(), required=False,
                           widget=forms.CheckboxSelectMultiple)
    late_reason = forms.CharField(label=LATE_LABEL, required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, commune: Commune, matters: QuerySet[Matter], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "chair").queryset = User.objects.filter(
            staff_roles__commune=commune,
            staff_roles__role__in=[Role.CHAIRMAN, Role.VICE_CHAIRMAN]).distinct()
        model_choice_field(self, "matters").queryset = matters


class RescheduleForm(Form):
    starts_at = forms.DateTimeField(label=_("Thời gian mới"), error_messages=REQUIRED,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    duration_minutes = forms.IntegerField(label=_("Thời lượng (phút)"), initial=120,
                                          error_messages=REQUIRED)
    reason = forms.CharField(label=_("Lý do dời lịch"), max_length=1000, error_messages=REQUIRED)
    late_reason = forms.CharField(label=LATE_LABEL, required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(Form):
    reason = forms.CharField(label=_("Lý do"), max_length=1000, error_messages=REQUIRED,
                             widget=forms.Textarea(attrs={"rows": 3}))


class MilestoneForm(Form):
    evidence = forms.CharField(label=_("Minh chứng"), max_length=1000, error_messages=REQUIRED,
                               widget=forms.Textarea(attrs={"rows": 2}))


class HeldForm(Form):
    """The office records that a confirmed hearing has taken place: its actual start and end
    (prefilled from the room when it was used) and an explicit confirmation."""

    started_at = forms.DateTimeField(label=_("Bắt đầu thực tế"), error_messages=REQUIRED,
                                     widget=forms.DateTimeInput(
                                         attrs={"type": "datetime-local"},
                                         format="%Y-%m-%dT%H:%M"))
    ended_at = forms.DateTimeField(label=_("Kết thúc thực tế"), error_messages=REQUIRED,
                                   widget=forms.DateTimeInput(
                                       attrs={"type": "datetime-local"},
                                       format="%Y-%m-%dT%H:%M"))
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận buổi tiếp đã diễn ra trong khoảng thời gian trên; sau khi ghi "
                "nhận, phòng trực tuyến đóng hẳn và không thể hoàn tác."),
        error_messages={"required": _("Đánh dấu ô xác nhận để ghi nhận buổi tiếp đã kết "
                                      "thúc.")})


class ConfirmForm(Form):
    override_reason = forms.CharField(label=_("Lý do chốt muộn (chỉ Chủ tịch, khi đã quá hạn "
                                              "thông báo)"), required=False, max_length=1000)


class StaffChoiceField(forms.ModelChoiceField):
    """A select of the commune's and city's staff, each shown by their name as written."""

    def label_from_instance(self, obj) -> str:  # noqa: ANN001
        return full_name(obj)


class BridgePointForm(Form):
    kind = forms.ChoiceField(label=_("Loại điểm cầu"), choices=PointKind.choices)
    is_central = forms.BooleanField(label=_("Điểm cầu trung tâm"), required=False)
    name = forms.CharField(label=_("Tên điểm cầu"), max_length=200, error_messages=REQUIRED)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, error_messages=REQUIRED)
    responsible_user = StaffChoiceField(
        label=_("Người phụ trách"), queryset=User.objects.none(),
        empty_label=_("— Chọn cán bộ —"),
        error_messages={**REQUIRED, "invalid_choice": _("Chọn cán bộ trong danh sách.")})
    technical_contact = StaffChoiceField(
        label=_("Cán bộ kỹ thuật"), queryset=User.objects.none(),
        empty_label=_("— Chọn cán bộ —"),
        error_messages={**REQUIRED, "invalid_choice": _("Chọn cán bộ trong danh sách.")})
    technical_contact_phone = forms.CharField(
        label=_("Điện thoại cán bộ kỹ thuật"), max_length=20, required=False,
        help_text=_("Để trống để dùng số trong hồ sơ cán bộ."))
    technical_contact_email = forms.EmailField(
        label=_("Thư điện tử cán bộ kỹ thuật"), required=False,
        help_text=_("Để trống để dùng thư điện tử của tài khoản cán bộ."),
        error_messages=REQUIRED)

    def __init__(self, *args, hearing, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        staff = people.staff_users(hearing.commune)
        model_choice_field(self, "responsible_user").queryset = staff
        model_choice_field(self, "technical_contact").queryset = staff


class ParticipantForm(Form):
    """Pick a person from the lists (grouped by source) or type an outside guest."""

    person = forms.ChoiceField(label=_("Chọn người tham gia"), required=False, choices=(),
                               error_messages={"invalid_choice": _(
                                   "Chọn người trong danh sách.")})
    full_name = forms.CharField(label=_("Họ và tên (khách mời ngoài danh sách)"),
                                max_length=120, required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    organisation = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=200, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False, error_messages=REQUIRED)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    is_citizen = forms.BooleanField(label=_("Là công dân có đơn"), required=False)

    def __init__(self, *args, hearing, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        choice_field(self, "person").choices = [
            ("", _("— Khách mời ngoài danh sách (nhập họ tên bên dưới) —")),
            *people.picker_choices(hearing)]


class RemoveParticipantForm(Form):
    participant = forms.IntegerField(widget=forms.HiddenInput, error_messages=REQUIRED)


class ProposalForm(Form):
    ground = forms.ChoiceField(label=_("Căn cứ (Quy chế Điều 4.1)"),
                               choices=[("", _("— Chọn căn cứ —")), *OnlineGround.choices],
                               error_messages={**REQUIRED, "required": _(
                                   "Chọn căn cứ theo Điều 4.1 Quy chế.")})
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(Form):
    approve = forms.TypedChoiceField(label=_("Quyết định"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Đồng ý tiếp trực tuyến")),
                                              ("no", _("Không đồng ý"))],
                                     widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Lý do"), max_length=1000, error_messages=REQUIRED)


class InvitationResponseForm(Form):
    attendance = forms.ChoiceField(
        label=_("Trả lời"), widget=forms.RadioSelect,
        choices=[("confirmed", _("Tôi sẽ tham dự")), ("declined", _("Tôi không tham dự được")),
                 ("substituted", _("Tôi cử người tham dự thay"))])
    substitute_name = forms.CharField(label=_("Họ tên người thay"), required=False,
                                      max_length=120)
    substitute_position = forms.CharField(label=_("Chức vụ người thay"), required=False,
                                          max_length=120)
