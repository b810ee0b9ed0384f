"""Idempotency-Key on the registration and upload endpoints: a retry gets the first answer and
makes no second record; the same key with another body is a 409; concurrent twins make one."""

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from tests import samples
from tiepdan.core.models import IdempotencyKey
from tiepdan.intake.models import Attachment, Matter


def _post(client, ward_code, body, key=None, **extra):
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(f"/api/v1/communes/{ward_code}/registrations",
                       data=json.dumps(body), content_type="application/json", **extra)


@pytest.mark.django_db
def test_a_retry_with_the_same_key_gets_the_same_answer(client, an_lao, api_payload):
    first = _post(client, an_lao.ward_code, api_payload, key="k-1")
    again = _post(client, an_lao.ward_code, api_payload, key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Matter.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_each_post_is_a_registration(client, an_lao, api_payload):
    _post(client, an_lao.ward_code, api_payload)
    _post(client, an_lao.ward_code, api_payload)
    assert Matter.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_conflict(client, an_lao, api_payload):
    _post(client, an_lao.ward_code, api_payload, key="k-1")
    response = _post(client, an_lao.ward_code, {**api_payload, "summary": "Khác"}, key="k-1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Matter.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_client(client, an_lao, api_payload, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    _post(client, an_lao.ward_code, api_payload, key="k-1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    _post(client, an_lao.ward_code, api_payload, key="k-1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert Matter.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_attempt_leaves_the_key_free(client, an_lao, api_payload):
    assert _post(client, an_lao.ward_code, {**api_payload, "consent": False},
                 key="k-1").status_code == 422
    assert IdempotencyKey.objects.count() == 0
    # Corrected body, same key: the first attempt stored nothing, so this is not a reuse.
    assert _post(client, an_lao.ward_code, api_payload, key="k-1").status_code == 201


@pytest.mark.django_db
def test_an_overlong_key_is_refused(client, an_lao, api_payload):
    response = _post(client, an_lao.ward_code, api_payload, key="k" * 256)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Matter.objects.count() == 0


@pytest.mark.django_db
def test_uploads_accept_a_key(client, an_lao):
    def upload():
        return client.post(f"/api/v1/communes/{an_lao.ward_code}/uploads",
                           {"file": SimpleUploadedFile("a.pdf", samples.pdf_bytes())},
                           HTTP_IDEMPOTENCY_KEY="u-1")
    first, again = upload(), upload()
    assert first.status_code == again.status_code == 201
    assert first.json()["upload_id"] == again.json()["upload_id"]
    assert Attachment.objects.count() == 1


def test_concurrent_retries_make_one_record(transactional_db, an_lao, api_payload):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (DATABASE_URL)")
    answers = []
    barrier = threading.Barrier(4)

    def attempt():
        barrier.wait()
        try:
            response = _post(Client(), an_lao.ward_code, api_payload, key="twin")
            answers.append((response.status_code, response.json()["tracking_code"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Matter.objects.count() == 1
    assert {status for status, _code in answers} == {201}
    assert len({code for _status, code in answers}) == 1
