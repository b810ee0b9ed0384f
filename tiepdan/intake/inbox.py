"""The staff inbox of a commune: search, filters, sort and pages (50 a page, every matter
reachable; nothing is cut off silently).  Read by the inbox page, linked to by the dashboard's
queues (their links are inbox URLs with these parameters)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, Min, OuterRef, QuerySet, TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiepdan.core.text_forms import Form, choice_field
from tiepdan.workdays.marks import Mark, due_soon_limit
from tiepdan.workdays.services import current_calendar

from .matter_deadlines import inbox_mark, nearest_due, order_for_inbox
from .models import Channel, Matter, MatterDeadline, MatterKind, MatterStatus
from .search import apply_search

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50


class DeadlineState:
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CHOICES = [("", _("Mọi thời hạn")), (DUE_SOON, _("Sắp đến hạn")), (OVERDUE, _("Quá hạn"))]


SORTS = {
    "urgent": _("Ưu tiên: đơn mới, hạn gần nhất"),
    "received": _("Ngày nhận (mới nhất trước)"),
    "received_asc": _("Ngày nhận (cũ nhất trước)"),
    "deadline": _("Hạn gần nhất"),
    "status": _("Trạng thái"),
}


def _blank(label: StrOrPromise) -> list[tuple[str, StrOrPromise]]:
    return [("", label)]


class InboxForm(Form):
    """The GET form of the inbox; every field optional, an unknown value is ignored."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100, strip=True,
                        widget=forms.TextInput(attrs={
                            "type": "search", "placeholder": _(
                                "Mã hồ sơ, họ tên, số điện thoại, nội dung")}))
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[*_blank(_("Mọi trạng thái")), *MatterStatus.choices])
    kind = forms.ChoiceField(label=_("Loại đơn"), required=False,
                             choices=[*_blank(_("Mọi loại đơn")), *MatterKind.choices])
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), required=False,
                                choices=[*_blank(_("Mọi kênh")), *Channel.choices])
    deadline = forms.ChoiceField(label=_("Thời hạn"), required=False,
                                 choices=DeadlineState.CHOICES)
    rule = forms.SlugField(required=False, max_length=64, widget=forms.HiddenInput)
    online = forms.ChoiceField(label=_("Đề nghị tiếp trực tuyến"), required=False, choices=[
        ("", _("Tất cả")), ("yes", _("Có đề nghị")), ("no", _("Không đề nghị"))])
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args: Any, fields_of_law: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "field").choices = (
            _blank(_("Mọi lĩnh vực")) + [(f, f) for f in fields_of_law])


def fields_in_use(matters: QuerySet[Matter]) -> list[str]:
    """The fields (lĩnh vực) of the matters, for the filter's choices."""
    return list(matters.exclude(field_of_law="").order_by("field_of_law")
                .values_list("field_of_law", flat=True).distinct())


@dataclass(frozen=True)
class InboxQuery:
    q: str = ""
    status: str = ""
    kind: str = ""
    field: str = ""
    channel: str = ""
    deadline: str = ""
    rule: str = ""
    online: str = ""
    sort: str = "urgent"

    @classmethod
    def from_form(cls, form: InboxForm) -> InboxQuery:
        """The valid parameters of ``form`` (a bound form); invalid ones are dropped."""
        form.is_valid()
        data = {name: form.cleaned_data.get(name) or "" for name in form.fields
                if name not in form.errors}
        return cls(**{**data, "sort": data.get("sort") or "urgent"})

    def params(self, **changes: str) -> str:
        """The query string of this search (with ``changes``), without empty parameters: for
        the pagination and sort links, so filters survive them."""
        values = {**self.__dict__, **changes}
        if values.get("sort") == "urgent":
            values["sort"] = ""
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def is_filtered(self) -> bool:
        return any(v for k, v in self.__dict__.items() if k != "sort")


def filter_matters(matters: QuerySet[Matter], query: InboxQuery,
                   today: dt.date | None = None) -> QuerySet[Matter]:
    """``matters`` narrowed by every filter of ``query`` (not yet ordered)."""
    if query.q:
        matters = apply_search(matters, query.q)
    for name, column in (("status", "status"), ("kind", "kind"), ("field", "field_of_law"),
                         ("channel", "channel")):
        if value := getattr(query, name):
            matters = matters.filter(**{column: value})
    if query.online:
        matters = matters.filter(wants_online=query.online == "yes")
    if query.deadline or query.rule:
        matters = matters.filter(deadline_exists(query.deadline, query.rule, today))
    return matters


def deadline_exists(state: str, rule: str = "", today: dt.date | None = None) -> Exists:
    """A matter with an open deadline in ``state`` (overdue / due soon), of ``rule`` if given.
    Matched on the commune too, so that a commune's matters are compared with its own open
    deadlines only (``deadline_open_commune_due``), not with those of every commune."""
    today = today or timezone.localdate()
    deadlines = MatterDeadline.objects.filter(matter=OuterRef("pk"), commune=OuterRef("commune"),
                                              open=True)
    if rule:
        deadlines = deadlines.filter(rule_key=rule)
    if state == DeadlineState.OVERDUE:
        deadlines = deadlines.filter(due__lt=today)
    elif state == DeadlineState.DUE_SOON:
        deadlines = deadlines.filter(due__gte=today,
                                     due__lte=due_soon_limit(today, current_calendar()))
    return Exists(deadlines)


def order_matters(matters: QuerySet[Matter], sort: str) -> QuerySet[Matter]:
    if sort == "received":
        return matters.order_by("-received_at", "-pk")
    if sort == "received_asc":
        return matters.order_by("received_at", "pk")
    if sort == "deadline":
        return matters.annotate(nearest_due=nearest_due()).order_by(
            F("nearest_due").asc(nulls_last=True), "-received_at", "-pk")
    if sort == "status":
        return matters.order_by("status", "-received_at", "-pk")
    return order_for_inbox(matters)


def _label(choices: type[TextChoices], value: str) -> StrOrPromise:
    try:
        return choices(value).label
    except ValueError:  # a value the choices no longer have: shown as stored
        return value


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox: the matter and what the line shows besides its columns — the
    labels of its kind, status and channel (an enum lookup; ``get_FOO_display`` hashes every
    choice of the field on each call, which was most of the page's time at 50 rows), the link
    to its page and its nearest open due date with that date's mark."""

    matter: Matter
    kind_label: StrOrPromise
    status_label: StrOrPromise
    channel_label: StrOrPromise
    url: str
    nearest_due: dt.date | None
    nearest_mark: Mark | None


@dataclass(frozen=True)
class InboxPage:
    page: Page[Matter]
    rows: list[InboxRow]
    elided_range: list[int | str]  # page numbers, with Paginator.ELLIPSIS between far ones


def _nearest_dues(matters: list[Matter]) -> dict[int, dt.date | None]:
    if matters and hasattr(matters[0], "nearest_due"):  # annotated by the order
        return {matter.pk: getattr(matter, "nearest_due", None) for matter in matters}
    return dict(MatterDeadline.objects.filter(matter__in=matters, open=True)
                .values("matter_id").annotate(nearest=Min("due"))
                .values_list("matter_id", "nearest"))


def inbox_page(matters: QuerySet[Matter], query: InboxQuery, page_number: str | int | None,
               *, ward_code: int) -> InboxPage:
    """One page of the inbox (the matters of the commune ``ward_code``), a row for each."""
    ordered = order_matters(filter_matters(matters, query), query.sort)
    page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
    matters_here = list(page.object_list)
    dues = _nearest_dues(matters_here)
    today, calendar = timezone.localdate(), current_calendar()
    rows = [InboxRow(
        matter=matter,
        kind_label=_label(MatterKind, matter.kind),
        status_label=_label(MatterStatus, matter.status),
        channel_label=_label(Channel, matter.channel),
        url=reverse("intake:matter", args=[ward_code, matter.pk]),
        nearest_due=dues.get(matter.pk),
        nearest_mark=inbox_mark(dues.get(matter.pk), today, calendar),
    ) for matter in matters_here]
    return InboxPage(page, rows, list(page.paginator.get_elided_page_range(page.number)))
