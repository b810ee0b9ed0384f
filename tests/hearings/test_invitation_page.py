"""The public invitation page a participant's link opens: whom it greets, what it is about, the
substitute's fields only on demand, and the links to the readiness test and the status page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tiepdan.hearings import changes
from tiepdan.hearings.invitations import invitation_token
from tiepdan.hearings.join_tokens import readiness_url
from tiepdan.hearings.models import Attendance, Participant
from tiepdan.intake.models import Matter
from tiepdan.intake.status import status_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(ready_hearing):
    return Participant.objects.select_related("matter").get(full_name="Trần Thị Bình")


def _url(person):
    return reverse("hearings:invitation", args=[invitation_token(person)])


def _details(page: str) -> str:
    return re.search(r'<details id="substitute"[^>]*>.*?</details>', page, re.S).group(0)


def test_it_greets_the_invitee_by_full_name(client, citizen):
    page = client.get(_url(citizen)).content.decode()
    assert "Kính gửi Ông/Bà Trần Thị Bình," in page


def test_it_names_the_matter_the_citizen_is_invited_for(client, citizen):
    page = client.get(_url(citizen)).content.decode()
    subject = re.search(r'<dd id="invitation-subject">(.*?)</dd>', page).group(1)
    assert subject == "Kiến nghị: Kiến nghị sửa đường"


def test_an_official_sees_the_hearing_title(client, ready_hearing, officer):
    point = ready_hearing.bridge_points.get(is_central=True)
    guest = Participant.objects.create(
        bridge_point=point, full_name="Phạm Văn Địa Chính", position="Công chức địa chính"
    )
    page = client.get(_url(guest)).content.decode()
    assert "Kính gửi Ông/Bà Phạm Văn Địa Chính," in page
    assert f'<dd id="invitation-subject">{ready_hearing.title}</dd>' in page
    assert 'id="status-link"' not in page  # no matter of theirs


def test_the_substitute_fields_are_behind_a_disclosure(client, citizen):
    page = client.get(_url(citizen)).content.decode()
    details = _details(page)
    assert '<details id="substitute">' in details  # closed
    assert 'name="substitute_name"' in details and 'name="substitute_position"' in details
    assert 'value="substituted"' in details
    outside = page.replace(details, "")
    assert 'name="substitute_name"' not in outside and 'value="substituted"' not in outside
    assert 'value="confirmed"' in outside and 'value="declined"' in outside
    assert "<script" not in details


def test_a_missing_substitute_name_opens_the_disclosure_with_the_error(client, citizen):
    response = client.post(_url(citizen), {"attendance": "substituted"})
    assert response.status_code == 422
    details = _details(response.content.decode())
    assert details.startswith('<details id="substitute" open>')
    assert "Nhập họ tên người được cử thay." in details


def test_naming_a_substitute_from_the_disclosure_is_saved(client, citizen):
    response = client.post(
        _url(citizen),
        {
            "attendance": "substituted",
            "substitute_name": "Trần Văn Con",
            "substitute_position": "Con trai",
        },
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert (citizen.attendance, citizen.substitute_name) == (Attendance.SUBSTITUTED, "Trần Văn Con")


def test_it_links_to_the_readiness_test_and_the_status_page(client, citizen, settings):
    page = client.get(_url(citizen)).content.decode()
    readiness = re.search(r'<a id="readiness-link" href="([^"]+)"', page).group(1)
    assert readiness == readiness_url(citizen)
    status = re.search(r'<a id="status-link" href="([^"]+)"', page).group(1)
    assert status.endswith(status_path(citizen.matter))
    assert client.get(status.removeprefix(settings.SITE_URL)).status_code == 200


def test_a_sealed_matter_is_named_by_its_kind_only(client, citizen):
    # Only a denunciation is sealed at registration; the flag alone is what the page reads, so
    # it is set on this agenda's matter instead of building a denunciation's hearing.
    Matter.objects.filter(pk=citizen.matter_id).update(identity_sealed=True)
    page = client.get(_url(citizen)).content.decode()
    assert '<dd id="invitation-subject">Kiến nghị</dd>' in page
    assert "sửa đường" not in page


def test_a_cancelled_hearing_offers_no_form_and_no_readiness_test(
    client, citizen, officer, ready_hearing
):
    changes.cancel(ready_hearing, actor=officer, reason="Mưa bão")
    page = client.get(_url(citizen)).content.decode()
    assert "Buổi tiếp này đã bị hủy." in page
    assert 'id="invitation-response"' not in page and 'id="readiness-link"' not in page


def test_the_page_is_private(client, citizen):
    response = client.get(_url(citizen))
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"  # its form keeps a real Origin
