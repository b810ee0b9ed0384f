"""Uploads that no registration claimed and expired drafts are deleted after 24 hours by the
periodic job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from tiepdan.intake.models import Attachment, Matter, RegistrationDraft
from tiepdan.intake.tasks import purge_unclaimed_uploads

from .steps_helpers import check_url, draft_id, fill_all, pdf, step_url

pytestmark = pytest.mark.django_db


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_unsubmitted_uploads_and_drafts_go_after_24_hours(client, an_lao, settings,
                                                          time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.post(step_url(an_lao, "tai-lieu"), {"attachments": [pdf("a.pdf"), pdf("b.pdf")]})
    assert len(_files(settings)) == 2

    time_machine.shift(dt.timedelta(hours=23, minutes=59))
    assert purge_unclaimed_uploads.call_local() == 0
    assert Attachment.objects.count() == 2 and RegistrationDraft.objects.count() == 1

    time_machine.shift(dt.timedelta(minutes=2))
    assert purge_unclaimed_uploads.call_local() == 2
    assert not Attachment.objects.exists() and not RegistrationDraft.objects.exists()
    assert _files(settings) == []


def test_submitted_files_are_kept(client, an_lao, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    fill_all(client, an_lao, files=(pdf("a.pdf"),))
    client.post(check_url(an_lao), {"draft": draft_id(client, an_lao)})
    time_machine.shift(dt.timedelta(days=2))
    assert purge_unclaimed_uploads.call_local() == 0
    assert Matter.objects.get().attachments.count() == 1
    assert len(_files(settings)) == 1
