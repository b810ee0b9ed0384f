"""Revealing a denouncer's identity needs a reason, and every reveal is in the personal-data
access log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.core.models import AuditEntry, PersonalDataAccess, Role
from tiepdan.intake.identity.reveal import (
    NotProtected,
    open_withheld_attachment,
    reveal_identity,
)
from tiepdan.intake.identity.sealing import MASK_NAME

from .identity_helpers import NAME, PDF, leaked, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def chairman(an_lao):
    return staff_user(Role.CHAIRMAN, commune=an_lao)


@pytest.fixture
def denunciation(an_lao):
    return register(an_lao)


def _reveals():
    return PersonalDataAccess.objects.filter(type="intake.identity.revealed")


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_it_refuses_a_reveal_without_a_reason_and_records_nothing(chairman, denunciation, reason):
    with pytest.raises(InvalidInput) as raised:
        reveal_identity(denunciation, actor=chairman, reason=reason)
    assert "reason" in raised.value.field_errors
    assert not _reveals().exists()


def test_it_records_the_reveal_with_its_reason(chairman, denunciation):
    identity = reveal_identity(denunciation, actor=chairman, reason="Mời người tố cáo làm việc")

    assert identity.full_name == NAME
    entry = _reveals().get()
    assert (entry.actor, entry.reason, entry.object_id) == (
        chairman, "Mời người tố cáo làm việc", str(denunciation.pk))
    assert entry.actor_roles == Role.CHAIRMAN
    assert entry.data == {"tracking_code": denunciation.tracking_code}
    assert NAME not in entry.text and NAME not in str(entry.data)
    assert not AuditEntry.objects.filter(type="intake.identity.revealed").exists()


def test_a_verifier_is_refused_even_with_a_reason(an_lao, denunciation):
    police = staff_user(Role.COMMUNE_POLICE, commune=an_lao)
    with pytest.raises(Forbidden):
        reveal_identity(denunciation, actor=police, reason="Xác minh")
    assert not _reveals().exists()


def test_a_matter_that_is_not_sealed_has_nothing_to_reveal(an_lao, chairman):
    matter = register(an_lao, kind="kien_nghi", summary="Kiến nghị", content="Sửa đường.")
    with pytest.raises(NotProtected):
        reveal_identity(matter, actor=chairman, reason="Xem")


def test_the_page_asks_for_the_reason_again_when_it_is_missing(
    client, login_staff, an_lao, chairman, denunciation
):
    login_staff(client, chairman)
    response = client.post(reverse("intake:identity_reveal",
                                   args=[an_lao.ward_code, denunciation.pk]), {"reason": " "})
    assert response.status_code == 422
    assert "Cần ghi rõ lý do" in response.content.decode()
    assert leaked(response.content.decode()) == []
    assert not _reveals().exists()


def test_the_revealed_page_is_not_cached(client, login_staff, an_lao, chairman, denunciation):
    login_staff(client, chairman)
    response = client.post(reverse("intake:identity_reveal",
                                   args=[an_lao.ward_code, denunciation.pk]),
                           {"reason": "Giải quyết tố cáo"})
    assert response.status_code == 200 and NAME in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # Shown once: the matter page still shows the masks afterwards.
    page = client.get(reverse("intake:matter", args=[an_lao.ward_code, denunciation.pk]))
    assert MASK_NAME in page.content.decode() and NAME not in page.content.decode()


def test_the_api_refuses_a_reveal_without_a_reason(client, login_staff, an_lao, chairman,
                                                   denunciation):
    login_staff(client, chairman)
    url = f"/api/v1/staff/communes/{an_lao.ward_code}/matters/{denunciation.pk}/identity-reveals"
    response = client.post(url, {"reason": ""}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["reason"][0]["code"] == "required"
    assert not _reveals().exists()


def test_a_withheld_attachment_needs_a_reason_too(client, login_staff, an_lao, chairman,
                                                  denunciation):
    attachment = denunciation.attachments.get()
    with pytest.raises(InvalidInput):
        open_withheld_attachment(attachment, actor=chairman, reason="")
    login_staff(client, chairman)
    url = reverse("intake:attachment", args=[attachment.pk])

    form = client.get(url)
    refused = client.post(url, {"reason": ""})
    downloaded = client.post(url, {"reason": "Đối chiếu chữ ký"})

    assert form.status_code == 200 and b"%PDF" not in form.content
    assert refused.status_code == 422
    assert downloaded.status_code == 200 and downloaded.content == PDF
    assert "no-store" in downloaded["Cache-Control"]
    entries = PersonalDataAccess.objects.filter(type="intake.withheld_attachment.downloaded",
                                                object_id=str(attachment.pk))
    assert [(e.reason, e.actor) for e in entries] == [("Đối chiếu chữ ký", chairman)]
