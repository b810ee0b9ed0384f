"""Matters (vụ việc) registered by citizens, their representatives and attached documents."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiepdan.core.lists import check_unique_name, clean_name, list_key
from tiepdan.core.models import Commune

from ..digests import citizen_digests
from ..search import matter_search_text

# Links between matters (split, duplicate, merged into a group) live in their own module.
from .links import DuplicateDismissal, GroupMember, LinkKind, MatterLink  # noqa: F401


class MatterKind(models.TextChoices):
    KHIEU_NAI = "khieu_nai", _("Khiếu nại")
    TO_CAO = "to_cao", _("Tố cáo")
    KIEN_NGHI = "kien_nghi", _("Kiến nghị")
    PHAN_ANH = "phan_anh", _("Phản ánh")


class IdType(models.TextChoices):
    CCCD = "cccd", _("Căn cước công dân / Thẻ căn cước")
    CAN_CUOC_CERT = "can_cuoc_cert", _("Giấy chứng nhận căn cước")
    PERSONAL_ID = "personal_id", _("Số định danh cá nhân")
    PASSPORT = "passport", _("Hộ chiếu")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class OnlineReason(models.TextChoices):
    FAR_AWAY = "far_away", _("Ở xa, đi lại khó khăn")
    ELDERLY = "elderly", _("Người cao tuổi, già yếu")
    DISABLED = "disabled", _("Người khuyết tật")
    POLICY_BENEFICIARY = "policy_beneficiary", _("Thuộc đối tượng chính sách")
    OTHER = "other", _("Lý do khác")


class JoinPoint(models.TextChoices):
    COMMUNE_HALL = "commune_hall", _("Tại điểm cầu trụ sở UBND xã")
    OTHER_POINT = "other_point", _("Tại điểm cầu khác")


class Channel(models.TextChoices):
    ONLINE_FORM = "online_form", _("Cổng đăng ký trực tuyến")
    API = "api", _("Ứng dụng kết nối (API)")
    ASSISTED = "assisted", _("Cán bộ tiếp nhận hộ (trực tiếp)")


class MatterStatus(models.TextChoices):
    """The life of a matter; transitions are governed by the triage state machine."""

    NEW = "new", _("Mới tiếp nhận")
    TRIAGED = "triaged", _("Đã phân loại")
    ACCEPTED = "accepted", _("Đã thụ lý")
    GUIDED = "guided", _("Đã hướng dẫn")
    FORWARDED = "forwarded", _("Đã chuyển đơn")
    RETURNED = "returned", _("Đã trả lại đơn")
    FILED = "filed", _("Lưu đơn")
    REFUSED = "refused", _("Từ chối tiếp")
    SCHEDULED = "scheduled", _("Đã xếp lịch tiếp")
    HEARD = "heard", _("Đã tiếp")
    CONCLUDED = "concluded", _("Đã có kết luận")
    CLOSED = "closed", _("Đã kết thúc")


class ComplaintRound(models.TextChoices):
    FIRST = "first", _("Khiếu nại lần đầu")
    SECOND = "second", _("Khiếu nại lần hai")


class RefusalGround(models.TextChoices):
    """Căn cứ từ chối tiếp công dân: Luật Tiếp công dân 2013 Đ9 and NĐ 154/2026 Đ4."""

    INTOXICATED = "intoxicated", _(
        "Say do dùng chất kích thích, mắc bệnh tâm thần hoặc bệnh khác làm mất khả năng nhận "
        "thức, điều khiển hành vi (Luật Tiếp công dân Đ9 k1)")
    THREATENING = "threatening", _(
        "Đe dọa, xúc phạm người tiếp công dân, người thi hành công vụ hoặc vi phạm nội quy nơi "
        "tiếp công dân (Luật Tiếp công dân Đ9 k2)")
    PERSISTENT = "persistent", _(
        "Cố tình khiếu nại, tố cáo kéo dài về vụ việc đã giải quyết đúng pháp luật, đã được "
        "kiểm tra, rà soát, thông báo bằng văn bản (Luật Tiếp công dân Đ9 k3)")
    WEAPONS = "weapons", _(
        "Mang theo vũ khí hoặc không chấp hành kiểm tra an ninh (NĐ 154/2026 Đ4)")
    RECORDING = "recording", _(
        "Ghi âm, ghi hình, phát trực tiếp khi đã được yêu cầu không thực hiện (NĐ 154/2026 Đ4)")
    INCITING = "inciting", _("Kích động, gây rối trật tự nơi tiếp công dân (NĐ 154/2026 Đ4)")
    NO_CAPACITY = "no_capacity", _(
        "Không có năng lực hành vi dân sự đầy đủ mà không có người đại diện hợp pháp "
        "(NĐ 154/2026 Đ4)")
    UNPROVEN_REPRESENTATIVE = "unproven_representative", _(
        "Người đại diện, người được ủy quyền không chứng minh được tư cách (NĐ 154/2026 Đ4)")
    OUT_OF_SCOPE = "out_of_scope", _(
        "Nội dung không thuộc phạm vi tiếp công dân (NĐ 154/2026 Đ4)")
    REPEAT_NO_NEW_FACTS = "repeat_no_new_facts", _(
        "Kiến nghị, phản ánh lặp lại, không có tình tiết mới sau khi đã được trả lời bằng văn "
        "bản đúng pháp luật (NĐ 154/2026 Đ4 điểm h)")
    FINAL_JUDGMENT = "final_judgment", _(
        "Vụ việc đã có bản án, quyết định có hiệu lực pháp luật của Tòa án (NĐ 154/2026 Đ4)")
    HANDLED_ELSEWHERE = "handled_elsewhere", _(
        "Vụ việc đang được cơ quan có thẩm quyền khác thụ lý, giải quyết (NĐ 154/2026 Đ4)")


class Matter(models.Model):
    """Vụ việc / đơn: one registered complaint, denunciation, recommendation or feedback."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="matters")
    tracking_code = models.CharField(_("mã hồ sơ"), max_length=16, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=MatterStatus.choices, default=MatterStatus.NEW,
        db_index=True,
    )
    kind = models.CharField(_("loại đơn"), max_length=16, choices=MatterKind.choices)

    # Petitioner identity (NĐ 154 Đ12).
    full_name = models.CharField(_("họ và tên"), max_length=120)
    id_type = models.CharField(_("loại giấy tờ"), max_length=16, choices=IdType.choices)
    id_number = models.CharField(_("số giấy tờ"), max_length=20)
    id_issue_date = models.DateField(_("ngày cấp"), null=True, blank=True)
    id_issue_place = models.CharField(_("nơi cấp"), max_length=120, blank=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    # Empty only when the identity is sealed (see ``identity_sealed``).
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    address_province_code = models.PositiveSmallIntegerField(_("tỉnh/thành phố"), null=True,
                                                             blank=True)
    address_ward_code = models.PositiveIntegerField(_("xã/phường"), null=True, blank=True)
    address = models.CharField(_("địa chỉ (số nhà, thôn, tổ dân phố)"), max_length=255)
    phone = models.CharField(_("số điện thoại"), max_length=16, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    # The matter itself.
    summary = models.CharField(_("tóm tắt nội dung"), max_length=300)
    content = models.TextField(_("nội dung"))
    complained_decision = models.CharField(
        _("quyết định, hành vi bị khiếu nại"), max_length=500, blank=True
    )
    complained_by = models.CharField(_("người ban hành / thực hiện"), max_length=255, blank=True)
    prior_agency = models.CharField(_("cơ quan đã giải quyết"), max_length=255, blank=True)

    # Group matter (đoàn đông người, Luật Tiếp công dân Đ29).
    group_size = models.PositiveIntegerField(_("số người cùng nội dung"), default=1)

    # Online reception wish.
    wants_online = models.BooleanField(_("đề nghị tiếp trực tuyến"), default=False)
    online_reason = models.CharField(
        _("lý do"), max_length=24, choices=OnlineReason.choices, blank=True
    )
    online_reason_text = models.CharField(_("lý do cụ thể"), max_length=500, blank=True)
    join_point = models.CharField(
        _("điểm cầu tham gia"), max_length=16, choices=JoinPoint.choices, blank=True
    )
    join_point_detail = models.CharField(_("điểm cầu khác"), max_length=255, blank=True)

    # Denunciations: identity protection (Luật Tố cáo Đ9, Đ56); a protected denunciation
    # cannot be heard online (regulation Điều 4.1.d) and is handled in person.
    identity_protection = models.BooleanField(_("yêu cầu bảo vệ danh tính"), default=False)
    in_person_only = models.BooleanField(_("chỉ tiếp trực tiếp"), default=False)
    # Every denunciation (Luật Tố cáo Đ47 k1 e, Đ56): the identity columns above hold masks and
    # the real identity is encrypted in ``ProtectedIdentity`` (see ``intake.identity.sealing``).
    identity_sealed = models.BooleanField(_("danh tính được giữ bí mật"), default=False,
                                          editable=False)
    # Blind indexes (HMAC-SHA256) of the ID and phone numbers, on every matter: duplicates of
    # the same citizen are found without decrypting anything.
    id_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    # Consent (Luật 91/2025/QH15).
    consent_given_at = models.DateTimeField(_("thời điểm đồng ý xử lý dữ liệu"))
    consent_purpose_version = models.CharField(max_length=16)

    channel = models.CharField(_("kênh tiếp nhận"), max_length=16, choices=Channel.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assisted_matters", verbose_name=_("cán bộ tiếp nhận hộ"),
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Triage (phân loại, xử lý; NĐ 154 Đ15, Luật Tiếp công dân Đ26), set by
    # ``intake.triage.state_machine``; register 03/TCD columns 9 (thẩm quyền), 10 (hướng dẫn
    # đến) and 11 (cơ quan, số văn bản).
    field_of_law = models.CharField(_("lĩnh vực"), max_length=120, blank=True)
    complaint_round = models.CharField(
        _("lần khiếu nại"), max_length=8, choices=ComplaintRound.choices, blank=True
    )
    within_competence = models.BooleanField(_("thuộc thẩm quyền"), null=True, blank=True)
    competent_body = models.CharField(_("cơ quan có thẩm quyền"), max_length=255, blank=True)
    forwarded_letter_number = models.CharField(
        _("số văn bản chuyển đơn / hướng dẫn"), max_length=60, blank=True
    )
    refusal_ground = models.CharField(
        _("lý do từ chối tiếp"), max_length=40, choices=RefusalGround.choices, blank=True
    )

    # The inbox search (``intake.search``): code, name, phone, summary and content, lower case
    # and without diacritics, set by ``save`` and by sealing (masks only for a sealed matter).
    # On PostgreSQL a pg_trgm GIN index (migration 0006, not declared here: SQLite has none)
    # serves ``LIKE '%term%'``.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["commune", "status", "-received_at"]),
            # Periodic reports (reports.figures) count matters received in a period by kind,
            # channel and field, for one commune or a whole city: covering indexes (PostgreSQL
            # INCLUDE), so the counts are read from the index alone. The last one maps a
            # matter to its commune when deadlines are counted per commune.
            models.Index(fields=["commune", "received_at"], name="matter_commune_received",
                         include=["kind", "channel", "field_of_law"]),
            models.Index(fields=["received_at"], name="matter_received_report",
                         include=["commune", "kind", "channel", "field_of_law"]),
            models.Index(fields=["id"], name="matter_commune_of_id", include=["commune"]),
            # Inbox filters and sorts within a commune (status alone: the first one above);
            # status and kind together: counted and paged from the index.
            models.Index(fields=["commune", "status", "kind", "-received_at", "-id"],
                         name="matter_inbox_status"),
            models.Index(fields=["commune", "kind", "-received_at"], name="matter_inbox_kind"),
            models.Index(fields=["commune", "channel", "-received_at"],
                         name="matter_inbox_channel"),
            models.Index(fields=["commune", "field_of_law", "-received_at"],
                         name="matter_inbox_field"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = matter_search_text(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        # The keyed digests follow the plain identity; a sealed matter's columns hold masks,
        # so its digests (taken before sealing) are kept as they are.
        if not self.identity_sealed:
            self.id_digest, self.phone_digest = citizen_digests(self.id_number, self.phone)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "id_digest",
                                           "phone_digest"}
        super().save(*args, **kwargs)

    @property
    def is_group(self) -> bool:
        return self.group_size >= 5


class Representative(models.Model):
    """Người đại diện of a group matter (Luật Tiếp công dân Đ29)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="representatives")
    position = models.PositiveSmallIntegerField()
    full_name = models.CharField(_("họ và tên"), max_length=120)
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "position"], name="representative_position")
        ]

    def __str__(self) -> str:
        return self.full_name


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the citizen's file name is kept only as metadata.
    return f"attachments/{instance.commune_id}/{uuid.uuid4().hex}"


class RegistrationDraft(models.Model):
    """Bản nháp: a registration being filled in step by step on the public pages.  It is found
    only through a random token held in the citizen's session (the row keeps its SHA-256), holds
    the answers given so far — a Fernet token of their JSON, read through
    ``intake.registration.drafts`` (a denouncer's identity is never stored in plain) — and lives
    24 hours; nothing becomes a matter before the final submit."""

    token_digest = models.CharField(max_length=64, unique=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    ciphertext = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("bản nháp đơn")
        verbose_name_plural = _("bản nháp đơn")

    def __str__(self) -> str:
        return f"draft {self.pk}"


class Attachment(models.Model):
    """A document handed in with a matter. Uploaded through the API or a step of the public
    registration (``draft``) before the registration that claims it (``matter`` is empty until
    then)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="attachments")
    matter = models.ForeignKey(
        Matter, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    draft = models.ForeignKey(
        RegistrationDraft, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="uploads", editable=False,
    )
    upload_token = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField(_("số trang"), default=1)
    sha256 = models.CharField(max_length=64)  # of the plain content
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The client address of an API upload, for its unclaimed-storage quota (UPLOAD_QUOTA_BYTES).
    uploaded_from = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # The stored file is a Fernet token (a denunciation's attachment may identify the denouncer:
    # handwriting, scans); readable only through ``intake.identity.sealing``.
    encrypted = models.BooleanField(_("được mã hóa"), default=False, editable=False)
    key_id = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("tài liệu kèm theo")
        verbose_name_plural = _("tài liệu kèm theo")
        ordering = ["id"]
        indexes = [models.Index(fields=["uploaded_from", "uploaded_at"],
                                condition=models.Q(matter__isnull=True),
                                name="intake_unclaimed_by_client")]

    def __str__(self) -> str:
        return self.original_name


class ProtectedIdentity(models.Model):
    """The sealed identity of a denouncer (Luật Tố cáo Đ47, Đ56): a Fernet token of the identity,
    the representatives and the original texts, readable only through
    ``intake.identity.sealing``."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, primary_key=True,
                                  related_name="protected_identity")
    ciphertext = models.TextField()
    key_id = models.CharField(max_length=16)  # fingerprint of the key that encrypted it
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("danh tính được bảo vệ")
        verbose_name_plural = _("danh tính được bảo vệ")

    def __str__(self) -> str:
        return f"{self.matter_id} · {self.key_id}"


class TriageAction(models.TextChoices):
    CLASSIFY = "classify", _("Phân loại đơn")
    DECIDE = "decide", _("Quyết định hướng xử lý")
    REFUSE = "refuse", _("Từ chối tiếp")
    TRANSITION = "transition", _("Chuyển trạng thái")
    SPLIT = "split", _("Tách đơn")
    MERGE = "merge", _("Gộp vào hồ sơ nhóm")


class TriageRecord(models.Model):
    """One triage step of a matter: who, when, from which status to which, and why."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="triage_records")
    action = models.CharField(_("thao tác"), max_length=16, choices=TriageAction.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=16,
                                   choices=MatterStatus.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=16,
                                 choices=MatterStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    reason = models.TextField(_("lý do"))
    # classify
    kind = models.CharField(_("loại đơn"), max_length=16, choices=MatterKind.choices,
                            blank=True)
    field_of_law = models.CharField(_("lĩnh vực"), max_length=120, blank=True)
    complaint_round = models.CharField(_("lần khiếu nại"), max_length=8,
                                       choices=ComplaintRound.choices, blank=True)
    # decide
    within_competence = models.BooleanField(_("thuộc thẩm quyền"), null=True, blank=True)
    competent_body = models.CharField(_("cơ quan có thẩm quyền"), max_length=255, blank=True)
    letter_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    # refuse
    refusal_ground = models.CharField(_("lý do từ chối tiếp"), max_length=40,
                                      choices=RefusalGround.choices, blank=True)

    class Meta:
        verbose_name = _("bước phân loại, xử lý")
        verbose_name_plural = _("các bước phân loại, xử lý")
        ordering = ["matter", "at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.from_status} → {self.to_status}"


class MatterDeadline(models.Model):
    """A running deadline of a matter (domain brief §7), computed by the workdays engine."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="deadlines")
    # The matter's commune, copied here (a matter never changes commune) so that the
    # dashboard's counts and the inbox's deadline filters of one commune read only the index
    # of its open deadlines, without joining a million matters.  Set by ``save`` from the
    # matter; code that bypasses ``save`` (bulk inserts, SQL) sets it itself.
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+",
                                editable=False)
    rule_key = models.SlugField(_("mã thời hạn"), max_length=64)
    trigger = models.DateField(_("ngày bắt đầu tính"))
    due = models.DateField(_("hạn chót"), db_index=True)
    explanation = models.TextField(_("cách tính"))
    started_at = models.DateTimeField(_("thời điểm bắt đầu"))
    met_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    open = models.BooleanField(_("đang chạy"), default=True, db_index=True)
    # The due date the office was last told of as due soon / as overdue (intake.deadline_watch):
    # once per due date, so a due date moved by a calendar change is told again.
    warned_soon_for = models.DateField(null=True, blank=True, editable=False)
    warned_overdue_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("thời hạn của hồ sơ")
        verbose_name_plural = _("thời hạn của hồ sơ")
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "rule_key"], name="matter_deadline_rule"),
        ]
        indexes = [
            # Periodic reports count the deadlines due in a period per commune
            # (reports.figures): merged with matter_commune_of_id from the indexes alone.
            models.Index(fields=["matter"], name="deadline_matter_report",
                         include=["due", "met_at", "open"]),
            # Open deadlines due in a range, across communes (the recompute, reports).
            models.Index(fields=["due"], name="deadline_open_due", condition=models.Q(open=True),
                         include=["matter", "rule_key"]),
            # The dashboard counts a commune's open deadlines overdue or due soon per rule, and
            # the inbox filters its matters by them: from this index alone.
            models.Index(fields=["commune", "due"], name="deadline_open_commune_due",
                         condition=models.Q(open=True), include=["matter", "rule_key"]),
            # The nearest open deadline of one matter (the inbox's order and column).
            models.Index(fields=["matter", "due"], name="deadline_open_matter_due",
                         condition=models.Q(open=True)),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} · {self.rule_key} · {self.due}"

    def save(self, *args, **kwargs) -> None:
        if self.commune_id is None and self.matter_id is not None:
            self.commune_id = self.matter.commune_id
        super().save(*args, **kwargs)



class FieldOfLaw(models.Model):
    """Lĩnh vực: one entry of a commune's list of fields that triage classifies matters in
    (Đất đai, Xây dựng, Môi trường …).  ``Matter.field_of_law`` keeps the entry's name as text
    (the reports count by it); the list decides which names may be chosen."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="fields_of_law")
    name = models.CharField(_("lĩnh vực"), max_length=120)
    # Same for every spelling of one name (core.lists.list_key): one entry per commune.
    name_key = models.CharField(max_length=120, editable=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["commune", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name_key"],
                                               name="field_of_law_once_per_commune")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name, self.name_key = clean_name(self.name), list_key(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        check_unique_name(self, _("Xã đã có lĩnh vực “%(name)s”."))
