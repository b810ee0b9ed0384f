"""Forms of the minutes page; the rules themselves live in the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiepdan.core.models import Commune
from tiepdan.core.text_forms import Form, model_choice_field

from . import responsible_bodies
from .models import Outcome

if TYPE_CHECKING:  # the follow-up app's list of bodies; it imports this app at run time
    pass

MESSAGES = {"invalid": _("Giá trị không hợp lệ."), "required": _("Vui lòng điền thông tin này."),
            "min_value": _("Thời hạn từ 1 ngày làm việc trở lên."),
            "max_value": _("Thời hạn không quá 90 ngày làm việc.")}


def _text(label, rows: int = 6, required: bool = False) -> forms.CharField:  # noqa: ANN001
    return forms.CharField(label=label, required=required, max_length=20000,
                           error_messages=MESSAGES,
                           widget=forms.Textarea(attrs={"rows": rows}))


class MinutesForm(Form):
    """The sections the officer writes; emptiness is judged when finalising."""

    proceedings = _text(_("Diễn biến buổi tiếp"), rows=8)
    citizen_opinions = _text(_("Ý kiến của công dân"))
    chair_conclusion = _text(_("Kết luận của người chủ trì"))
    chair_name = forms.CharField(label=_("Người chủ trì ký biên bản"), max_length=120,
                                 required=False, error_messages=MESSAGES)
    secretary_name = forms.CharField(label=_("Người ghi biên bản"), max_length=120,
                                     required=False, error_messages=MESSAGES)


class ConclusionForm(Form):
    outcome = forms.ChoiceField(label=_("Hướng xử lý"), choices=Outcome.choices,
                                error_messages=MESSAGES)
    directions = _text(_("Ý kiến chỉ đạo, kết luận"), rows=4, required=True)
    # The commune's list of bodies (minutes.responsible_bodies), ticked, not typed.
    responsible_bodies: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Cơ quan, đơn vị chịu trách nhiệm"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={**MESSAGES, "invalid_choice": _("Chọn cơ quan, đơn vị trong danh sách."),
                        "invalid_pk_value": _("Chọn cơ quan, đơn vị trong danh sách.")})
    deadline_working_days = forms.IntegerField(
        label=_("Thời hạn (ngày làm việc, tính từ ngày tiếp)"), required=False, min_value=1,
        max_value=90, error_messages=MESSAGES)
    contact_person = forms.CharField(label=_("Đầu mối liên hệ"), max_length=255,
                                     required=False, error_messages=MESSAGES)

    def __init__(self, *args, commune: Commune, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        bodies = responsible_bodies.active_bodies(commune)
        if bodies is None:  # no follow-up app: no list to pick from
            self.fields["responsible_bodies"] = forms.MultipleChoiceField(
                choices=(), required=False, widget=forms.CheckboxSelectMultiple)
        else:
            model_choice_field(self, "responsible_bodies").queryset = bodies

    def clean_responsible_bodies(self) -> list[int]:
        return [int(getattr(body, "pk", body)) for body in self.cleaned_data["responsible_bodies"]]


class ConfirmationForm(Form):
    """The citizen's answer to a Biên bản: the one-time code, confirm or disagree (then why),
    and the SHA-256 of the version the page showed."""

    code = forms.RegexField(
        label=_("Mã xác nhận (6 chữ số trong tin nhắn)"), regex=r"^\s*\d{6}\s*$",
        error_messages={"required": _("Nhập mã xác nhận gồm 6 chữ số trong tin nhắn."),
                        "invalid": _("Mã xác nhận gồm đúng 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "maxlength": "6"}))
    kind = forms.ChoiceField(
        label=_("Ý kiến của bạn"), widget=forms.RadioSelect,
        choices=[("confirmed", _("Tôi xác nhận nội dung biên bản là đúng")),
                 ("disagreed", _("Tôi không đồng ý với nội dung biên bản"))],
        error_messages={"required": _("Chọn xác nhận hoặc không đồng ý."),
                        "invalid_choice": _("Chọn xác nhận hoặc không đồng ý.")})
    disagreement = forms.CharField(
        label=_("Nội dung không đồng ý (ghi rõ điểm nào, vì sao)"), required=False,
        max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("Nội dung không quá 5000 ký tự.")})
    document_sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput,
                                       error_messages={"required": _("Vui lòng tải lại trang."),
                                                       "invalid": _("Vui lòng tải lại trang.")})

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == "disagreed" and not (data.get("disagreement") or "").strip():
            self.add_error("disagreement", _("Ghi rõ nội dung bạn không đồng ý."))
        return data
