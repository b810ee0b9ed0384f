"""The commune's list of fields (lĩnh vực) that triage classifies a matter in.

A commune manages its list in the admin; until it has one, the standard list below applies.
A matter classified before the lists keeps its field as written: it stays readable and may be
kept on a new classification, but a new field must come from the list.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tiepdan.core.lists import clean_name, list_key
from tiepdan.core.models import Commune

from ..models import FieldOfLaw

#: The fields the periodic reports are usually broken down by (synthetic seed of a new list).
STANDARD_FIELDS = (
    "Đất đai", "Xây dựng", "Môi trường", "Giao thông", "Nông nghiệp", "Chính sách xã hội",
    "Y tế, giáo dục", "Tư pháp, hộ tịch", "Cán bộ, công chức", "Tài chính, thuế",
    "An ninh, trật tự", "Khác",
)


def field_names(commune: Commune) -> list[str]:
    """The names that may be chosen, in the commune's order."""
    names = list(FieldOfLaw.objects.filter(commune=commune, is_active=True)
                 .order_by("position", "name").values_list("name", flat=True))
    if names or FieldOfLaw.objects.filter(commune=commune).exists():
        return names
    return list(STANDARD_FIELDS)


def field_choices(commune: Commune, current: str = "") -> list[tuple[str, str]]:
    """Choices of the classification form; a matter's field from before the list is kept."""
    names = field_names(commune)
    choices = [("", _("— Chọn lĩnh vực —")), *((name, name) for name in names)]
    if current and list_key(current) not in {list_key(name) for name in names}:
        choices.append((current, _("%(name)s (ghi trước đây)") % {"name": current}))
    return choices


def resolve_field(commune: Commune, value: str, current: str = "") -> str | None:
    """The list's spelling of ``value`` (or the matter's ``current`` field kept as it is);
    None when the value is not in the list."""
    key = list_key(value)
    if not key:
        return None
    for name in field_names(commune):
        if list_key(name) == key:
            return name
    if current and list_key(current) == key:
        return current
    return None


def seed_standard_fields(commune: Commune, names: tuple[str, ...] = STANDARD_FIELDS) -> int:
    """Give ``commune`` a list (the standard one by default); returns how many were added."""
    added = 0
    for position, name in enumerate(names, start=1):
        _row, created = FieldOfLaw.objects.get_or_create(
            commune=commune, name_key=list_key(name),
            defaults={"name": clean_name(name), "position": position})
        added += created
    return added
