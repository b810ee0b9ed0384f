"""One client may hold only UPLOAD_QUOTA_BYTES of unclaimed uploads within 24 hours."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import samples
from tiepdan.intake.models import Attachment

pytestmark = pytest.mark.django_db


def _upload(client, ward_code, data, **extra):
    return client.post(f"/api/v1/communes/{ward_code}/uploads",
                       {"file": SimpleUploadedFile("a.pdf", data)}, **extra)


def test_it_refuses_uploads_over_the_quota(client, an_lao, settings):
    data = samples.pdf_bytes()
    settings.UPLOAD_QUOTA_BYTES = len(data) * 2
    assert _upload(client, an_lao.ward_code, data).status_code == 201
    assert _upload(client, an_lao.ward_code, data).status_code == 201
    response = _upload(client, an_lao.ward_code, data, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "upload_quota_exceeded"
    assert "24 giờ" in body["message"]
    assert int(response["Retry-After"]) > 0
    assert Attachment.objects.count() == 2


def test_the_quota_frees_up_after_24_hours(client, an_lao, settings):
    data = samples.pdf_bytes()
    settings.UPLOAD_QUOTA_BYTES = len(data)
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        assert _upload(client, an_lao.ward_code, data).status_code == 201
        assert _upload(client, an_lao.ward_code, data).status_code == 429
    with time_machine.travel(start + dt.timedelta(hours=24, seconds=1), tick=False):
        assert _upload(client, an_lao.ward_code, data).status_code == 201


def test_claimed_uploads_do_not_count(client, an_lao, settings, api_payload):
    data = samples.pdf_bytes()
    settings.UPLOAD_QUOTA_BYTES = len(data)
    upload_id = _upload(client, an_lao.ward_code, data).json()["upload_id"]
    import json
    response = client.post(f"/api/v1/communes/{an_lao.ward_code}/registrations",
                           data=json.dumps({**api_payload, "attachments": [upload_id]}),
                           content_type="application/json")
    assert response.status_code == 201
    assert _upload(client, an_lao.ward_code, data).status_code == 201
