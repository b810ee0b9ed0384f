"""The forms of the links part of the triage panel: split a mixed petition, merge members'
registrations into a group matter, and the other matter of a duplicate link or dismissal (the
rules are in ``splitting``, ``groups`` and ``duplicates``; a form only parses what the officer
typed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from tiepdan.core.text_forms import Form, choice_field

from ..models import Matter, MatterKind
from . import duplicates, groups

_REASON = forms.CharField(label=gettext_lazy("Lý do, căn cứ"), max_length=1000, required=False,
                          widget=forms.Textarea(attrs={"rows": 2}))
_KINDS = [("", gettext_lazy("— Chọn loại đơn —")), *MatterKind.choices]


class SplitForm(Form):
    """What the original keeps, and why it is split."""

    remaining_kind = forms.ChoiceField(label=gettext_lazy("Loại đơn còn lại"), choices=_KINDS,
                                       required=False)
    remaining_summary = forms.CharField(label=gettext_lazy("Tóm tắt nội dung còn lại"),
                                        max_length=300, required=False)
    remaining_content = forms.CharField(label=gettext_lazy("Nội dung còn lại"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    reason = _REASON


class PartForm(Form):
    """One part split off into a new matter."""

    kind = forms.ChoiceField(label=gettext_lazy("Loại đơn"), choices=_KINDS, required=False)
    summary = forms.CharField(label=gettext_lazy("Tóm tắt nội dung"), max_length=300,
                              required=False)
    content = forms.CharField(label=gettext_lazy("Nội dung"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    attachment_ids = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Tài liệu chuyển sang đơn này"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, attachments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "attachment_ids").choices = attachments


PartFormSet = forms.formset_factory(PartForm, extra=2, max_num=5, absolute_max=5)


class MergeForm(Form):
    members = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Hồ sơ cùng nội dung của thành viên nhóm"), coerce=int,
        required=False, widget=forms.CheckboxSelectMultiple)
    codes = forms.CharField(label=gettext_lazy("Mã hồ sơ khác (mỗi dòng một mã)"),
                            required=False, widget=forms.Textarea(attrs={"rows": 2}))
    already_counted = forms.BooleanField(
        label=gettext_lazy("Những người này đã nằm trong số người của đoàn"), required=False)
    reason = _REASON

    def __init__(self, *args: Any, candidates: list[Matter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "members").choices = [
            (m.pk, f"{m.tracking_code} · {m.full_name} · {m.summary}") for m in candidates]


class PairForm(Form):
    """The other matter of a link or a merge, and an optional reason."""

    other = forms.IntegerField()
    reason = forms.CharField(required=False, max_length=1000, widget=forms.Textarea)



def split_forms(matter: Matter, data: Any = None) -> tuple[SplitForm, Any]:
    """The split form and the forms of its parts (bound to ``data`` when posted)."""
    attachments = [(a.pk, a.original_name) for a in matter.attachments.all()]
    initial = {"remaining_kind": matter.kind, "remaining_summary": matter.summary,
               "remaining_content": matter.content}
    return (SplitForm(data, initial=initial, prefix="split"),
            PartFormSet(data, prefix="part", form_kwargs={"attachments": attachments}))


def merge_candidates(matter: Matter, suggestions: list[duplicates.Suggestion]) -> list[Matter]:
    """The suggested duplicates that may be merged into the group ``matter``."""
    return [s.matter for s in suggestions
            if s.matter.kind == matter.kind and s.matter.status in groups.MERGEABLE
            and not s.matter.is_group]
