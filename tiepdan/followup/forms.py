"""Forms of the follow-up pages; they only parse input — the rules (owner and due date required,
no past date, working days) live in ``services`` and come back as field errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiepdan.core.text_forms import Form
from tiepdan.intake.registration.forms import MultipleFileField

from .models import Body

_NUMBER = {"invalid": _("Cần nhập một số nguyên.")}
_DATE = {"invalid": _("Ngày không hợp lệ.")}


class TaskForm(Form):
    title = forms.CharField(label=_("Nội dung công việc"), required=False, max_length=300,
                            widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.ModelChoiceField(label=_("Cơ quan, đơn vị thực hiện"), required=False,
                                  queryset=Body.objects.none(),
                                  empty_label=_("— Chọn cơ quan, đơn vị —"))
    due_working_days = forms.IntegerField(
        label=_("Hạn: số ngày làm việc kể từ hôm nay"), required=False, min_value=1,
        error_messages=_NUMBER)
    due_date = forms.DateField(label=_("hoặc hạn vào ngày"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages=_DATE)
    source = forms.CharField(label=_("Căn cứ (kết luận, văn bản)"), required=False,
                             max_length=255)

    def __init__(self, *args: Any, commune: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(commune=commune, is_active=True)


class UpdateForm(Form):
    text = forms.CharField(label=_("Nội dung cập nhật"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(label=_("Tiến độ (%)"), required=False, min_value=0,
                                  max_value=100, error_messages=_NUMBER)
    files = MultipleFileField(label=_("Tệp kèm theo (PDF, JPG, PNG, DOCX)"), required=False)


class ResultForm(Form):
    result = forms.CharField(label=_("Kết quả thực hiện"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(Form):
    reason = forms.CharField(label=_("Lý do"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DueForm(Form):
    due_working_days = forms.IntegerField(
        label=_("Hạn mới: số ngày làm việc kể từ hôm nay"), required=False, min_value=1,
        error_messages=_NUMBER)
    due_date = forms.DateField(label=_("hoặc hạn mới vào ngày"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages=_DATE)
    reason = forms.CharField(label=_("Lý do đổi hạn"), required=False)


class CloseForm(Form):
    result = forms.CharField(label=_("Kết quả giải quyết cuối cùng"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
