"""Registering denunciations for the identity-protection tests (synthetic people only)."""

from __future__ import annotations

import io

from django.db import connection

from tests import samples
from tiepdan.intake.attachments import check_file
from tiepdan.intake.models import Channel, Matter
from tiepdan.intake.registration.forms import RegistrationForm
from tiepdan.intake.registration.services import register_matter

NAME = "Trần Thị Bình"
ID_NUMBER = "031185000101"
PHONE = "0912000101"
PHONE_E164 = "+84912000101"
EMAIL = "tran.thi.binh@example.test"
REP_NAME = "Đỗ Văn Đại Diện"
REP_PHONE = "0987000202"
PDF = samples.pdf_bytes(2)


def denunciation_data(commune, **overrides) -> dict:
    data = {
        "full_name": NAME, "id_type": "cccd", "id_number": ID_NUMBER, "gender": "female",
        "date_of_birth": "1985-03-12", "province": "31", "ward": str(commune.ward_code),
        "address": "Thôn Hàm Hy", "phone": PHONE, "email": "", "kind": "to_cao",
        "summary": "Tố cáo cán bộ địa chính thu tiền trái phép",
        "content": (f"Tôi là {NAME.upper()}, số căn cước {ID_NUMBER[:4]} {ID_NUMBER[4:]}, "
                    "điện thoại 0912 000 101. Ông Lý Văn Tố, cán bộ địa chính, đã thu tiền "
                    "trái phép khi cấp giấy chứng nhận."),
        "complained_by": "Ông Lý Văn Tố, cán bộ địa chính xã",
        "consent": True,
    }
    data.update(overrides)
    return data


def register(commune, *, files=(PDF,), registered_by=None, channel=Channel.ONLINE_FORM,
             **overrides) -> Matter:
    form = RegistrationForm(data=denunciation_data(commune, **overrides))
    assert form.is_valid(), form.errors.as_json()
    checked = [check_file(f"don-{NAME}.pdf", io.BytesIO(data), len(data)) for data in files]
    return register_matter(commune, form.cleaned_data, channel=channel, files=checked,
                           registered_by=registered_by)


def raw_rows(table: str, column: str, value: object) -> list[str]:
    """Every value of every row of ``table`` where ``column = value``, as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s", [value])  # noqa: S608
        return [str(v) for row in cursor.fetchall() for v in row]


SECRETS = (NAME, NAME.upper(), ID_NUMBER, PHONE, PHONE_E164, "0912 000 101", EMAIL, REP_NAME,
           REP_PHONE, "+84987000202", "1985-03-12", "Thôn Hàm Hy")


def leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]
