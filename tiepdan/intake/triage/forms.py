"""The forms of the triage panel: classify, decide on or refuse a matter (each action's rules are
in ``intake.triage.state_machine``; a form only parses what the officer typed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from tiepdan.core.text_forms import Form, choice_field

from ..models import ComplaintRound, Matter, MatterKind, RefusalGround
from .fields import field_choices
from .state_machine import available_actions

_REASON = forms.CharField(label=gettext_lazy("Lý do, căn cứ"), max_length=1000,
                          widget=forms.Textarea(attrs={"rows": 3}))


class ClassifyForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại đơn"), choices=MatterKind.choices)
    # The commune's list (triage.fields); the choices are set per matter.
    field_of_law = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), choices=())
    complaint_round = forms.ChoiceField(
        label=gettext_lazy("Lần khiếu nại (chỉ với đơn khiếu nại)"), required=False,
        choices=[("", "—"), *ComplaintRound.choices],
    )
    reason = _REASON

    def __init__(self, *args: Any, matter: Matter | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if matter is not None:
            choice_field(self, "field_of_law").choices = field_choices(matter.commune,
                                                                 matter.field_of_law)


class DecideForm(Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Hướng xử lý"), choices=[
        ("", gettext_lazy("— Chọn hướng xử lý —")),
        ("accept", gettext_lazy("Thụ lý")),
        ("guide", gettext_lazy("Hướng dẫn công dân đến cơ quan có thẩm quyền")),
        ("forward", gettext_lazy("Chuyển đơn")),
        ("return", gettext_lazy("Trả lại đơn và hướng dẫn")),
        ("file", gettext_lazy("Lưu đơn")),
    ])
    within_competence = forms.BooleanField(
        label=gettext_lazy("Thuộc thẩm quyền của Ủy ban nhân dân xã"), required=False)
    competent_body = forms.CharField(label=gettext_lazy("Cơ quan có thẩm quyền"),
                                     max_length=255, required=False)
    letter_number = forms.CharField(label=gettext_lazy("Số văn bản chuyển đơn / hướng dẫn"),
                                    max_length=60, required=False)
    reason = _REASON


class RefuseForm(Form):
    ground = forms.ChoiceField(label=gettext_lazy("Căn cứ từ chối tiếp"), choices=[
        ("", gettext_lazy("— Chọn căn cứ theo Luật Tiếp công dân Đ9, NĐ 154/2026 Đ4 —")),
        *RefusalGround.choices,
    ])
    reason = _REASON


FORMS: dict[str, type[forms.Form]] = {
    "classify": ClassifyForm, "decide": DecideForm, "refuse": RefuseForm,
}


def initial_forms(matter: Matter) -> dict[str, forms.Form]:
    """The empty form of each triage action the matter's status allows."""
    initial = {"classify": {"kind": matter.kind, "field_of_law": matter.field_of_law,
                            "complaint_round": matter.complaint_round}}
    return {action: triage_form(action, matter, initial=initial.get(action))
            for action in available_actions(matter)}


def triage_form(action: str, matter: Matter, data: Any = None, **kwargs: Any) -> forms.Form:
    """The form of triage ``action`` (classify, decide, refuse) on ``matter``."""
    if action == "classify":
        kwargs["matter"] = matter
    return FORMS[action](data, prefix=action, **kwargs)
