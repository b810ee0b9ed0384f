"""The readiness test pages (who may open them) and where the results are shown."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.hearings.invitations import _invitation_text
from tiepdan.hearings.join_tokens import join_path, join_token, readiness_url
from tiepdan.media import readiness, rules

from .assets import page_assets

GOOD = {"camera_ok": True, "camera_width": 640, "camera_height": 480, "microphone_ok": True,
        "microphone_level": 0.4, "speakers_confirmed": True, "rtt_ms": 12.5, "jitter_ms": 3.1,
        "loss_pct": 0.0, "bitrate_kbps": 455.2}


def test_page(token: str) -> str:
    return reverse("media:readiness", args=[token])


test_page.__test__ = False  # a helper, not a test


def staff_page(cast) -> str:
    return reverse("media:staff_readiness", args=[cast.hearing.pk])


def test_a_participant_opens_the_test_page_of_their_point(cast, client):
    response = client.get(test_page(join_token(cast.official)))
    assert response.status_code == 200
    html = response.content.decode()
    assert cast.department.name in html and cast.official.full_name in html
    assert f'data-ws="/ws/kiem-tra/{cast.hearing.pk}/"' in html
    assert "Tôi nghe thấy" in html


@pytest.mark.parametrize("token_of", [
    pytest.param(lambda c: join_token(c.official)[:-3] + "abc", id="forged"),
    pytest.param(lambda c: join_token(c.official, expires_at=timezone.now()
                                      - dt.timedelta(seconds=1)), id="expired"),
    pytest.param(lambda c: "garbage", id="garbage"),
])
def test_it_refuses_a_bad_or_expired_link(cast, client, token_of):
    response = client.get(test_page(token_of(cast)))
    assert response.status_code == 403
    assert "đường dẫn" in response.content.decode().lower()


@pytest.mark.parametrize("who", ["chair", "operator"])
def test_the_chair_and_the_operator_test_the_central_point(cast, client, login_staff, who):
    login_staff(client, getattr(cast, who))
    response = client.get(staff_page(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert cast.central.name in html and 'data-token=""' in html


def test_it_refuses_the_staff_page_to_another_communes_operator(cast, client, login_staff):
    login_staff(client, cast.outsider)
    assert client.get(staff_page(cast)).status_code == 403


def test_it_refuses_the_staff_page_to_an_observer(cast, client, login_staff):
    login_staff(client, staff_user(Role.CITY_OBSERVER, cast.hearing.commune))
    assert client.get(staff_page(cast)).status_code == 403


def test_it_sends_anonymous_visitors_of_the_staff_page_to_login(cast, client):
    assert client.get(staff_page(cast)).status_code == 302


def test_the_test_page_loads_only_local_assets(cast, client: Client):
    html = client.get(test_page(join_token(cast.citizen))).content.decode()
    assets = page_assets(client, html)
    assert "/static/tiepdan/readiness/readiness.js" in assets
    assert {"/static/tiepdan/media/socket.js", "/static/tiepdan/media/ice.js",
            "/static/tiepdan/media/stats.js"} <= set(assets)
    for url in assets:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url
    assert "https://" not in html
    limits = json.loads(re.search(
        r'<script id="readiness-limits" type="application/json">(.*?)</script>', html).group(1))
    assert limits == rules.readiness_page_limits()


def test_the_hearing_page_shows_who_is_not_ready(cast, client, login_staff):
    official = readiness.tester_from_token(join_token(cast.official))
    readiness.record_result(official, GOOD)
    readiness.record_result(readiness.tester_from_token(join_token(cast.citizen)),
                            {**GOOD, "bitrate_kbps": 120.0})
    login_staff(client, cast.operator)
    commune = cast.hearing.commune
    response = client.get(reverse("hearings:detail", args=[commune.ward_code, cast.hearing.pk]))
    html = response.content.decode()
    by_point = {int(point): state for state, point in
                re.findall(r'<tr class="(ready|not-ready)" data-point="(\d+)"', html)}
    assert by_point == {cast.central.pk: "not-ready", cast.department.pk: "ready",
                                 cast.citizen_point.pk: "not-ready"}
    assert "Chưa kiểm tra" in html and "120,0" in html and "thấp hơn mức tối thiểu" in html
    not_ready = re.search(r'id="not-ready">(.*?)</p>', html, re.S).group(1)
    assert cast.central.name in not_ready and cast.citizen_point.name in not_ready
    assert cast.department.name not in not_ready
    links = re.findall(r'class="test-link" href="[^"]*/phong-tiep/kiem-tra/([^"/]+)/"', html)
    assert {readiness.tester_from_token(t).participant_id for t in links} == {
        cast.official.pk, cast.citizen.pk}
    assert reverse("media:staff_readiness", args=[cast.hearing.pk]) in html


def test_the_chair_sees_the_readiness_panel_in_the_room_and_points_do_not(cast, client,
                                                                           login_staff):
    login_staff(client, cast.chair)
    chair_html = client.get(f"/can-bo/phong-tiep/{cast.hearing.pk}/").content.decode()
    assert 'id="readiness-panel"' in chair_html and cast.citizen_point.name in chair_html
    point_html = Client().get(join_path(cast.official)).content.decode()
    assert 'id="readiness-panel"' not in point_html


def test_the_invitation_gives_the_test_page(cast):
    text = _invitation_text(cast.official)
    url = readiness_url(cast.official)
    assert f"kiểm tra camera, micro, loa và đường truyền tại: {url}" in text
    assert readiness.tester_from_token(url.rstrip("/").rsplit("/", 1)[-1]).bridge_point_id == (
        cast.department.pk)


def test_the_relay_only_network_mode_is_offered_only_with_a_turn_server(cast, client, settings):
    settings.TURN_URLS = []
    page = client.get(test_page(join_token(cast.official))).content.decode()
    assert 'id="relay-only"' not in page
    settings.TURN_URLS = ["turn:turn.example.vn:3478?transport=udp"]
    settings.TURN_SECRET = "a-shared-secret-of-the-deployment"
    page = client.get(test_page(join_token(cast.official))).content.decode()
    assert 'id="relay-only"' in page
    assert "chỉ kết nối qua máy chủ chuyển tiếp (TURN)" in page
    assert "/static/tiepdan/media/ice.js" in page_assets(client, page)  # the network mode
    assert settings.TURN_SECRET not in page  # credentials come per session, over the socket
