"""What the citizen sees of the follow-up: one plain line on the status lookup, with no names
of bodies or staff."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.workdays.calendar import format_date
from tiepdan.workdays.deadlines import VN_TZ

from .models import ACTIVE_STATUSES, FollowUpTask, MatterClosure, TaskStatus


def follow_up_status_text(matter: Matter) -> str | None:
    """"Đang thực hiện kết luận: 1/3 việc đã xong; hạn gần nhất 20/01/2027." for a matter with
    tasks, the closing line for a closed one; ``None`` otherwise (the plain status applies)."""
    if matter.status == MatterStatus.CLOSED:
        closure = MatterClosure.objects.filter(matter=matter).first()
        if closure is None:
            return None
        return _("Vụ việc đã kết thúc ngày %(date)s; kết quả giải quyết cuối cùng đã được "
                 "thông báo cho ông/bà.") % {
            "date": closure.closed_at.astimezone(VN_TZ).strftime("%d/%m/%Y")}
    counts = (FollowUpTask.objects.filter(matter=matter).exclude(status=TaskStatus.CANCELLED)
              .aggregate(total=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)),
                         next_due=Min("due_date", filter=Q(status__in=ACTIVE_STATUSES))))
    if not counts["total"]:
        return None
    values = {"done": counts["done"], "total": counts["total"]}
    if counts["next_due"] is None:
        return _("Đã thực hiện xong kết luận (%(done)s/%(total)s việc); vụ việc đang chờ kết "
                 "thúc.") % values
    return _("Đang thực hiện kết luận: %(done)s/%(total)s việc đã xong; hạn gần nhất "
             "%(due)s.") % {**values, "due": format_date(counts["next_due"])}
