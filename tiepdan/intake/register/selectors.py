"""Permission-checked reads of the register: which commune's book a user may open, and its
entries under a filter (year, month, kind, outcome)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiepdan.core.errors import InvalidInput
from tiepdan.core.models import Commune
from tiepdan.core.page_memo import once
from tiepdan.core.text_forms import Form
from tiepdan.intake.models import MatterKind, MatterStatus

from .models import RegisterEntry
from .services import OUTCOME_STATUSES


def entry_of(matter) -> RegisterEntry | None:
    """The matter's line in the register (with its refusal notice), read once per page."""
    return once(matter, "register_entry", lambda: RegisterEntry.objects.select_related(
        "refusal_notice").filter(matter=matter).first())


#: Whoever may view the commune's matters may read its register (city observers too):
#: ``Perm.VIEW_MATTERS``; the refusal of everyone else.
REGISTER_DENIED = gettext_lazy("Bạn không có quyền xem sổ tiếp công dân của xã này.")


class RegisterFilterForm(Form):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100,
                              required=False)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Tháng"), required=False, coerce=int, empty_value=None,
        choices=[("", gettext_lazy("Cả năm"))] + [(m, str(m)) for m in range(1, 13)],
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại đơn"), required=False,
                             choices=[("", gettext_lazy("Tất cả"))] + MatterKind.choices)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Hướng xử lý"), required=False,
        choices=[("", gettext_lazy("Tất cả"))]
        + [(s.value, s.label) for s in MatterStatus if s in OUTCOME_STATUSES],
    )


@dataclass(frozen=True)
class RegisterFilter:
    year: int
    month: int | None = None
    kind: str = ""
    outcome: str = ""

    def describe(self) -> str:
        """The filter as the audit trail and the export's period line state it."""
        parts = [f"năm {self.year}"]
        if self.month:
            parts.insert(0, f"tháng {self.month}")
        if self.kind:
            parts.append(f"loại {self.kind}")
        if self.outcome:
            parts.append(f"hướng xử lý {self.outcome}")
        return ", ".join(parts)

    def as_query(self) -> dict[str, Any]:
        return {k: v for k, v in (("year", self.year), ("month", self.month),
                                  ("kind", self.kind), ("outcome", self.outcome)) if v}


def parse_filter(params: Mapping[str, Any]) -> tuple[RegisterFilter, RegisterFilterForm]:
    """The filter of ``params`` (a GET query); the current year by default. Raises
    ``InvalidInput`` with field errors for a bad value."""
    form = RegisterFilterForm({k: params.get(k, "") for k in ("year", "month", "kind", "outcome")})
    if not form.is_valid():
        errors = {field: [{"code": "invalid", "message": str(message)} for message in messages]
                  for field, messages in form.errors.items()}
        raise InvalidInput(_("Bộ lọc sổ tiếp công dân không hợp lệ."), field_errors=errors)
    data = form.cleaned_data
    flt = RegisterFilter(year=data["year"] or timezone.localdate().year, month=data["month"],
                         kind=data["kind"], outcome=data["outcome"])
    # The form shows the filter applied, defaults included (the current year when none).
    applied = RegisterFilterForm({"year": flt.year, "month": flt.month or "", "kind": flt.kind,
                                  "outcome": flt.outcome})
    applied.is_valid()
    return flt, applied


def register_entries(commune: Commune, flt: RegisterFilter) -> QuerySet[RegisterEntry]:
    """Entries of ``commune``'s register under ``flt`` in STT order, ready for ``row_of``."""
    entries = RegisterEntry.objects.filter(commune=commune, year=flt.year)
    if flt.month:
        entries = entries.filter(received_on__month=flt.month)
    if flt.kind:
        entries = entries.filter(kind=flt.kind)
    if flt.outcome:
        entries = entries.filter(outcome=flt.outcome)
    # Only what the 13 columns show is loaded from the matter and the notice (see
    # ``columns.row_of``): building and decoding fewer columns makes a 100,000-row export
    # about twice as fast; anything else is still loaded on access.
    return (entries.select_related("matter", "refusal_notice")
            .only(*ENTRY_FIELDS, *(f"matter__{name}" for name in MATTER_FIELDS),
                  "refusal_notice__symbol")
            .order_by("number"))


class ExportRecord(SimpleNamespace):
    """A register entry as the exports read it (``columns.row_of``), without model instances
    (two per row, with the matter: a fifth of a 100,000-row export's time)."""

    identity_protected = RegisterEntry.__dict__["identity_protected"]  # the same rule


def export_records(commune: Commune, flt: RegisterFilter, chunk_size: int = 2000
                   ) -> Iterator[ExportRecord]:
    """The entries of ``register_entries`` (same filter and order) as ``ExportRecord``s."""
    columns = [f.attname for f in RegisterEntry._meta.concrete_fields
               if f.name != "recorded_at"]
    names = [*columns, *(f"matter__{name}" for name in MATTER_FIELDS),
             "refusal_notice__symbol"]
    rows = register_entries(commune, flt).values_list(*names).iterator(chunk_size=chunk_size)
    split = len(columns)
    for values in rows:
        record = ExportRecord(**dict(zip(columns, values[:split], strict=True)))
        record.matter = SimpleNamespace(**dict(zip(
            MATTER_FIELDS, values[split:split + len(MATTER_FIELDS)], strict=True)))
        # None without a notice, like the entry's own relation (columns.row_of reads it so).
        record.refusal_notice = (SimpleNamespace(symbol=values[-1])
                                 if record.refusal_notice_id is not None else None)
        yield record


#: The fields ``columns.row_of`` and the register's page and API read.
ENTRY_FIELDS = tuple(f.name for f in RegisterEntry._meta.concrete_fields
                     if f.name != "recorded_at")
MATTER_FIELDS = ("kind", "full_name", "address", "address_ward_code", "id_number",
                 "tracking_code")
