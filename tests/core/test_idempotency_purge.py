"""Expired Idempotency-Keys are deleted by an hourly job of the worker; fresh ones stay."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tiepdan.core.models import IdempotencyKey
from tiepdan.core.tasks import purge_idempotency_keys

pytestmark = pytest.mark.django_db


def _key(name: str, created_at: dt.datetime) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        client="198.51.100.7",
        scope="registration:1",
        key=name,
        request_digest="0" * 64,
        status_code=201,
        response={"code": name},
        created_at=created_at,
    )


def test_the_job_deletes_keys_older_than_24_hours_and_keeps_the_others(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    now = timezone.now()
    _key("old", now - dt.timedelta(hours=24, minutes=1))
    _key("fresh", now - dt.timedelta(hours=23, minutes=59))
    assert purge_idempotency_keys.call_local() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]

    time_machine.shift(dt.timedelta(minutes=2))
    assert purge_idempotency_keys.call_local() == 1
    assert not IdempotencyKey.objects.exists()


def test_the_worker_schedules_it_every_hour():
    name = purge_idempotency_keys.task_class.__name__
    at = dt.datetime(2026, 3, 2, 10, 23)  # noqa: DTZ001 (Huey's clock is naive UTC)
    assert name in {task.name for task in HUEY.read_periodic(at)}
    assert name not in {task.name for task in HUEY.read_periodic(at + dt.timedelta(minutes=1))}


def test_a_retry_after_the_purge_registers_again(client, an_lao, api_payload, time_machine):
    # The purge frees a key for good: the same key a day later is a new request, not a replay.
    def post():
        return client.post(
            f"/api/v1/communes/{an_lao.ward_code}/registrations",
            data=json.dumps(api_payload),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k-1",
        )

    time_machine.move_to(timezone.now(), tick=False)
    first = post()
    assert first.status_code == 201 and IdempotencyKey.objects.count() == 1
    time_machine.shift(dt.timedelta(hours=25))
    assert purge_idempotency_keys.call_local() == 1
    again = post()
    assert again.status_code == 201
    assert again.json()["tracking_code"] != first.json()["tracking_code"]
