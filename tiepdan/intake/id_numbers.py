"""ID numbers (identity documents) and phone numbers: validation and normalisation.

A CCCD / personal identification number (số định danh cá nhân) has 12 digits
(Thông tư 59/2021/TT-BCA, formerly TT 07/2016/TT-BCA):

* 3 digits: the province code of the identity-card scheme, 001–096 (where the birth was
  registered) — the 63 pre-2025 provinces, *not* today's administrative unit codes;
* 1 digit: century and gender (0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, ...);
* 2 digits: the last two digits of the year of birth;
* 6 random digits.
"""

from __future__ import annotations

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Province codes of the identity-number scheme (TT 59/2021/TT-BCA, Phụ lục I).
CCCD_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

_TWELVE_DIGITS = re.compile(r"^\d{12}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{6,9}$")
MAX_AGE_YEARS = 120


def validate_birth_date(value: dt.date, today: dt.date) -> None:
    if value > today:
        raise ValidationError(_("Ngày sinh không được ở tương lai."), code="future_birth_date")
    if today.year - value.year > MAX_AGE_YEARS:
        raise ValidationError(_("Ngày sinh không hợp lệ."), code="implausible_birth_date")


def validate_personal_number(
    number: str, *, date_of_birth: dt.date | None = None, gender: str | None = None
) -> None:
    """Validate a 12-digit CCCD / personal identification number against birth date and gender."""
    if not _TWELVE_DIGITS.match(number):
        raise ValidationError(
            _("Số căn cước / định danh cá nhân phải gồm đúng 12 chữ số."), code="invalid_length"
        )
    if number[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu (%(code)s) không phải mã tỉnh hợp lệ trong số căn cước (001–096)."),
            code="invalid_province_code",
            params={"code": number[:3]},
        )
    century_gender = int(number[3])
    century_start = 1900 + (century_gender // 2) * 100
    birth_year = century_start + int(number[4:6])
    if date_of_birth is not None and date_of_birth.year != birth_year:
        raise ValidationError(
            _("Số căn cước cho năm sinh %(year)s, không khớp với ngày sinh đã khai."),
            code="birth_year_mismatch",
            params={"year": birth_year},
        )
    if gender:
        encoded = "male" if century_gender % 2 == 0 else "female"
        if encoded != gender:
            raise ValidationError(
                _("Số căn cước không khớp với giới tính đã khai."), code="gender_mismatch"
            )


def normalize_id_number(id_type: str, raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw or "").upper() if id_type == "passport" else re.sub(
        r"[\s.\-]", "", raw or ""
    )


def validate_passport(number: str) -> None:
    if not _PASSPORT.match(number):
        raise ValidationError(
            _("Số hộ chiếu gồm 6–9 chữ cái in hoa hoặc chữ số (ví dụ C1234567)."),
            code="invalid_passport",
        )


def normalize_mobile(raw: str) -> str:
    """A Vietnamese mobile number in E.164 (+84...), or ``ValidationError``."""
    cleaned = (raw or "").strip()
    try:
        parsed = phonenumbers.parse(cleaned, "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Số điện thoại không hợp lệ. Ví dụ: 0912 345 678."), code="invalid_phone"
        ) from exc
    if parsed.country_code != 84 or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("Số điện thoại không hợp lệ. Ví dụ: 0912 345 678."), code="invalid_phone"
        )
    if phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
    ):
        raise ValidationError(
            _("Vui lòng nhập số điện thoại di động để nhận thông báo."), code="not_mobile"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """+84912345678 → 091****678 (for pages that must not show the whole number)."""
    national = "0" + e164[3:] if e164.startswith("+84") else e164
    return national[:3] + "*" * max(len(national) - 6, 0) + national[-3:]
