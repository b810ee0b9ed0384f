"""Forms of the documents app: a signed PDF uploaded by its signer, a PDF to check publicly."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tiepdan.core.text_forms import Form


class SignedPdfForm(Form):
    file = forms.FileField(
        label=_("Tệp PDF đã ký số"),
        help_text=_("Tải bản PDF của văn bản, ký bằng công cụ ký số của thiết bị ký (USB token) "
                    "rồi tải lên tệp đã ký tại đây."),
        error_messages={"required": _("Chọn tệp PDF đã ký số.")})

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > settings.SIGNED_PDF_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa %(mb)s MB).") % {
                "mb": settings.SIGNED_PDF_MAX_BYTES // (1024 * 1024)})
        return upload.read()


class CheckPdfForm(SignedPdfForm):
    file = forms.FileField(
        label=_("Tệp PDF cần kiểm tra"),
        help_text=_("Tệp không được lưu lại; chỉ dùng để so sánh với văn bản đã ban hành."),
        error_messages={"required": _("Chọn tệp PDF cần kiểm tra.")})


class CodeForm(Form):
    code = forms.CharField(label=_("Mã xác thực in trên văn bản"), max_length=30,
                           error_messages={"required": _("Nhập mã xác thực.")})
