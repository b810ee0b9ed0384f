import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tiepdan.intake import id_numbers

DOB_1990 = dt.date(1990, 5, 1)


@pytest.mark.parametrize(
    ("number", "dob", "gender"),
    [
        pytest.param("031090001234", DOB_1990, "male", id="hai-phong-male-1990"),
        pytest.param("001190001234", DOB_1990, "female", id="ha-noi-female-1990"),
        pytest.param("079305001234", dt.date(2005, 1, 1), "female", id="hcm-female-2005-digit-3"),
        pytest.param("096204001234", dt.date(2004, 12, 31), "male", id="ca-mau-male-2004"),
        pytest.param("031090001234", DOB_1990, None, id="gender-not-given"),
    ],
)
def test_it_accepts_consistent_personal_numbers(number, dob, gender):
    id_numbers.validate_personal_number(number, date_of_birth=dob, gender=gender)


@pytest.mark.parametrize(
    ("number", "dob", "gender", "code"),
    [
        pytest.param("03109000123", DOB_1990, None, "invalid_length", id="11-digits"),
        pytest.param("0310900012345", DOB_1990, None, "invalid_length", id="13-digits"),
        pytest.param("03109000123A", DOB_1990, None, "invalid_length", id="letter"),
        pytest.param("097090001234", DOB_1990, None, "invalid_province_code", id="097-no-province"),
        pytest.param("000090001234", DOB_1990, None, "invalid_province_code", id="000"),
        pytest.param("003090001234", DOB_1990, None, "invalid_province_code", id="003-gap"),
        pytest.param("031091001234", DOB_1990, None, "birth_year_mismatch", id="year-91-vs-1990"),
        pytest.param("031290001234", DOB_1990, None, "birth_year_mismatch", id="century-2090"),
        pytest.param("031190001234", DOB_1990, "male", "gender_mismatch", id="odd-is-female"),
    ],
)
def test_it_rejects_bad_personal_numbers(number, dob, gender, code):
    with pytest.raises(ValidationError) as exc:
        id_numbers.validate_personal_number(number, date_of_birth=dob, gender=gender)
    assert exc.value.code == code
    assert exc.value.messages[0]  # a Vietnamese message for the citizen


@pytest.mark.parametrize("number", ["C1234567", "B7654321", "X12345678"])
def test_it_accepts_passport_numbers(number):
    id_numbers.validate_passport(number)


@pytest.mark.parametrize("number", ["C12", "C1234567890", "C12-4567", "c1234567"])
def test_it_rejects_malformed_passport_numbers(number):
    with pytest.raises(ValidationError):
        id_numbers.validate_passport(number)


def test_it_normalises_passport_numbers_to_upper_case():
    assert id_numbers.normalize_id_number("passport", " c123 4567 ") == "C1234567"
    assert id_numbers.normalize_id_number("cccd", "031 090 001 234") == "031090001234"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0387654321", "+84387654321"),
        ("0868000404", "+84868000404"),
    ],
)
def test_it_normalises_vietnamese_mobiles_to_e164(raw, expected):
    assert id_numbers.normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "invalid_phone"),
        ("abc", "invalid_phone"),
        ("091234", "invalid_phone"),
        ("+12025550123", "invalid_phone"),  # not Vietnamese
        ("02253123456", "not_mobile"),  # Hải Phòng landline
    ],
)
def test_it_rejects_non_mobile_or_malformed_phones(raw, code):
    with pytest.raises(ValidationError) as exc:
        id_numbers.normalize_mobile(raw)
    assert exc.value.code == code


def test_it_rejects_a_birth_date_in_the_future():
    today = dt.date(2026, 11, 23)
    with pytest.raises(ValidationError) as exc:
        id_numbers.validate_birth_date(dt.date(2026, 11, 24), today)
    assert exc.value.code == "future_birth_date"
    id_numbers.validate_birth_date(today, today)


def test_it_rejects_an_implausible_birth_date():
    with pytest.raises(ValidationError):
        id_numbers.validate_birth_date(dt.date(1880, 1, 1), dt.date(2026, 11, 23))


def test_it_masks_phone_numbers():
    assert id_numbers.mask_phone("+84912345678") == "091****678"
