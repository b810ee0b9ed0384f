"""Who may see a denouncer's identity (Luật Tố cáo Đ47 k1 e, Đ56): the permission matrix for
denouncer data, role by role, through the real pages and API.

Only the Chairman (who resolves the denunciation) and the office officer (who receives it) may
reveal the identity or open a withheld attachment — always with a reason.  Every other role
(verifiers, the city observer, the village head who registered it, technical and system staff)
sees masks or nothing.  Nobody sees the identity by just opening the matter.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory, staff_user
from tiepdan.core.models import AuditEntry, PersonalDataAccess, Role
from tiepdan.intake.identity.sealing import MASK_NAME
from tiepdan.intake.models import Channel

from .identity_helpers import NAME, PDF, leaked, register

pytestmark = pytest.mark.django_db

SEEN, FORBIDDEN, HIDDEN = "seen masked", 403, 404


class Row(NamedTuple):
    page: object  # the matter page: SEEN (200, masks only) or a status
    reveal: object  # "Xem danh tính" with a reason: True (shown) or a status
    attachment: object  # the withheld attachment with a reason: True (file) or a status
    redacted_copy: object  # the redacted copy: True or a status
    api_detail: object  # the staff API detail: SEEN (masks only) or a status


MATRIX = {
    Role.CHAIRMAN: Row(SEEN, True, True, True, SEEN),
    Role.OFFICE_OFFICER: Row(SEEN, True, True, True, SEEN),
    Role.VICE_CHAIRMAN: Row(SEEN, FORBIDDEN, FORBIDDEN, True, SEEN),
    Role.DEPARTMENT_REP: Row(SEEN, FORBIDDEN, FORBIDDEN, True, SEEN),
    Role.COMMUNE_POLICE: Row(SEEN, FORBIDDEN, FORBIDDEN, True, SEEN),
    Role.CITY_OBSERVER: Row(SEEN, FORBIDDEN, FORBIDDEN, True, SEEN),
    # Registered the matter on the citizen's behalf, and still sees only masks.
    Role.VILLAGE_HEAD: Row(SEEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEEN),
    Role.TECHNICAL_OPERATOR: Row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    Role.SYSTEM_ADMIN: Row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
}


def test_every_role_is_in_the_matrix():
    assert set(MATRIX) == set(Role)


@pytest.fixture
def registrar(an_lao):
    return staff_user(Role.VILLAGE_HEAD, commune=an_lao)


@pytest.fixture
def denunciation(an_lao, registrar):
    return register(an_lao, files=(PDF,), registered_by=registrar, channel=Channel.ASSISTED)


def _user(role, commune, registrar):
    if role == Role.VILLAGE_HEAD:
        return registrar
    if role in (Role.CITY_OBSERVER, Role.SYSTEM_ADMIN):
        return staff_user(role, city=commune.city)
    return staff_user(role, commune=commune)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _masked(response) -> bool:
    text = _body(response).decode()
    return response.status_code == 200 and MASK_NAME in text and leaked(text) == []


@pytest.mark.parametrize(("role", "row"), list(MATRIX.items()), ids=[r.value for r in MATRIX])
def test_the_denouncer_data_permission_matrix(
    client, login_staff, an_lao, registrar, denunciation, role, row
):
    login_staff(client, _user(role, an_lao, registrar))
    ward, pk = an_lao.ward_code, denunciation.pk
    attachment = denunciation.attachments.get()
    reason = {"reason": "Xác minh để giải quyết tố cáo"}

    page = client.get(reverse("intake:matter", args=[ward, pk]))
    assert (_masked(page) if row.page == SEEN else page.status_code == row.page), "page"
    if row.page == SEEN:
        assert ("reveal-form" in page.content.decode()) is (row.reveal is True), "reveal button"

    revealed = client.post(reverse("intake:identity_reveal", args=[ward, pk]), reason)
    api_revealed = client.post(
        f"/api/v1/staff/communes/{ward}/matters/{pk}/identity-reveals", reason,
        content_type="application/json")
    if row.reveal is True:
        assert revealed.status_code == 200 and NAME in revealed.content.decode(), "reveal"
        assert api_revealed.status_code == 200 and api_revealed.json()["full_name"] == NAME
    else:
        assert revealed.status_code == row.reveal and leaked(revealed.content.decode()) == []
        assert api_revealed.status_code == row.reveal, "API reveal"
        assert leaked(api_revealed.content.decode()) == []

    download = client.post(reverse("intake:attachment", args=[attachment.pk]), reason)
    if row.attachment is True:
        assert download.status_code == 200 and _body(download) == PDF, "attachment"
    else:
        assert download.status_code == row.attachment, "attachment"
        assert not _body(download).startswith(b"%PDF")

    copy = client.get(reverse("intake:redacted_copy", args=[ward, pk]))
    api_copy = client.get(f"/api/v1/staff/communes/{ward}/matters/{pk}/redacted-copy")
    if row.redacted_copy is True:
        assert copy.status_code == 200 and leaked(copy.content.decode()) == [], "copy"
        assert "Ông Lý Văn Tố" in copy.content.decode()
        assert api_copy.status_code == 200 and leaked(api_copy.content.decode()) == []
    else:
        assert copy.status_code == row.redacted_copy, "copy"
        assert api_copy.status_code == row.redacted_copy, "API copy"

    detail = client.get(f"/api/v1/staff/communes/{ward}/matters/{pk}")
    if row.api_detail == SEEN:
        assert detail.status_code == 200 and leaked(detail.content.decode()) == [], "API"
        assert detail.json()["full_name"] == MASK_NAME and detail.json()["identity_protected"]
        assert detail.json()["attachments"][0]["withheld"] is True
    else:
        assert detail.status_code == row.api_detail, "API detail"

    reveals = PersonalDataAccess.objects.filter(type="intake.identity.revealed", object_id=str(pk))
    assert reveals.count() == (2 if row.reveal is True else 0)
    if row.reveal is True:
        assert set(reveals.values_list("reason", flat=True)) == {reason["reason"]}
    # Showing the redacted copy (page and API) is a read: the access log, not the chain.
    copies = PersonalDataAccess.objects.filter(type="intake.redacted_copy.viewed",
                                               object_id=str(pk))
    assert copies.count() == (2 if row.redacted_copy is True else 0)
    assert not AuditEntry.objects.filter(type__startswith="intake.redacted_copy.").exists()
    assert not AuditEntry.objects.filter(type="intake.identity.revealed").exists()


@pytest.mark.parametrize("role", [Role.CHAIRMAN, Role.OFFICE_OFFICER])
def test_the_allowed_roles_reveal_nothing_in_another_commune(
    client, login_staff, an_lao, denunciation, role
):
    login_staff(client, staff_user(role, commune=CommuneFactory()))
    url = f"/api/v1/staff/communes/{an_lao.ward_code}/matters/{denunciation.pk}/identity-reveals"
    response = client.post(url, {"reason": "Tò mò"}, content_type="application/json")
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.filter(type="intake.identity.revealed").exists()


def test_a_withheld_attachment_says_so_to_those_who_may_not_open_it(
    client, login_staff, an_lao, denunciation
):
    login_staff(client, staff_user(Role.COMMUNE_POLICE, commune=an_lao))
    response = client.get(reverse("intake:attachment", args=[denunciation.attachments.get().pk]))
    assert response.status_code == 403
    assert "Tài liệu được giữ bí mật" in response.content.decode()
