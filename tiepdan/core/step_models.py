"""The table behind durable steps (``core.durable``): one row per business step that runs after
a commit, with its state, its attempts and its last error."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepState(models.TextChoices):
    PENDING = "pending", _("Đang chờ chạy")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã hoàn thành")
    FAILED = "failed", _("Thất bại")


class DurableStep(models.Model):
    """Bước nghiệp vụ chạy nền: identified by its key, so scheduling it twice runs it once."""

    key = models.CharField(_("khóa"), max_length=200, unique=True)
    kind = models.CharField(_("loại bước"), max_length=64)
    label = models.CharField(_("mô tả"), max_length=255)
    args = models.JSONField(default=dict)
    commune = models.ForeignKey("core.Commune", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    state = models.CharField(_("trạng thái"), max_length=8, choices=StepState.choices,
                             default=StepState.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    office_alerted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("bước xử lý nền")
        verbose_name_plural = _("bước xử lý nền")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["commune", "state"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"
