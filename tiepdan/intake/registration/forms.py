"""The registration form: the one place where a registration is validated, for the public page,
assisted intake and the JSON API alike."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from tiepdan.core import admin_units
from tiepdan.core.form_choices import (
    FixedChoiceField,
    FixedChoices,
    FixedTypedChoiceField,
)
from tiepdan.core.text_forms import Form, choice_field

from .. import id_numbers
from ..attachments import CheckedFile, check_count, check_file
from ..models import Gender, IdType, JoinPoint, MatterKind, OnlineReason
from .rules import CONSENT_PURPOSE, GROUP_MIN_SIZE, MAX_REPRESENTATIVES, representative_limits

REQUIRED = _("Vui lòng điền thông tin này.")
_TEXT_ERRORS = {"required": REQUIRED, "max_length": _("Quá dài (tối đa %(limit_value)d ký tự).")}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        files = [f for f in (data or []) if f] if isinstance(data, list | tuple) else (
            [data] if data else []
        )
        check_count(len(files))
        return [check_file(f.name, f, f.size) for f in files]


def _text(label: Any, max_length: int, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=_TEXT_ERRORS,
        **kwargs,
    )


@lru_cache(maxsize=64)
def _ward_choices(province: int | None) -> FixedChoices:
    wards = admin_units.wards_of(province) if province else ()
    return FixedChoices([("", _("— Chọn xã / phường —")), *((w.code, w.name) for w in wards)])


# Translated when shown, with the number put in then (a lazy text's ``%`` would translate now).
_numbered = lazy(lambda template, n: str(template) % {"n": n}, str)


class RegistrationForm(Form):
    # Identity.
    full_name = _text(_("Họ và tên"), 120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_type = FixedChoiceField(label=_("Loại giấy tờ tùy thân"),
                               choices=FixedChoices(IdType.choices),
                                error_messages={"required": REQUIRED,
                                                "invalid_choice": _("Loại giấy tờ không hợp lệ.")})
    # Hints (help_text) are shown under the label and tied to the field (form_fields tag).
    id_number = _text(_("Số giấy tờ"), 20, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                      help_text=_("Căn cước: 12 chữ số. Hộ chiếu: ví dụ C1234567."))
    id_issue_date = forms.DateField(label=_("Ngày cấp"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}),
                                    error_messages={"invalid": _("Ngày không hợp lệ.")})
    id_issue_place = _text(_("Nơi cấp"), 120, required=False)
    gender = FixedChoiceField(label=_("Giới tính"), required=False,
                              choices=FixedChoices([("", _("— Không khai —")), *Gender.choices]))
    date_of_birth = forms.DateField(label=_("Ngày sinh"),
                                    widget=forms.DateInput(attrs={"type": "date"}),
                                    error_messages={"required": REQUIRED,
                                                    "invalid": _("Ngày sinh không hợp lệ.")})
    # Shared choices (core.form_choices): not copied into every form, checked in a set.
    province = FixedTypedChoiceField(label=_("Tỉnh / thành phố"), coerce=int,
                                     choices=FixedChoices([
                                         ("", _("— Chọn tỉnh / thành phố —")),
                                         *((p.code, p.name) for p in admin_units.provinces())]),
                                      error_messages={"required": REQUIRED,
                                                      "invalid_choice": _("Tỉnh không hợp lệ.")})
    ward = FixedTypedChoiceField(label=_("Xã / phường / đặc khu"), coerce=int,
                                 choices=_ward_choices(None),
                                  error_messages={"required": REQUIRED,
                                                  "invalid_choice": _("Xã/phường không hợp lệ.")})
    address = _text(_("Địa chỉ cụ thể (số nhà, thôn, tổ dân phố)"), 255)
    phone = _text(_("Số điện thoại di động"), 20,
                  widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
                  help_text=_("Dùng để tra cứu hồ sơ và nhận thông báo."))
    email = forms.EmailField(label=_("Thư điện tử (không bắt buộc)"), required=False,
                             help_text=_("Nếu có, bạn sẽ nhận bản sao giấy biên nhận qua thư "
                                         "điện tử."),
                             error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})

    # The matter.
    kind = FixedChoiceField(label=_("Loại đơn"), choices=FixedChoices(MatterKind.choices),
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Vui lòng chọn loại đơn."),
                                             "invalid_choice": _("Loại đơn không hợp lệ.")})
    summary = _text(_("Tóm tắt nội dung"), 300)
    content = _text(_("Nội dung đầy đủ"), 20000, widget=forms.Textarea)
    complained_decision = _text(
        _("Quyết định hoặc hành vi bị khiếu nại"), 500, required=False,
        help_text=_("Bắt buộc với đơn khiếu nại: số, ngày quyết định hoặc mô tả hành vi."))
    complained_by = _text(_("Người ban hành quyết định / thực hiện hành vi"), 255, required=False)
    prior_agency = _text(_("Cơ quan đã giải quyết (nếu có)"), 255, required=False)

    # Group matter.
    is_group = forms.BooleanField(label=_("Đơn của nhiều người (đoàn đông người)"),
                                  required=False)
    group_size = forms.IntegerField(label=_("Số người cùng nội dung"), required=False,
                                    min_value=1, max_value=10000,
                                    error_messages={"invalid": _("Nhập một số nguyên."),
                                                    "min_value": _("Số người phải lớn hơn 0.")})

    # Online reception.
    wants_online = forms.BooleanField(label=_("Tôi đề nghị được tiếp công dân trực tuyến"),
                                      required=False)
    online_reason = FixedChoiceField(label=_("Lý do đề nghị tiếp trực tuyến"), required=False,
                                     choices=FixedChoices([("", "—"), *OnlineReason.choices]),
                                      error_messages={"invalid_choice": _("Lý do không hợp lệ.")})
    online_reason_text = _text(_("Nêu cụ thể lý do"), 500, required=False)
    join_point = FixedChoiceField(label=_("Nơi tham gia buổi tiếp"), required=False,
                                  choices=FixedChoices(JoinPoint.choices), widget=forms.RadioSelect,
                                   error_messages={"invalid_choice": _("Không hợp lệ.")})
    join_point_detail = _text(_("Điểm cầu khác (tên, địa chỉ)"), 255, required=False)

    # Denunciations.
    identity_protection = forms.BooleanField(
        label=_("Tôi yêu cầu giữ bí mật danh tính người tố cáo"), required=False
    )

    consent = forms.BooleanField(
        label=CONSENT_PURPOSE,
        error_messages={"required": _("Bạn cần đồng ý cho xử lý dữ liệu cá nhân để gửi đơn.")},
    )
    attachments = MultipleFileField(label=_("Tài liệu kèm theo (PDF, JPG, PNG, DOCX)"),
                                    required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "ward").choices = _ward_choices(self._raw_int("province"))

    def _raw_int(self, name: str) -> int | None:
        raw = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    # Field-level checks -------------------------------------------------------------------
    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self) -> str:
        return id_numbers.normalize_mobile(self.cleaned_data["phone"])

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        id_numbers.validate_birth_date(value, timezone.localdate())
        return value

    # Cross-field checks --------------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._clean_identity(data)
        self._clean_kind(data)
        self._clean_group(data)
        self._clean_online(data)
        return data

    def _clean_identity(self, data: dict[str, Any]) -> None:
        id_type, raw = data.get("id_type"), data.get("id_number")
        if id_type and raw:
            number = id_numbers.normalize_id_number(id_type, raw)
            try:
                if id_type == IdType.PASSPORT:
                    id_numbers.validate_passport(number)
                else:
                    id_numbers.validate_personal_number(
                        number, date_of_birth=data.get("date_of_birth"),
                        gender=data.get("gender") or None,
                    )
            except ValidationError as exc:
                self.add_error("id_number", exc)
            else:
                data["id_number"] = number
        if data.get("province") and data.get("ward") and not admin_units.ward_in_province(
            data["ward"], data["province"]
        ):
            self.add_error("ward", _("Xã/phường không thuộc tỉnh/thành phố đã chọn."))
        issue = data.get("id_issue_date")
        if issue and issue > timezone.localdate():
            self.add_error("id_issue_date", _("Ngày cấp không được ở tương lai."))

    def _clean_kind(self, data: dict[str, Any]) -> None:
        if data.get("kind") == MatterKind.KHIEU_NAI and not data.get("complained_decision"):
            self.add_error("complained_decision",
                           _("Đơn khiếu nại cần nêu quyết định hoặc hành vi bị khiếu nại."))
        if data.get("kind") != MatterKind.TO_CAO:
            data["identity_protection"] = False

    def _clean_group(self, data: dict[str, Any]) -> None:
        reps = []
        for i in range(1, MAX_REPRESENTATIVES + 1):
            name = " ".join((data.get(f"rep_{i}_name") or "").split())
            phone = (data.get(f"rep_{i}_phone") or "").strip()
            if phone and not name:
                self.add_error(f"rep_{i}_name", _("Nhập họ tên người đại diện."))
            if phone:
                try:
                    phone = id_numbers.normalize_mobile(phone)
                except ValidationError as exc:
                    self.add_error(f"rep_{i}_phone", exc)
            if name:
                reps.append({"full_name": name, "phone": phone})
        data["representatives"] = reps
        if not data.get("is_group"):
            data["group_size"] = 1
            if reps:
                self.add_error("is_group", _("Chỉ đơn của nhiều người mới có người đại diện."))
            return
        size = data.get("group_size")
        if not size:
            self.add_error("group_size", _("Nhập số người cùng nội dung."))
            return
        if size < GROUP_MIN_SIZE:
            self.add_error("group_size",
                           _("Đoàn đông người phải có từ %(n)s người trở lên.") % {
                               "n": GROUP_MIN_SIZE})
            return
        low, high = representative_limits(size)
        if len(reps) < low:
            self.add_error("rep_1_name", _("Đoàn đông người phải cử người đại diện "
                                           "(Luật Tiếp công dân Điều 29)."))
        elif len(reps) > high:
            self.add_error("rep_1_name", _(
                "Đoàn %(size)s người chỉ được cử tối đa %(max)s người đại diện "
                "(Luật Tiếp công dân Điều 29).") % {"size": size, "max": high})

    def _clean_online(self, data: dict[str, Any]) -> None:
        protected = data.get("kind") == MatterKind.TO_CAO and data.get("identity_protection")
        data["in_person_only"] = bool(protected)
        if protected:
            # Quy chế Điều 4.1.d: a denunciation is heard online only when the denouncer does
            # not ask for identity protection; it is registered for in-person handling.
            data["wants_online"] = False
        if not data.get("wants_online"):
            for name in ("online_reason", "online_reason_text", "join_point", "join_point_detail"):
                data[name] = ""
            return
        if not data.get("online_reason"):
            self.add_error("online_reason", _("Chọn lý do đề nghị tiếp trực tuyến."))
        elif data["online_reason"] == OnlineReason.OTHER and not data.get("online_reason_text"):
            self.add_error("online_reason_text", _("Nêu cụ thể lý do khác."))
        if not data.get("join_point"):
            self.add_error("join_point", _("Chọn nơi bạn sẽ tham gia buổi tiếp."))
        elif data["join_point"] == JoinPoint.OTHER_POINT and not data.get("join_point_detail"):
            self.add_error("join_point_detail", _("Nêu tên và địa chỉ điểm cầu khác."))


# The representatives' fields (rep_1_name, rep_1_phone … rep_10_phone) come after the others.
for _i in range(1, MAX_REPRESENTATIVES + 1):
    RegistrationForm.base_fields[f"rep_{_i}_name"] = _text(
        _numbered(_("Họ tên người đại diện %(n)s"), _i), 120, required=False)
    RegistrationForm.base_fields[f"rep_{_i}_phone"] = _text(
        _numbered(_("Điện thoại người đại diện %(n)s"), _i), 20, required=False)
