"""Văn bản hành chính: document numbers, editable templates and issued documents (NĐ 30/2020)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template import Engine, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from tiepdan.core.models import Commune

from .dates import symbol


class DocType(models.TextChoices):
    """Type codes of NĐ 30/2020 Phụ lục III (the value is the code in the số ký hiệu)."""

    NOTICE = "TB", _("Thông báo")
    INVITATION = "GM", _("Giấy mời")
    PLAN = "KH", _("Kế hoạch")
    DECISION = "QĐ", _("Quyết định")
    MINUTES = "BB", _("Biên bản")
    FORWARDING_SLIP = "PC", _("Phiếu chuyển")
    REPORT = "BC", _("Báo cáo")


#: Engine for admin-edited templates: plain text out (the writers escape), no file loaders.
TEMPLATE_ENGINE = Engine(autoescape=False, loaders=[])


class NumberSequence(models.Model):
    """The last number given per commune, type and year; locked while the next one is taken."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocType.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("dãy số văn bản")
        verbose_name_plural = _("dãy số văn bản")
        constraints = [
            models.UniqueConstraint(fields=["commune", "doc_type", "year"],
                                    name="numbersequence_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.doc_type} · {self.year}: {self.last_number}"


class DocumentNumber(models.Model):
    """Sổ đăng ký văn bản đi: one number, given once and never again (even if the document
    it was taken for failed or was deleted)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocType.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    allocated_at = models.DateTimeField(_("thời điểm cấp"), auto_now_add=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("số văn bản")
        verbose_name_plural = _("số văn bản")
        ordering = ["commune", "doc_type", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "doc_type", "year", "number"],
                                    name="documentnumber_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} ({self.year})"

    @property
    def symbol(self) -> str:
        return symbol(self.number, self.doc_type)


def validate_template_text(text: str) -> None:
    try:
        TEMPLATE_ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationError(_("Mẫu không hợp lệ: %(error)s"), params={"error": exc}) from exc


TEMPLATE_HELP = _(
    "Cú pháp mẫu Django, ví dụ {{ issuer }}. Mỗi dòng là một đoạn; dòng bắt đầu bằng \"# \" là "
    "tiêu đề mục (in đậm). Biến dùng chung: issuer, issuer_short, commune_name, place, city, "
    "city_committee, symbol, issued_on_text; biến riêng của từng loại xem tài liệu của loại đó "
    "(tiepdan/documents/renderers.py)."
)


#: Kinds of document within one type (see ``registry``); the empty key is the type's default.
TEMPLATE_KEY_HELP = _("Để trống cho mẫu mặc định của loại văn bản; \"refusal_01_tcd\" cho "
                      "Thông báo từ chối tiếp công dân (Mẫu 01/TCD).")


class DocumentTemplate(models.Model):
    """A template the administrator can edit: trích yếu, body and default Nơi nhận."""

    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocType.choices)
    template_key = models.CharField(_("mã mẫu"), max_length=40, blank=True, default="",
                                    help_text=TEMPLATE_KEY_HELP)
    name = models.CharField(_("tên mẫu"), max_length=200)
    subject = models.CharField(_("trích yếu"), max_length=500, help_text=TEMPLATE_HELP,
                               validators=[validate_template_text])
    body = models.TextField(_("nội dung"), help_text=TEMPLATE_HELP,
                            validators=[validate_template_text])
    recipients = models.TextField(
        _("nơi nhận mặc định"), blank=True,
        help_text=_("Mỗi dòng một nơi nhận; dòng \"Lưu: VT, …\" được thêm tự động."),
        validators=[validate_template_text],
    )
    archive_unit = models.CharField(_("đơn vị lưu"), max_length=20, default="VP",
                                    help_text=_("Viết tắt đơn vị soạn thảo, ví dụ VP."))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        ordering = ["doc_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "template_key"],
                                    condition=models.Q(is_active=True),
                                    name="documenttemplate_one_active_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()}: {self.name}"


def _document_path(instance: IssuedDocument, filename: str) -> str:
    # A random name: the number and subject stay in the database, not in the file system.
    extension = filename.rsplit(".", 1)[-1]
    return f"documents/{instance.commune_id}/{uuid.uuid4().hex}.{extension}"


class IssuedDocument(models.Model):
    """A rendered, numbered document with its DOCX and PDF files (served only through
    ``documents:download``)."""

    number_record = models.OneToOneField(DocumentNumber, on_delete=models.PROTECT,
                                         related_name="document")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT,
                                related_name="issued_documents")
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocType.choices)
    template_key = models.CharField(_("mã mẫu"), max_length=40, blank=True, default="")
    number = models.PositiveIntegerField(_("số"))
    year = models.PositiveSmallIntegerField(_("năm"))
    symbol = models.CharField(_("số, ký hiệu"), max_length=40)
    subject = models.CharField(_("trích yếu"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"))
    signer_name = models.CharField(_("người ký"), max_length=120)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=120)
    template = models.ForeignKey(DocumentTemplate, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    context = models.JSONField(_("dữ liệu dựng văn bản"))
    docx_file = models.FileField(upload_to=_document_path, max_length=255)
    pdf_file = models.FileField(upload_to=_document_path, max_length=255)
    docx_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    # A document replaced (a rescheduled hearing's Giấy mời) or withdrawn (a cancelled one)
    # is kept, never deleted: it says when, why and which document replaced it.
    superseded_at = models.DateTimeField(_("thời điểm bị thay thế"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="supersedes",
                                      verbose_name=_("văn bản thay thế"))
    superseded_reason = models.TextField(_("lý do thay thế, thu hồi"), blank=True)
    #: Printed with its QR code on the document; opens the public verification page.
    verification_code = models.CharField(_("mã xác thực"), max_length=16, unique=True,
                                         null=True, blank=True)
    #: Why the organisation's signature could not be applied (empty when it was, or is due).
    signature_error = models.TextField(_("lỗi ký số"), blank=True)

    class Meta:
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = _("văn bản đã ban hành")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.symbol}: {self.subject}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        # The files go only once the row is really gone; the number record stays (never reused).
        names = [f.name for f in (self.docx_file, self.pdf_file) if f and f.name]
        storage = self.docx_file.storage

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        result = super().delete(*args, **kwargs)
        transaction.on_commit(delete_files)
        return result


class SignatureKind(models.TextChoices):
    PERSONAL = "personal", _("Chữ ký số của người có thẩm quyền")
    SEAL = "seal", _("Chữ ký số của cơ quan")


def _signed_path(instance: DocumentSignature, filename: str) -> str:
    return f"documents/{instance.document.commune_id}/{uuid.uuid4().hex}-signed.pdf"


class DocumentSignature(models.Model):
    """One digital signature applied to an issued document (PAdES): the PDF as it stands after
    it (each signature is an incremental update of the one before, the first of the issued
    PDF), who signed, and what was checked when it was accepted."""

    document = models.ForeignKey(IssuedDocument, on_delete=models.PROTECT,
                                 related_name="signatures")
    kind = models.CharField(_("loại chữ ký"), max_length=10, choices=SignatureKind.choices)
    signer_name = models.CharField(_("người ký (theo chứng thư)"), max_length=255)
    organisation = models.CharField(_("cơ quan (theo chứng thư)"), max_length=255, blank=True)
    issuer_name = models.CharField(_("tổ chức cấp chứng thư"), max_length=255, blank=True)
    certificate_sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    timestamped = models.BooleanField(_("có dấu thời gian"), default=False)
    pdf_file = models.FileField(upload_to=_signed_path, max_length=255)
    pdf_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chữ ký số của văn bản")
        verbose_name_plural = _("chữ ký số của văn bản")
        ordering = ["document", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "kind"],
                                               name="one_signature_per_kind")]

    def __str__(self) -> str:
        return f"{self.document.symbol}: {self.get_kind_display()} ({self.signer_name})"


class SealBackend(models.TextChoices):
    PKCS12 = "pkcs12", _("Tệp PKCS#12 (.p12, .pfx)")
    PKCS11 = "pkcs11", _("Thiết bị ký số / HSM (PKCS#11)")


class OrganisationSeal(models.Model):
    """The commune's organisation certificate, with which the product signs its documents on
    the server.  Secrets stay in files (``secret_file``: the PKCS#12 passphrase or the token
    PIN), never in the database."""

    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, related_name="seal")
    backend = models.CharField(_("nơi giữ khóa"), max_length=10, choices=SealBackend.choices)
    pkcs12_path = models.CharField(_("đường dẫn tệp PKCS#12"), max_length=500, blank=True)
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=500, blank=True,
                                     help_text=_("Ví dụ /usr/lib/softhsm/libsofthsm2.so"))
    token_label = models.CharField(_("nhãn thiết bị (token)"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khóa và chứng thư"), max_length=100, blank=True)
    secret_file = models.CharField(
        _("tệp chứa mật khẩu / mã PIN"), max_length=500,
        help_text=_("Đường dẫn tệp chỉ người chạy máy chủ đọc được (chmod 600)."))
    location = models.CharField(_("nơi ký"), max_length=120, blank=True)
    stamp_image = models.CharField(
        _("ảnh con dấu trên chữ ký (tùy chọn)"), max_length=500, blank=True,
        help_text=_("Đường dẫn tệp PNG hoặc JPG in cạnh dòng \"Ký bởi\" của chữ ký số."))
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chữ ký số cơ quan")
        verbose_name_plural = _("chữ ký số cơ quan")

    def __str__(self) -> str:
        return f"{self.commune}: {self.get_backend_display()}"

    def clean(self) -> None:
        if self.backend == SealBackend.PKCS12 and not self.pkcs12_path:
            raise ValidationError({"pkcs12_path": _("Cần đường dẫn tệp PKCS#12.")})
        if self.backend == SealBackend.PKCS11 and not (self.pkcs11_module and self.token_label
                                                       and self.key_label):
            raise ValidationError(_("Cần thư viện PKCS#11, nhãn thiết bị và nhãn khóa."))
