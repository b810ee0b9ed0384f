"""Communes served by the deployment, their upper-level city, and staff roles."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit_types import display
from .step_models import DurableStep, StepState  # noqa: F401  (Django finds the model here)


class City(models.Model):
    """Cấp trên: the province-level city whose communes this deployment serves (e.g. Hải Phòng)."""

    province_code = models.PositiveSmallIntegerField(_("mã tỉnh/thành phố"), unique=True)
    name = models.CharField(_("tên"), max_length=100)

    class Meta:
        verbose_name = _("thành phố")
        verbose_name_plural = _("thành phố")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """UBND xã: one commune-level People's Committee served by this deployment."""

    ward_code = models.PositiveIntegerField(_("mã đơn vị hành chính"), unique=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(_("tên"), max_length=100)
    reception_address = models.CharField(_("địa điểm tiếp công dân"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang phục vụ"), default=True)

    class Meta:
        verbose_name = _("xã")
        verbose_name_plural = _("xã")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def committee_name(self) -> str:
        """Tên cơ quan ban hành, e.g. "Ủy ban nhân dân xã An Lão"."""
        return f"Ủy ban nhân dân {self.name[:1].lower()}{self.name[1:]}"


class Role(models.TextChoices):
    OFFICE_OFFICER = "office_officer", _("Cán bộ Văn phòng HĐND-UBND")
    CHAIRMAN = "chairman", _("Chủ tịch UBND")
    VICE_CHAIRMAN = "vice_chairman", _("Phó Chủ tịch UBND")
    DEPARTMENT_REP = "department_rep", _("Đại diện phòng chuyên môn")
    TECHNICAL_OPERATOR = "technical_operator", _("Cán bộ kỹ thuật")
    COMMUNE_POLICE = "commune_police", _("Công an xã")
    VILLAGE_HEAD = "village_head", _("Trưởng thôn")
    CITY_OBSERVER = "city_observer", _("Ban Tiếp công dân / Thanh tra thành phố")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


#: Roles held at city level (over every commune of the city); the others are held per commune.
CITY_ROLES = frozenset({Role.CITY_OBSERVER, Role.SYSTEM_ADMIN})


class StaffRole(models.Model):
    """One role of one staff member, in one commune or (for city roles) over a whole city."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles"
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles"
    )
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [
            models.CheckConstraint(
                name="staffrole_commune_xor_city",
                condition=(
                    models.Q(commune__isnull=False, city__isnull=True)
                    | models.Q(commune__isnull=True, city__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "commune"], name="staffrole_unique_commune_role"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "city"], name="staffrole_unique_city_role"
            ),
        ]

    def __str__(self) -> str:
        scope = self.commune or self.city
        return f"{self.user} · {self.get_role_display()} · {scope}"


class StaffProfile(models.Model):
    """Contact details of a staff member beyond the sign-in account, so a staff member picked
    as a bridge point's technical contact or as a participant brings them along."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="staff_profile")
    phone = models.CharField(_("điện thoại liên hệ"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("thông tin liên hệ cán bộ")
        verbose_name_plural = _("thông tin liên hệ cán bộ")

    def __str__(self) -> str:
        return str(self.user)


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo")
    UPDATE = "update", _("Cập nhật")
    VIEW = "view", _("Xem dữ liệu cá nhân")
    DOWNLOAD = "download", _("Tải tệp")
    EXPORT = "export", _("Xuất dữ liệu")
    REVEAL = "reveal", _("Xem danh tính được bảo vệ")
    TRANSITION = "transition", _("Chuyển trạng thái")
    CONFIGURE = "configure", _("Thay đổi cấu hình")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class _AppendOnly(models.Model):
    """Rows are inserted once and never changed or removed (the database refuses too)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("force_insert"):
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries are append-only")


class LegacyAuditEntry(_AppendOnly):
    """The trail as it was before typed entries: one global chain of free-text summaries.
    Frozen since migration core 0007 copied it into ``AuditEntry``; kept so that its original
    hashes stay verifiable (``tiepdan audit verify`` walks it too)."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    actor_roles = models.CharField(_("vai trò"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("hành động"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    summary = models.CharField(_("mô tả"), max_length=500, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("nhật ký cũ")
        verbose_name_plural = _("nhật ký cũ")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"],
                                name="core_audite_object__83eb8a_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


#: The chain of entries that belong to no commune (city-wide configuration, operator commands).
SYSTEM_CHAIN = "system"


class _TypedEntry(_AppendOnly):
    """What an audit entry and an access-log row share: when, who (and their roles), in which
    commune, the registered type (``core.audit_types``) and its data, the object, why and from
    where.  Each log names ``actor_name`` and ``type`` in its own words."""

    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    actor_roles = models.CharField(_("vai trò"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(_("dữ liệu"), default=dict)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    # Each log declares its own field, named in its own words (see the class docstring).
    type: str

    class Meta:
        abstract = True

    @property
    def text(self) -> str:
        """What happened, in the active language (rendered from the type and the data)."""
        return display(self.type, self.data)


class AuditEntry(_TypedEntry):
    """One typed entry of the append-only audit trail (see ``core.audit``): hash-chained within
    its chain — one per commune, plus ``system`` — so that communes never wait on each other."""

    chain = models.CharField(_("chuỗi"), max_length=32)  # "commune:<ward code>" or "system"
    seq = models.BigIntegerField(_("số thứ tự trong chuỗi"))
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    type = models.CharField(_("loại mục"), max_length=64, db_index=True)  # see audit_types
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("nhật ký hoạt động")
        verbose_name_plural = _("nhật ký hoạt động")
        db_table = "core_auditlog"  # core_auditentry's names are the legacy table's
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"],
                                               name="core_auditentry_chain_seq")]
        indexes = [models.Index(fields=["object_type", "object_id"],
                                name="core_audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq} {self.type} {self.object_type}:{self.object_id}"


class PersonalDataAccess(_TypedEntry):
    """Nhật ký truy cập dữ liệu cá nhân: who read whose personal data, when, from where and why.
    Append-only; it holds identifiers only, never the personal data itself."""

    actor_name = models.CharField(_("người truy cập"), max_length=150, blank=True)
    type = models.CharField(_("loại truy cập"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"],
                                name="core_access_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.type} {self.object_type}:{self.object_id}"


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` a client sent with a write, and the answer it got: the same key
    from the same client within 24 hours gets the same answer instead of a second record."""

    client = models.GenericIPAddressField()
    scope = models.CharField(max_length=40)  # the operation, e.g. "registration:11629"
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)  # SHA-256 of the request's content
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "scope", "key"],
                                               name="core_idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"

