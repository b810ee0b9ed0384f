"""The staff inbox of a commune: search, filters, sort and pages (50 a page, every matter
reachable; nothing is cut off silently).  Read by the inbox page, linked to by the dashboard's
queues (their links are inbox URLs with these parameters)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, Min, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiepdan.core.text_forms import Form
from tiepdan.workdays.marks import due_soon_limit
from tiepdan.workdays.services import current_calendar

from .matter_deadlines import inbox_marks, nearest_due, order_for_inbox
from .models import Channel, Matter, MatterDeadline, MatterKind, MatterStatus
from .search import apply_search

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


def _blank(label) -> list[tuple[str, object]]:
    return [("", label)]


class InboxForm(Form):
    """The GET form of the inbox; every field optional, an unknown value is ignored."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100, strip=True,
                        widget=forms.TextInput(attrs={
                            "type": "search", "placeholder": _(
                                "Mã hồ sơ, họ tên, số điện thoại, nội dung")}))
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=_blank(_("Mọi trạng thái")) + MatterStatus.choices)
    kind = forms.ChoiceField(label=_("Loại đơn"), required=False,
                             choices=_blank(_("Mọi loại đơn")) + MatterKind.choices)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), required=False,
                                choices=_blank(_("Mọi kênh")) + Channel.choices)
    deadline = forms.ChoiceField(label=_("Thời hạn"), required=False,
                                 choices=DeadlineState.CHOICES)
    rule = forms.SlugField(required=False, max_length=64, widget=forms.HiddenInput)
    online = forms.ChoiceField(label=_("Đề nghị tiếp trực tuyến"), required=False, choices=[
        ("", _("Tất cả")), ("yes", _("Có đề nghị")), ("no", _("Không đề nghị"))])
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args, fields_of_law: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = _blank(_("Mọi lĩnh vực")) + [(f, f) for f in fields_of_law]


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


def _label(choices: type, value: str) -> object:
    try:
        return choices(value).label
    except ValueError:  # a value the choices no longer have: shown as stored
        return value


def _label_rows(rows: list[Matter], ward_code: int) -> None:
    """What each row shows besides its columns: the labels of its kind, status and channel (an
    enum lookup; ``get_FOO_display`` hashes every choice of the field on each call, which was
    most of the page's time at 50 rows) and the link to its page."""
    for row in rows:
        row.kind_label = _label(MatterKind, row.kind)
        row.status_label = _label(MatterStatus, row.status)
        row.channel_label = _label(Channel, row.channel)
        row.staff_url = reverse("intake:matter", args=[ward_code, row.pk])


def inbox_page(matters: QuerySet[Matter], query: InboxQuery, page_number: str | int | None,
               *, ward_code: int) -> Page:
    """One page of the inbox (the matters of the commune ``ward_code``): each matter with
    ``nearest_due`` and ``nearest_mark``, its labels and its link."""
    ordered = order_matters(filter_matters(matters, query), query.sort)
    page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    if rows and not hasattr(rows[0], "nearest_due"):
        dues = dict(MatterDeadline.objects.filter(matter__in=rows, open=True)
                    .values("matter_id").annotate(nearest=Min("due"))
                    .values_list("matter_id", "nearest"))
        for row in rows:
            row.nearest_due = dues.get(row.pk)
    inbox_marks(rows)
    _label_rows(rows, ward_code)
    page.object_list = rows
    page.elided_range = list(page.paginator.get_elided_page_range(page.number))
    return page
