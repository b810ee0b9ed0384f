"""Camera and microphone are allowed on the hearing-room and readiness pages, nowhere else."""

import pytest

from tiepdan.hearings.join_tokens import join_path

pytestmark = pytest.mark.urls("tests.media.urls")


def test_the_room_page_may_use_camera_and_microphone(cast, client):
    policy = client.get(join_path(cast.citizen))["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=(self)" in policy
    assert "geolocation=()" in policy


def test_the_readiness_page_may_use_camera_and_microphone(cast, client, login_staff):
    login_staff(client, cast.chair)
    response = client.get(f"/can-bo/phong-tiep/{cast.hearing.pk}/kiem-tra/")
    assert response.status_code == 200
    assert "camera=(self)" in response["Permissions-Policy"]


def test_other_pages_may_not(client, db):
    policy = client.get("/")["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy
