"""Every outgoing message has a delivery record: queued → sent, or failed (with the reason)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiepdan.core.models import Commune


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZNS = "zns", _("Tin nhắn Zalo (ZNS)")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi thất bại")


class Delivery(models.Model):
    """One message to one recipient."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body_text = models.TextField(_("nội dung"))
    body_html = models.TextField(blank=True)
    # ZNS: the approved template and its parameters; body_text keeps the SMS text to fall back to.
    template_id = models.CharField(max_length=64, blank=True)
    params = models.JSONField(default=dict, blank=True)
    fallback_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="fallbacks")
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=128, blank=True)
    purpose = models.CharField(_("mục đích"), max_length=64)  # e.g. "intake.receipt"
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    office_alerted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("lượt gửi thông báo")
        verbose_name_plural = _("lượt gửi thông báo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"
