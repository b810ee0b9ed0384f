"""Who signs a document and in what capacity (NĐ 30/2020 Đ13, Phụ lục I mục II.8): the one place
documents take a signer's name and signature lines from.

The Chairman signs for the People's Committee ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"); a
Vice-Chairman signs on the Chairman's behalf ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"), as the Lạc
Phượng plan is signed.  The name is the person's full name as written, "Họ đệm Tên".
"""

from __future__ import annotations

from typing import Any

from tiepdan.core.access import roles_of
from tiepdan.core.models import Commune, Role
from tiepdan.core.names import full_name

from .layout import Signer


def signer_for_user(user: Any, commune: Commune, name: str = "") -> Signer:
    """The signature block of ``user`` signing in ``commune`` (``name`` overrides the name
    written, e.g. the one the minutes recorded)."""
    written = name or full_name(user)
    if Role.CHAIRMAN in roles_of(user, commune):
        return Signer.chair(written)
    return Signer.vice_chair(written)
