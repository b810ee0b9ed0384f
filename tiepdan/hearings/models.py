"""Selection of matters for online reception, the reception schedule, hearings, their bridge
points, participants and preparation milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiepdan.core.models import Commune
from tiepdan.intake.models import Matter


class OnlineGround(models.TextChoices):
    """Quy chế An Lão Điều 4.1: when the Chairman may decide on online reception."""

    COMPLEX = "a", _("a) Phức tạp, kéo dài, cần phối hợp nhiều cơ quan hoặc đối thoại trực tiếp")
    REMOTE_OR_VULNERABLE = "b", _("b) Ở xa, đi lại khó khăn, chính sách, già yếu, khuyết tật")
    EMERGENCY = "c", _("c) Thiên tai, dịch bệnh, lý do an ninh trật tự")
    DENUNCIATION_NO_PROTECTION = "d", _("d) Tố cáo phức tạp, không yêu cầu bảo vệ danh tính")
    MASS_CASE = "dd", _("đ) Đông người, phức tạp, kéo dài, cần cơ quan thành phố phối hợp")
    OTHER = "e", _("e) Vụ việc khác do Chủ tịch UBND xã quyết định")


class SelectionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đề xuất")
    APPROVED = "approved", _("Chủ tịch đồng ý")
    REJECTED = "rejected", _("Chủ tịch không đồng ý")


class OnlineSelection(models.Model):
    """The office's proposal to hear a matter online, and the Chairman's decision."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="online_selections")
    ground = models.CharField(_("căn cứ Điều 4.1"), max_length=2, choices=OnlineGround.choices)
    note = models.TextField(_("ghi chú đề xuất"), blank=True)
    status = models.CharField(max_length=10, choices=SelectionStatus.choices,
                              default=SelectionStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("lý do quyết định"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [models.UniqueConstraint(
            fields=["matter"], condition=models.Q(status="proposed"),
            name="one_pending_selection_per_matter")]

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_status_display()}"


class ReceptionKind(models.TextChoices):
    PERIODIC = "periodic", _("Định kỳ")
    AD_HOC = "ad_hoc", _("Đột xuất")


class HearingStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    CONFIRMED = "confirmed", _("Đã chốt, đã thông báo")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Đã hủy")


class Hearing(models.Model):
    """Buổi tiếp công dân (trực tuyến) chaired by the Chairman at the central bridge point."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="hearings")
    kind = models.CharField(_("loại"), max_length=10, choices=ReceptionKind.choices,
                            default=ReceptionKind.PERIODIC)
    starts_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    ends_at = models.DateTimeField(_("kết thúc"))
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="chaired_hearings", verbose_name=_("chủ trì"))
    title = models.CharField(_("nội dung"), max_length=255)
    city_leaders_attend = models.BooleanField(_("có lãnh đạo thành phố dự"), default=False)
    status = models.CharField(max_length=10, choices=HearingStatus.choices,
                              default=HearingStatus.DRAFT, db_index=True)
    published = models.BooleanField(_("công khai lịch"), default=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    late_override_reason = models.TextField(_("lý do chốt muộn"), blank=True)
    cancelled_reason = models.TextField(blank=True)
    held_at = models.DateTimeField(_("thời điểm kết thúc buổi tiếp"), null=True, blank=True)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    # When it really began (held_at: when it really ended); the minutes use both.
    actual_started_at = models.DateTimeField(_("thời điểm bắt đầu thực tế"), null=True,
                                             blank=True)
    version = models.PositiveIntegerField(default=1)  # bumped on every reschedule
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d/%m/%Y %H:%M})"

    @property
    def central_point(self) -> BridgePoint | None:
        return self.bridge_points.filter(is_central=True).first()


class HearingMatter(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="agenda")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="hearing_items")
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["hearing", "matter"],
                                               name="matter_once_per_hearing")]

    def __str__(self) -> str:
        return f"{self.position}. {self.matter}"


class PointKind(models.TextChoices):
    COMMUNE_HALL = "commune_hall", _("Trụ sở UBND xã")
    CITY_COMMITTEE = "city_committee", _("UBND thành phố")
    DEPARTMENT = "department", _("Sở, ngành, đơn vị")
    INSPECTORATE = "inspectorate", _("Thanh tra Chính phủ / Ban Tiếp công dân Trung ương")
    CITIZEN = "citizen", _("Điểm cầu của công dân")
    OTHER = "other", _("Khác")


class BridgePoint(models.Model):
    """Điểm cầu: one site that joins a hearing; exactly one is the central point."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="bridge_points")
    kind = models.CharField(_("loại điểm cầu"), max_length=16, choices=PointKind.choices)
    is_central = models.BooleanField(_("điểm cầu trung tâm"), default=False)
    name = models.CharField(_("tên điểm cầu"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=255)
    responsible_person = models.CharField(_("người phụ trách"), max_length=120)
    technical_contact_name = models.CharField(_("cán bộ kỹ thuật"), max_length=120)
    technical_contact_phone = models.CharField(_("điện thoại kỹ thuật"), max_length=16)
    technical_contact_email = models.EmailField(_("thư điện tử kỹ thuật"), blank=True)
    # The staff members picked for the two roles (the text columns above keep their names as
    # written at the time, for the documents); empty on points planned before the pickers.
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("cán bộ phụ trách"))
    technical_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("cán bộ kỹ thuật được chọn"))

    class Meta:
        ordering = ["-is_central", "id"]
        constraints = [models.UniqueConstraint(
            fields=["hearing"], condition=models.Q(is_central=True), name="one_central_point")]

    def __str__(self) -> str:
        return self.name


class Attendance(models.TextChoices):
    PENDING = "pending", _("Chưa xác nhận")
    CONFIRMED = "confirmed", _("Xác nhận tham dự")
    DECLINED = "declined", _("Không tham dự")
    SUBSTITUTED = "substituted", _("Cử người thay")


class Participant(models.Model):
    """Thành phần tham gia at a bridge point (Quy chế Điều 6.1.c)."""

    bridge_point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE,
                                     related_name="participants")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    organisation = models.CharField(_("cơ quan, đơn vị"), max_length=200, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=16, blank=True)
    is_citizen = models.BooleanField(_("là công dân có đơn"), default=False)
    matter = models.ForeignKey(Matter, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    # The staff member picked (empty for the matter's people and for outside guests).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    # Where the person was picked from: "staff:<user>", "matter:<matter>" (the petitioner),
    # "rep:<representative>"; empty for free entry. One person is added to a hearing once.
    source_key = models.CharField(max_length=32, blank=True, db_index=True)
    attendance = models.CharField(max_length=12, choices=Attendance.choices,
                                  default=Attendance.PENDING)
    substitute_name = models.CharField(_("người thay"), max_length=120, blank=True)
    substitute_position = models.CharField(max_length=120, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    # The hearing start a reminder was sent for: a rescheduled hearing gets fresh reminders and
    # a reminder for the old date can never go out.
    reminded_3d_for = models.DateTimeField(null=True, blank=True)
    reminded_1d_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


class MilestoneStatus(models.TextChoices):
    OPEN = "open", _("Chưa hoàn thành")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Không còn áp dụng")


class Milestone(models.Model):
    """One step of a hearing's legal timeline (notify, invite, test, connect ...)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=32)
    owner_role = models.CharField(_("người chịu trách nhiệm"), max_length=32)
    due_date = models.DateField(_("hạn (ngày)"))
    due_at = models.DateTimeField(_("hạn chót"), db_index=True)
    has_time = models.BooleanField(default=False)
    explanation = models.TextField(_("cách tính"))
    status = models.CharField(max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.OPEN, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    evidence = models.TextField(_("minh chứng"), blank=True)
    reminded_for = models.DateTimeField(null=True, blank=True)  # the due_at last reminded
    hearing_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["hearing", "key"],
                                               name="milestone_once_per_hearing")]

    def __str__(self) -> str:
        return f"{self.key} · {self.due_at:%d/%m/%Y %H:%M}"


class HearingDocumentPurpose(models.TextChoices):
    INVITATION = "invitation", _("Giấy mời")
    SCHEDULE_NOTICE = "schedule_notice", _("Thông báo lịch tiếp công dân")
    CITY_REPORT = "city_report", _("Báo cáo UBND thành phố")


class HearingDocument(models.Model):
    """A document issued for one version of a hearing (a reschedule issues new ones)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="documents")
    purpose = models.CharField(_("loại"), max_length=20, choices=HearingDocumentPurpose.choices)
    document = models.OneToOneField("documents.IssuedDocument", on_delete=models.PROTECT,
                                    related_name="hearing_link")
    hearing_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hearing", "id"]
        constraints = [models.UniqueConstraint(fields=["hearing", "purpose", "hearing_version"],
                                               name="one_document_per_purpose_and_version")]

    def __str__(self) -> str:
        return f"{self.hearing_id} · {self.purpose} · {self.document_id}"


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Lập lịch")
    RESCHEDULED = "rescheduled", _("Dời lịch")
    CONFIRMED = "confirmed", _("Chốt lịch")
    CANCELLED = "cancelled", _("Hủy buổi tiếp")
    HELD = "held", _("Ghi nhận đã kết thúc")


class HearingChange(models.Model):
    """One step of a hearing's history: who set or moved its time, confirmed, cancelled or
    recorded it as held, when, why, and which legal periods the new time broke (a late
    date needs the Chairman's decision)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=12, choices=ChangeKind.choices)
    version = models.PositiveIntegerField()  # the hearing's version after the change
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    reason = models.TextField(_("lý do"), blank=True)
    previous_starts_at = models.DateTimeField(null=True, blank=True)
    previous_ends_at = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # [{"key", "label", "due"}]: the legal periods already past for this time.
    late_periods = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.hearing_id} v{self.version} {self.kind}"
