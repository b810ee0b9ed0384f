"""``{% form_field form.x help=_("…") %}``: one form field as the GOV.UK Design System draws
it — label (or legend for a group of choices), hint, error message, control — with the hint
and the error tied to the control by ``aria-describedby`` so a screen reader reads them with
the field, and ``aria-invalid`` on a field in error.

Ids follow Django's own: ``<auto_id>_helptext`` for the hint, ``<auto_id>_error`` for the
error; the wrapper is ``f-<name>``, the target of the error summary's links.  Required fields
are marked "*" (read as "bắt buộc") unless ``mark_required=False`` (short staff forms where
every field is required).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()

#: Widgets drawn as a group of choices inside a <fieldset> with a <legend>.
GROUP_WIDGETS = {"radioselect", "checkboxselectmultiple"}


def described_by(field: BoundField, help_text: str = "") -> str:
    """The ids that describe ``field``: its hint (if any), then its error (if any)."""
    ids = []
    if help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.inclusion_tag("core/_form_field.html")
def form_field(
    field: BoundField,
    help: str = "",
    checkbox: bool = False,  # noqa: A002
    radio: bool = False,
    mark_required: bool = True,
) -> dict[str, Any]:
    help_text = str(help or field.help_text or "")
    widget = field.widget_type
    group = radio or widget in GROUP_WIDGETS
    single_checkbox = checkbox or (widget == "checkbox" and not group)
    describedby = described_by(field, help_text)
    attrs: dict[str, str | bool] = {}
    own = field.field.widget.attrs.get("aria-describedby", "")
    if describedby and not group:
        attrs["aria-describedby"] = f"{own} {describedby}".strip()
    if field.errors:
        attrs["aria-invalid"] = "true"
    return {
        "field": field,
        "help": help_text,
        "group": group,
        "checkbox": single_checkbox,
        "required": mark_required and field.field.required,
        "describedby": describedby,
        "control": field.as_widget(attrs=attrs),
    }
