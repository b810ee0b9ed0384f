"""Links between matters: a part split from a mixed petition (NĐ 154/2026 Đ14), a duplicate of
another matter, an individual registration merged into a group matter (Luật Tiếp công dân Đ29);
the duplicate suggestions an officer rejected, and the named members of a group matter.

Imported by ``intake.models`` so that Django registers these models with the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class LinkKind(models.TextChoices):
    # The direction of every kind reads "from_matter <kind> to_matter".
    SPLIT_FROM = "split_from", _("Tách từ đơn")
    DUPLICATE_OF = "duplicate_of", _("Trùng với đơn")
    MERGED_INTO = "merged_into", _("Đã gộp vào hồ sơ nhóm")


class MatterLink(models.Model):
    """One link between two matters of the same commune, made by an officer."""

    from_matter = models.ForeignKey("intake.Matter", on_delete=models.CASCADE,
                                    related_name="links_out")
    to_matter = models.ForeignKey("intake.Matter", on_delete=models.CASCADE,
                                  related_name="links_in")
    kind = models.CharField(_("loại liên kết"), max_length=16, choices=LinkKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"))
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("liên kết hồ sơ")
        verbose_name_plural = _("liên kết hồ sơ")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["from_matter", "to_matter", "kind"],
                                    name="matter_link_unique"),
            models.CheckConstraint(condition=~Q(from_matter=F("to_matter")),
                                   name="matter_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_matter_id} {self.kind} {self.to_matter_id}"


class DuplicateDismissal(models.Model):
    """An officer's answer "these two are not duplicates": the pair is not suggested again.
    Stored once per unordered pair (``matter_a`` has the smaller id)."""

    matter_a = models.ForeignKey("intake.Matter", on_delete=models.CASCADE, related_name="+")
    matter_b = models.ForeignKey("intake.Matter", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"))
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("gợi ý trùng đã bỏ qua")
        verbose_name_plural = _("gợi ý trùng đã bỏ qua")
        constraints = [
            models.UniqueConstraint(fields=["matter_a", "matter_b"],
                                    name="duplicate_dismissal_pair"),
            models.CheckConstraint(condition=Q(matter_a__lt=F("matter_b")),
                                   name="duplicate_dismissal_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_a_id} ≠ {self.matter_b_id}"


class GroupMember(models.Model):
    """A named member of a group matter (đoàn đông người), recorded when the member's own
    registration is merged into the group matter."""

    matter = models.ForeignKey("intake.Matter", on_delete=models.CASCADE,
                               related_name="group_members")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True)
    #: How many people the merged registration stood for (its ``group_size``).
    headcount = models.PositiveIntegerField(_("số người"), default=1)
    merged_from = models.ForeignKey(
        "intake.Matter", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("hồ sơ đã gộp"),
    )
    added_at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("thành viên nhóm")
        verbose_name_plural = _("thành viên nhóm")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["merged_from"], name="group_member_merged_once"),
        ]

    def __str__(self) -> str:
        return self.full_name
