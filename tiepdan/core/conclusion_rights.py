"""Who may record a hearing's conclusions and who may assign follow-up tasks: the one place
the minutes and follow-up apps ask (Luật Tiếp công dân Đ15 k3; NĐ 154/2026 Đ25).

The chair of a hearing — the Chairman or a Vice-Chairman (Phó Chủ tịch) — concludes, and the
office writes the conclusion down for them.  The tasks a conclusion gives to bodies are part of
that conclusion: whoever may record it may have its tasks created, so a Vice-Chairman who chairs
concludes and assigns in one step, although assigning tasks of every body at other times (and
closing matters) stays with the office and the Chairman.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from .access import Perm, has_perm
from .models import Commune


def may_conclude(user: User | AnonymousUser, commune: Commune) -> bool:
    """Ghi kết luận, ban hành thông báo kết luận: the office, the Chairman, Vice-Chairmen."""
    return has_perm(user, Perm.PLAN_HEARING, commune) or has_perm(
        user, Perm.DECIDE_HEARING, commune)


def may_assign_tasks(user: User | AnonymousUser, commune: Commune) -> bool:
    """Giao, hủy, đổi hạn việc của mọi cơ quan; kết thúc vụ việc: the office and the Chairman."""
    return has_perm(user, Perm.ASSIGN_FOLLOW_UP, commune)


def may_assign_conclusion_tasks(user: User | AnonymousUser, commune: Commune) -> bool:
    """The tasks of a conclusion being issued: whoever may issue it, or assign tasks anyway."""
    return may_assign_tasks(user, commune) or may_conclude(user, commune)
