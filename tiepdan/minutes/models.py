"""Biên bản (minutes) of a held hearing, in numbered versions, and the chair's conclusions
(kết luận) per matter with their Thông báo kết luận việc tiếp công dân (NĐ 154/2026 Đ25)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiepdan.hearings.models import Hearing
from tiepdan.intake.models import Matter

from .errors import MinutesStateError

if TYPE_CHECKING:
    from tiepdan.documents.models import IssuedDocument


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    FINAL = "final", _("Đã hoàn thành")


class Minutes(models.Model):
    """Biên bản buổi tiếp: drafted from the hearing's data, completed by the office and
    finalised.  A final version never changes; a correction is version n+1."""

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveSmallIntegerField(_("lần lập"), default=1)
    status = models.CharField(_("trạng thái"), max_length=8, choices=MinutesStatus.choices,
                              default=MinutesStatus.DRAFT)
    # Drafted from the data (refreshable while a draft).
    opening = models.TextField(_("thời gian, địa điểm"))
    chair = models.CharField(_("chủ trì"), max_length=255)
    attendance = models.JSONField(_("điểm cầu và thành phần tham dự"), default=list)
    matters = models.JSONField(_("vụ việc được tiếp"), default=list)
    timeline = models.JSONField(_("diễn biến theo bản ghi hình"), default=list)
    # Written by the officer.
    proceedings = models.TextField(_("diễn biến buổi tiếp"), blank=True)
    citizen_opinions = models.TextField(_("ý kiến của công dân"), blank=True)
    chair_conclusion = models.TextField(_("kết luận của người chủ trì"), blank=True)
    chair_name = models.CharField(_("người chủ trì ký"), max_length=120, blank=True)
    secretary_name = models.CharField(_("người ghi biên bản"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    document = models.OneToOneField("documents.IssuedDocument", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="minutes_link")

    class Meta:
        verbose_name = _("biên bản buổi tiếp")
        verbose_name_plural = _("biên bản buổi tiếp")
        ordering = ["hearing", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "version"], name="minutes_version_once"),
            models.UniqueConstraint(fields=["hearing"], condition=models.Q(status="draft"),
                                    name="minutes_one_draft_per_hearing"),
        ]

    def __str__(self) -> str:
        return f"{self.hearing} · biên bản lần {self.version}"

    def save(self, *args, **kwargs) -> None:
        # A finalised version is immutable, whoever calls save(): a correction is a new version.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == MinutesStatus.FINAL:
                raise MinutesStateError(
                    _("Biên bản đã hoàn thành, không thể sửa; hãy lập phiên bản sửa đổi."),
                    code="minutes_final")
        super().save(*args, **kwargs)

    @property
    def is_final(self) -> bool:
        return self.status == MinutesStatus.FINAL

    def issued_document(self) -> IssuedDocument:
        """The Biên bản (BB) of this version, for code reached only once it is issued (a
        confirmation link, the confirmations sheet)."""
        if self.document is None:
            raise ValueError(f"minutes {self.pk} have no issued document yet")
        return self.document


class Outcome(models.TextChoices):
    """Hướng xử lý the chair concludes for one matter (NĐ 154/2026 Đ25; Luật Tiếp công dân
    Đ26)."""

    RESOLVED = "resolved", _("Trả lời, giải quyết ngay tại buổi tiếp")
    ASSIGNED = "assigned", _("Giao cơ quan, đơn vị xem xét, giải quyết")
    GUIDED = "guided", _("Hướng dẫn công dân gửi đơn đến cơ quan có thẩm quyền")
    EXPLAINED = "explained", _("Giải thích, đề nghị công dân chấp hành")
    OTHER = "other", _("Hướng xử lý khác")


class Conclusion(models.Model):
    """Ý kiến chỉ đạo, kết luận of the chair on one matter heard at one hearing."""

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="conclusions")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="conclusions")
    outcome = models.CharField(_("hướng xử lý"), max_length=12, choices=Outcome.choices)
    directions = models.TextField(_("ý kiến chỉ đạo, kết luận"))
    # [{"name": "Công an xã", "email": "ca@example.org"}, …]
    responsible_bodies = models.JSONField(_("cơ quan, đơn vị chịu trách nhiệm"), default=list,
                                          blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("thời hạn (ngày làm việc)"), null=True, blank=True)
    due_date = models.DateField(_("hạn chót"), null=True, blank=True, db_index=True)
    deadline_explanation = models.TextField(_("cách tính thời hạn"), blank=True)
    contact_person = models.CharField(_("đầu mối liên hệ"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    notice = models.OneToOneField("documents.IssuedDocument", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="conclusion_link")
    # Set once the notice is issued, the matter concluded and the notice sent.
    notice_issued_at = models.DateTimeField(null=True, blank=True)
    notice_issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+")

    #: How many follow-up tasks issuing the notice created: set by
    #: ``conclusions.issue_conclusion_notice`` on the instance it returns, not stored.
    follow_up_created: int = 0

    class Meta:
        verbose_name = _("kết luận buổi tiếp")
        verbose_name_plural = _("kết luận buổi tiếp")
        ordering = ["hearing", "id"]
        constraints = [models.UniqueConstraint(fields=["hearing", "matter"],
                                               name="one_conclusion_per_matter_and_hearing")]

    def __str__(self) -> str:
        return f"{self.hearing_id} · {self.matter}"

    def issued_notice(self) -> IssuedDocument:
        """The Thông báo kết luận (TB), for code reached only once it is issued."""
        if self.notice is None:
            raise ValueError(f"conclusion {self.pk} has no issued notice yet")
        return self.notice

    @property
    def body_names(self) -> list[str]:
        return [body["name"] for body in self.responsible_bodies]


class ConfirmationRequest(models.Model):
    """One person asked to confirm one final Biên bản: the citizen of a matter on the hearing's
    agenda, or one representative of a group matter (Luật Tiếp công dân Đ29).  The phone is
    never stored: the one-time code goes to the phone on the matter (the sealed contact of a
    sealed denouncer), read when the code is sent.  ``label`` is how staff see the person;
    for a sealed denouncer it names nobody."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT,
                                related_name="confirmation_requests")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="+")
    #: "matter:<id>" (the petitioner) or "rep:<id>" (a group's representative).
    participant_ref = models.CharField(_("người được mời xác nhận"), max_length=32)
    sealed = models.BooleanField(_("danh tính được giữ bí mật"), default=False)
    label = models.CharField(_("tên hiển thị"), max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)
    # The one-time code in force (HMAC of the code, never the code), its expiry and tries.
    code_digest = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    codes_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("yêu cầu công dân xác nhận biên bản")
        verbose_name_plural = _("yêu cầu công dân xác nhận biên bản")
        ordering = ["minutes", "id"]
        constraints = [models.UniqueConstraint(fields=["minutes", "participant_ref"],
                                               name="one_confirmation_request_per_person")]

    def __str__(self) -> str:
        return f"{self.minutes} · {self.participant_ref}"


class ConfirmationKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Xác nhận nội dung biên bản")
    DISAGREED = "disagreed", _("Không đồng ý với nội dung biên bản")


class MinutesConfirmation(models.Model):
    """Xác nhận của công dân: what one person answered, once, with the proof of it — when, the
    HMAC digest of the phone the code reached, and the SHA-256 of the very PDF they read."""

    request = models.OneToOneField(ConfirmationRequest, on_delete=models.PROTECT,
                                   related_name="response")
    kind = models.CharField(_("ý kiến"), max_length=10, choices=ConfirmationKind.choices)
    responded_at = models.DateTimeField(_("thời điểm"))
    phone_digest = models.CharField(_("dấu vết số điện thoại (HMAC)"), max_length=64)
    document_sha256 = models.CharField(_("SHA-256 của bản biên bản đã đọc"), max_length=64)
    disagreement = models.TextField(_("nội dung không đồng ý"), blank=True)

    class Meta:
        verbose_name = _("xác nhận biên bản của công dân")
        verbose_name_plural = _("xác nhận biên bản của công dân")
        ordering = ["responded_at", "id"]

    def __str__(self) -> str:
        return f"{self.request} · {self.kind}"
