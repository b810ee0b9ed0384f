"""The Phiếu xác nhận of a Biên bản signed by the commune's seal: the citizen's answer changes
nothing in the signed minutes and is printed on the sheet, signed by the organisation's
certificate.  Apart from test_citizen_confirmation.py because it finalises the minutes itself
(under its own signature policy), where that module shares finalised ones."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from tests.documents.signing_kit import pkcs12_seal, test_pki  # noqa: F401  (fixtures)
from tiepdan.documents.signature_check import check_pdf
from tiepdan.documents.signing import official_pdf, seal_document
from tiepdan.minutes import services
from tiepdan.minutes.models import Minutes, MinutesConfirmation

from .test_citizen_confirmation import (  # noqa: F401  (representative: a fixture)
    CITIZEN_PHONE,
    SECTIONS,
    _answer,
    _page,
    _send_code,
    representative,
)

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("pkcs12_seal", "representative")
def test_the_sheet_is_sealed_and_the_signed_minutes_stay_unchanged(
        client, login_staff, officer, hearing, settings,
        django_capture_on_commit_callbacks):
    # The commune's seal signs the Biên bản (in place of the chair's token, for this test).
    settings.SIGNATURE_POLICY = {"BB": ["seal"]}
    minutes = services.draft_minutes(hearing, actor=officer)
    services.update_sections(minutes, actor=officer, **SECTIONS)
    with django_capture_on_commit_callbacks(execute=True):
        services.finalise(minutes, actor=officer)
    minutes = Minutes.objects.select_related("document").get(pk=minutes.pk)
    if not minutes.document.signatures.exists():  # the seal is applied by its own step
        with django_capture_on_commit_callbacks(execute=True):
            seal_document(minutes.document_id)
    signed_before = official_pdf(minutes.document)
    assert check_pdf(signed_before).all_valid

    url = _page(client, CITIZEN_PHONE)
    assert _answer(client, url, _send_code(client, url, CITIZEN_PHONE)).status_code == 302
    # The answer changes nothing in the signed Biên bản ...
    assert official_pdf(minutes.document) == signed_before
    assert MinutesConfirmation.objects.get().document_sha256 == hashlib.sha256(
        signed_before).hexdigest()
    # ... and is printed on the sheet, signed by the commune's organisation certificate.
    login_staff(client, officer)
    sheet = client.get(reverse("minutes:confirmation_sheet", args=[
        hearing.commune.ward_code, hearing.pk, minutes.pk])).content
    check = check_pdf(sheet)
    assert check.all_valid and check.signatures[0].certificate.organisation
