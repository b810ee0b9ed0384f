"""Calendar overrides and the table of named deadline rules."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiepdan.workdays.calendar import Override, OverrideKind, find_conflicts, format_date
from tiepdan.workdays.deadlines import Direction, Rule, Unit


class OverrideKindChoice(models.TextChoices):
    DAY_OFF = OverrideKind.DAY_OFF.value, _("Ngày nghỉ")
    WORKING_DAY = OverrideKind.WORKING_DAY.value, _("Ngày làm việc (làm bù)")
    REMOVE_HOLIDAY = OverrideKind.REMOVE_HOLIDAY.value, _("Bỏ ngày lễ của lịch gốc")


class UnitChoice(models.TextChoices):
    WORKING_DAYS = Unit.WORKING_DAYS.value, _("ngày làm việc")
    CALENDAR_DAYS = Unit.CALENDAR_DAYS.value, _("ngày")
    HOURS = Unit.HOURS.value, _("giờ")


class DirectionChoice(models.TextChoices):
    FORWARD = Direction.FORWARD.value, _("sau mốc (trong thời hạn)")
    BACKWARD = Direction.BACKWARD.value, _("trước mốc (chậm nhất)")


class CalendarOverride(models.Model):
    """A correction of the baseline calendar: a swapped day off, a make-up Saturday…"""

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=20, choices=OverrideKindChoice.choices)
    name = models.CharField(_("tên"), max_length=200)
    legal_reference = models.CharField(
        _("căn cứ pháp lý"), max_length=255, help_text=_("Ví dụ: Thông báo 9441/TB-BNV")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm sửa"), auto_now=True)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["date", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["date", "kind"], name="workdays_override_date_kind"),
        ]

    def __str__(self) -> str:
        return f"{format_date(self.date)}: {self.get_kind_display()} ({self.name})"

    def as_override(self) -> Override:
        return Override(self.date, OverrideKind(self.kind), self.name, self.legal_reference)

    def clean(self) -> None:
        super().clean()
        if self.date is None or not self.kind:
            return
        others = CalendarOverride.objects.filter(date=self.date).exclude(pk=self.pk)
        if find_conflicts([*(o.as_override() for o in others), self.as_override()]):
            raise ValidationError({"kind": contradiction_message(self.date)})


def contradiction_message(day: dt.date) -> str:
    return str(
        _("Ngày %(day)s không thể vừa là ngày nghỉ vừa là ngày làm việc.")
        % {"day": format_date(day)}
    )


class DeadlineRule(models.Model):
    """One named deadline of the catalogue (domain brief §7) with its legal source."""

    key = models.SlugField(_("mã"), max_length=64, unique=True)
    label_vi = models.CharField(_("tên thời hạn"), max_length=200)
    amount = models.PositiveSmallIntegerField(_("số lượng"))
    unit = models.CharField(_("đơn vị"), max_length=20, choices=UnitChoice.choices)
    direction = models.CharField(_("chiều tính"), max_length=10, choices=DirectionChoice.choices)
    legal_source = models.CharField(_("căn cứ pháp lý"), max_length=255)

    class Meta:
        verbose_name = _("thời hạn")
        verbose_name_plural = _("thời hạn")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.label_vi}: {self.amount:02d} {self.get_unit_display()}"

    def as_rule(self) -> Rule:
        return Rule(self.amount, Unit(self.unit), Direction(self.direction), self.legal_source)
