"""`tiepdan serve --workers`: several web processes only where the hearing rooms share their
state (Redis, decision 0003); one per core by default there, one in embedded mode."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tiepdan.ops.management.commands.serve import web_workers


def test_with_redis_the_default_is_one_worker_per_core():
    assert web_workers(None, shared_state=True) == (os.cpu_count() or 1)
    assert web_workers(3, shared_state=True) == 3


def test_embedded_mode_stays_on_one_worker_and_refuses_more():
    assert web_workers(None, shared_state=False) == 1
    assert web_workers(1, shared_state=False) == 1
    with pytest.raises(CommandError, match="REDIS_URL"):
        web_workers(2, shared_state=False)
    with pytest.raises(CommandError):
        web_workers(0, shared_state=True)


def test_serve_refuses_two_workers_without_redis(settings):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="Nhiều tiến trình web cần Redis"):
        call_command("serve", "--workers", "2", "--no-worker", "--no-janus")
