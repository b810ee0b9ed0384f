"""Follow-up of conclusions (theo dõi thực hiện kết luận): the bodies that carry out a
conclusion, their tasks with a due date from the deadline engine, progress updates, and the
result with which a matter is closed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiepdan.core.lists import check_unique_name, clean_name, list_key
from tiepdan.core.models import Commune
from tiepdan.intake.models import Matter


class Body(models.Model):
    """Cơ quan, đơn vị: a commune department (e.g. "Công chức Địa chính – Xây dựng") or a
    city body that is given follow-up tasks; ``members`` are the staff who act for it."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=200)
    # Same for every spelling of one name (core.lists.list_key: "- Xây dựng" = "– Xây dựng"):
    # one body per commune, however its name is typed.
    name_key = models.CharField(max_length=200, editable=False, default="")
    email = models.EmailField(_("thư điện tử"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="followup_bodies",
        verbose_name=_("cán bộ đại diện"),
        help_text=_("Cán bộ có vai trò đại diện phòng chuyên môn ở xã này, được cập nhật "
                    "tiến độ các việc giao cho đơn vị."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name_key"],
                                    name="followup_body_name_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name, self.name_key = clean_name(self.name), list_key(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        check_unique_name(self, gettext("Xã đã có cơ quan, đơn vị “%(name)s”."))


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


#: Statuses of a task still to be carried out.
ACTIVE_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class FollowUpTask(models.Model):
    """One task that carries out a conclusion, owned by one body, with a due date."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="follow_up_tasks")
    #: "overdue", "due_soon" or "": set by the pages for display (``services.mark``), not stored.
    mark: str = ""
    # The conclusion it comes from (minutes app; becomes a foreign key once that app exists).
    conclusion_id = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    title = models.CharField(_("nội dung công việc"), max_length=300)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="tasks",
                             verbose_name=_("cơ quan, đơn vị thực hiện"))
    due_date = models.DateField(_("hạn xử lý"), db_index=True)
    # Set when the due date was counted in working days from ``due_from`` (recomputed when the
    # calendar changes); empty when a date was given.
    due_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    due_from = models.DateField(null=True, blank=True)
    due_explanation = models.TextField(_("cách tính hạn"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN, db_index=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("thời điểm giao"), auto_now_add=True)
    done_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    result = models.TextField(_("kết quả"), blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    # The due date last reminded of: a changed due date re-arms the reminder.
    reminded_for = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(_("thời điểm báo quá hạn"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc theo dõi")
        verbose_name_plural = _("việc theo dõi")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.title} · {self.body} · {self.due_date:%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class TaskUpdate(models.Model):
    """A progress report of a task by its body (or by the office)."""

    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("người cập nhật"))
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    text = models.TextField(_("nội dung cập nhật"))
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"))

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.progress}%"


def _update_file_path(instance: UpdateAttachment, filename: str) -> str:
    # A random name: the uploaded file name is kept only as metadata.
    return f"followup/{instance.update.task.body.commune_id}/{uuid.uuid4().hex}"


class UpdateAttachment(models.Model):
    """A file attached to a progress update (checked by content like a citizen's documents)."""

    update = models.ForeignKey(TaskUpdate, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_update_file_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField(_("số trang"), default=1)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tệp kèm theo cập nhật")
        verbose_name_plural = _("tệp kèm theo cập nhật")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class MatterClosure(models.Model):
    """The final result with which a matter was closed after its conclusion was carried out."""

    matter = models.OneToOneField(Matter, on_delete=models.PROTECT, primary_key=True,
                                  related_name="closure")
    result = models.TextField(_("kết quả giải quyết"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("thời điểm kết thúc"))

    class Meta:
        verbose_name = _("kết thúc vụ việc")
        verbose_name_plural = _("kết thúc vụ việc")

    def __str__(self) -> str:
        return f"{self.matter_id} · {self.closed_at:%d/%m/%Y}"
