"""Forms of the report pages: the period picker (validated by ``periods.parse_period``) and the
narrative of the results report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tiepdan.core.text_forms import Form

from .periods import KIND_INFO


class PeriodForm(Form):
    kind = forms.ChoiceField(label=_("Kỳ báo cáo"),
                             choices=[(k.value, label) for k, (label, _m) in KIND_INFO.items()])
    number = forms.IntegerField(label=_("Số kỳ (tháng 1–12, quý 1–4, 6 tháng 1–2)"),
                                required=False, widget=forms.NumberInput(attrs={"min": 1}))
    year = forms.IntegerField(label=_("Năm"))


class NarrativeForm(Form):
    achievements = forms.CharField(label=_("Kết quả đạt được"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 6}))
    difficulties = forms.CharField(label=_("Khó khăn, vướng mắc"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    proposals = forms.CharField(label=_("Đề xuất, kiến nghị"), required=False,
                                widget=forms.Textarea(attrs={"rows": 5}))
