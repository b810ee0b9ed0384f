"""Messages of the follow-up: to the office when every task of a matter is finished, and to the
citizen when the outcome is final.  Queued in the caller's transaction, sent after commit."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from tiepdan.core.models import Commune, Role
from tiepdan.core.public_urls import absolute_reverse
from tiepdan.intake.identity import sealing as protection
from tiepdan.intake.identity.redaction import redact
from tiepdan.intake.models import Matter
from tiepdan.intake.status import status_short_url
from tiepdan.notify import sms_templates
from tiepdan.notify.services import office_emails, queue_email, queue_template_sms
from tiepdan.workdays.deadlines import VN_TZ

from .models import ACTIVE_STATUSES, Body, FollowUpTask, MatterClosure, TaskStatus


def task_url(task: FollowUpTask) -> str:
    return absolute_reverse("followup:task", args=[task.body.commune.ward_code, task.pk])


def body_emails(body: Body) -> list[str]:
    """The body's own address and those of its active members."""
    emails = set(body.members.filter(is_active=True).exclude(email="")
                 .values_list("email", flat=True))
    if body.email:
        emails.add(body.email)
    return sorted(emails)


def chairman_emails(commune: Commune) -> list[str]:
    return sorted(set(get_user_model().objects.filter(
        staff_roles__commune=commune, staff_roles__role=Role.CHAIRMAN, is_active=True,
    ).exclude(email="").values_list("email", flat=True)))


def tell_office_all_done(matter: Matter) -> int:
    """When the last task of a matter is finished, the office may close the matter."""
    tasks = FollowUpTask.objects.filter(matter=matter)
    if tasks.filter(status__in=ACTIVE_STATUSES).exists():
        return 0
    if not tasks.filter(status=TaskStatus.DONE).exists():
        return 0
    commune = matter.commune
    url = absolute_reverse("intake:matter", args=[commune.ward_code, matter.pk])
    with translation.override("vi"):
        subject = _("[Tiếp Dân] Hồ sơ %(code)s: mọi việc theo dõi đã xong") % {
            "code": matter.tracking_code}
        text = _("Mọi việc thực hiện kết luận của hồ sơ %(code)s đã hoàn thành hoặc đã hủy. "
                 "Văn phòng kiểm tra kết quả và kết thúc vụ việc, thông báo cho công dân.\n"
                 "%(url)s") % {"code": matter.tracking_code, "url": url}
    sent = 0
    for email in office_emails(commune):
        queue_email(commune=commune, to=email, subject=subject, text=text,
                    purpose="followup.all_done", obj=matter)
        sent += 1
    return sent


def tell_citizen_final(matter: Matter, closure: MatterClosure) -> None:
    """Luật Tiếp công dân Đ28: the citizen learns the final outcome.  SMS always (the phone
    is required), e-mail when they gave one.  A sealed denouncer's contact comes from the
    sealed copy, the message names nobody and the result is stripped of their identity."""
    phone, email, name, result = matter.phone, matter.email, matter.full_name, closure.result
    if matter.identity_sealed:
        identity = protection.open_sealed(matter)
        phone, email, name = identity.phone, identity.email, ""
        result = redact(result, identity.pattern())
    commune = matter.commune
    with translation.override("vi"):
        lookup = absolute_reverse("intake:lookup")
        values = {"committee": commune.committee_name, "code": matter.tracking_code,
                  "date": closure.closed_at.astimezone(VN_TZ).strftime("%d/%m/%Y"),
                  "url": lookup}
        subject = _("Vụ việc %(code)s đã có kết quả giải quyết cuối cùng") % values
        lines = [
            commune.committee_name, "",
            (_("Kính gửi ông/bà %(name)s,") % {"name": name}) if name else _("Kính gửi ông/bà,"),
            "",
            _("Vụ việc %(code)s của ông/bà đã được thực hiện xong theo kết luận. Kết quả dưới "
              "đây là kết quả giải quyết cuối cùng và vụ việc được kết thúc ngày %(date)s.")
            % values, "",
            _("Kết quả: %(result)s") % {"result": result}, "",
            _("Ông/bà tra cứu trạng thái hồ sơ bằng mã hồ sơ và số điện thoại đã khai tại "
              "%(url)s.") % values,
        ]
    queue_template_sms(sms_templates.FINAL_OUTCOME, commune=commune, to=phone,
                       link=status_short_url(matter), obj=matter, code=matter.tracking_code,
                       date=values["date"])
    if email:
        queue_email(commune=commune, to=email, subject=subject,
                    text="\n".join(str(line) for line in lines),
                    purpose="followup.final_outcome", obj=matter)
