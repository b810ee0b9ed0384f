"""Fixtures of the documents tests: a signer, the data of an invitation, an issued one."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.utils import timezone

from tiepdan.core.models import City, Commune
from tiepdan.documents.composer import compose
from tiepdan.documents.layout import Signer
from tiepdan.documents.models import DocType, DocumentTemplate, IssuedDocument
from tiepdan.documents.registry import RenderedDocument, render
from tiepdan.documents.services import issue_document

from .signing_kit import pkcs11_seal, pkcs12_seal, softhsm_token, test_pki  # noqa: F401

ISSUED_ON = dt.date(2026, 1, 5)


SIGNER = Signer.vice_chair("Nguyễn Phú Trung")


def default_template(doc_type: DocType) -> DocumentTemplate:
    """The seeded template of ``doc_type``, unsaved (no database needed)."""
    seeds = importlib.import_module("tiepdan.documents.migrations.0002_default_templates")
    values = next(t for t in seeds.TEMPLATES if t["doc_type"] == doc_type)
    return DocumentTemplate(pk=0, archive_unit="VP", **values)


def sample_context(doc_type: DocType, data: dict[str, Any], number: int = 5) -> dict[str, Any]:
    """The composed context of a document of Xã An Lão, built without a database."""
    commune = Commune(ward_code=11629, name="Xã An Lão",
                      city=City(province_code=31, name="Thành phố Hải Phòng"))
    return compose(commune, doc_type, data, number=number, issued_on=ISSUED_ON, signer=SIGNER,
                   template=default_template(doc_type))


def invitation_values() -> dict[str, Any]:
    start = timezone.make_aware(dt.datetime(2026, 1, 15, 8, 0))
    return {
        "invitees": "Đại diện Ban Tiếp công dân thành phố Hải Phòng",
        "event": "Buổi tiếp công dân trực tuyến định kỳ tháng 01 năm 2026",
        "chair": "Ông Nguyễn Phú Trung, Phó Chủ tịch UBND xã",
        "start": start,
        "location": "Phòng họp trực tuyến, Trụ sở UBND xã An Lão",
    }


@pytest.fixture(scope="session")
def rendered_invitation() -> RenderedDocument:
    """Giấy mời số 05/GM-UBND of Xã An Lão, rendered once for the format tests."""
    return render(DocType.INVITATION, sample_context(DocType.INVITATION, invitation_values()))


@pytest.fixture
def signer() -> Signer:
    return SIGNER


@pytest.fixture
def invitation_data() -> dict[str, Any]:
    return invitation_values()


@pytest.fixture
def invitation(an_lao, officer, signer, invitation_data) -> IssuedDocument:
    return issue_document(an_lao, DocType.INVITATION, invitation_data, actor=officer,
                          signer=signer, issued_on=ISSUED_ON)
