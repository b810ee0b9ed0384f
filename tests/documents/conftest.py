"""Fixtures of the documents tests: a signer, the data of an invitation, an issued one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tiepdan.core.models import Commune, Role
from tiepdan.documents.layout import Signer
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.documents.services import issue_document

from ..factories import staff_user

ISSUED_ON = dt.date(2026, 1, 5)


@pytest.fixture
def signer() -> Signer:
    return Signer.vice_chair("Nguyễn Phú Trung")


@pytest.fixture
def invitation_data() -> dict[str, Any]:
    start = timezone.make_aware(dt.datetime(2026, 1, 15, 8, 0))
    return {
        "invitees": "Đại diện Ban Tiếp công dân thành phố Hải Phòng",
        "event": "Buổi tiếp công dân trực tuyến định kỳ tháng 01 năm 2026",
        "chair": "Ông Nguyễn Phú Trung, Phó Chủ tịch UBND xã",
        "start": start,
        "location": "Phòng họp trực tuyến, Trụ sở UBND xã An Lão",
    }


@pytest.fixture
def officer(an_lao: Commune):
    return staff_user(Role.OFFICE_OFFICER, commune=an_lao)


@pytest.fixture
def invitation(an_lao, officer, signer, invitation_data) -> IssuedDocument:
    return issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                          signer=signer, issued_on=ISSUED_ON)
