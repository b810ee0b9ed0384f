"""Sổ tiếp công dân (Mẫu 03/TCD; Luật Tiếp công dân Đ25 k2, NĐ 154/2026 Đ27): one entry per
matter, written in the same transaction as its triage outcome.

What is kept on the entry and what is read from the matter:

- The columns that record the *handling* (date, summary, kind, number of people, prior agency,
  competence, where the citizen was guided, who accepted or received the forwarded petition,
  the letter numbers, the refusal ground) are a snapshot taken when the outcome is recorded:
  the register is a record of what was decided at the time, and later edits of the matter must
  not rewrite it.
- The *identity* columns (name, address, ID number) are never copied: they are read from the
  matter when the register is shown, so there is one copy of personal data to protect (and to
  encrypt or erase), and they are masked for denunciations (Luật Tố cáo Đ47).
- The follow-up column (theo dõi kết quả) is updated by every later status change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiepdan.core.models import Commune
from tiepdan.documents.models import IssuedDocument
from tiepdan.intake.models import Matter, MatterKind, MatterStatus, RefusalGround


class RegisterSequence(models.Model):
    """The last STT given in a commune's register for a year; locked while the next is taken."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số thứ tự cuối đã ghi"), default=0)

    class Meta:
        verbose_name = _("dãy số thứ tự sổ tiếp công dân")
        verbose_name_plural = _("dãy số thứ tự sổ tiếp công dân")
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="registersequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.year}: {self.last_number}"


class RegisterEntry(models.Model):
    """One line of the Sổ tiếp công dân (the 13 columns of Mẫu 03/TCD)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT,
                                related_name="register_entries")
    matter = models.OneToOneField(Matter, on_delete=models.PROTECT,
                                  related_name="register_entry")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("STT"))  # col. 1
    received_on = models.DateField(_("ngày tiếp"), db_index=True)  # col. 2
    # col. 3–4 (họ tên, địa chỉ; CCCD/hộ chiếu) are read from the matter, see the module doc.
    summary = models.CharField(_("tóm tắt nội dung"), max_length=300)  # col. 5
    kind = models.CharField(_("loại đơn"), max_length=16, choices=MatterKind.choices)  # col. 6
    group_size = models.PositiveIntegerField(_("số người cùng nội dung"), default=1)  # col. 7
    prior_agency = models.CharField(_("cơ quan đã giải quyết"), max_length=255,
                                    blank=True)  # col. 8
    within_competence = models.BooleanField(_("thuộc thẩm quyền"), null=True)  # col. 9
    guided_to = models.CharField(_("hướng dẫn đến"), max_length=255, blank=True)  # col. 10
    guidance_letter = models.CharField(_("số văn bản hướng dẫn"), max_length=60, blank=True)
    handled_by = models.CharField(_("cơ quan thụ lý"), max_length=255, blank=True)  # col. 11
    forwarding_letter = models.CharField(_("số văn bản chuyển đơn"), max_length=60, blank=True)
    outcome = models.CharField(_("hướng xử lý"), max_length=16, choices=MatterStatus.choices,
                               db_index=True)
    follow_up_status = models.CharField(_("theo dõi kết quả"), max_length=16,  # col. 12
                                        choices=MatterStatus.choices)
    follow_up_on = models.DateField(_("ngày cập nhật kết quả"))
    # col. 13 (ghi chú) is composed when shown: a return, filing or refusal, its ground and
    # the number of the refusal notice, in the reader's language.
    refusal_ground = models.CharField(_("lý do từ chối tiếp"), max_length=40,
                                      choices=RefusalGround.choices, blank=True)
    # The refusal notice 01/TCD, once issued (refused matters only).
    refusal_notice = models.OneToOneField(
        IssuedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("thông báo từ chối tiếp (01/TCD)"),
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi sổ"))

    class Meta:
        verbose_name = _("dòng sổ tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")
        ordering = ["commune", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "number"],
                                    name="registerentry_unique_number"),
        ]
        indexes = [models.Index(fields=["commune", "year", "number"])]

    def __str__(self) -> str:
        return f"{self.commune} · {self.year} · {self.number}"

    @property
    def identity_protected(self) -> bool:
        """Denunciations never show the denouncer's identity in the register (Luật Tố cáo Đ47)."""
        return MatterKind.TO_CAO in (self.kind, self.matter.kind)
