"""The hearing-room pages: who gets in, and that the page needs nothing from outside."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from tiepdan.hearings.join_tokens import join_path, join_token
from tiepdan.media import rules

from .assets import page_assets

pytestmark = pytest.mark.urls("tests.media.urls")


def staff_page(cast) -> str:
    return f"/can-bo/phong-tiep/{cast.hearing.pk}/"


def test_it_shows_the_chair_the_room_with_the_chair_panel(cast, client, login_staff):
    login_staff(client, cast.chair)
    response = client.get(staff_page(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-role="chair"' in html and 'id="chair-panel"' in html
    assert 'data-token=""' in html and "Điều 12" in html


def test_it_refuses_the_room_to_another_communes_staff(cast, client, login_staff):
    login_staff(client, cast.outsider)
    assert client.get(staff_page(cast)).status_code == 403


def test_it_sends_anonymous_visitors_of_the_staff_page_to_login(cast, client):
    assert client.get(staff_page(cast)).status_code == 302


def test_it_opens_the_room_from_a_join_link(cast, client):
    response = client.get(join_path(cast.citizen))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-role="participant"' in html and cast.citizen_point.name in html


@pytest.mark.parametrize("token_of", [
    pytest.param(lambda c: join_token(c.citizen)[:-3] + "abc", id="forged"),
    pytest.param(lambda c: join_token(c.citizen, expires_at=timezone.now()
                                      - dt.timedelta(seconds=1)), id="expired"),
])
def test_it_refuses_a_bad_join_link_with_a_clear_page(cast, client, token_of):
    response = client.get(f"/phong-tiep/vao/{token_of(cast)}/")
    assert response.status_code == 403
    assert "đường dẫn" in response.content.decode().lower()


def test_the_room_page_loads_only_local_assets(cast, client: Client):
    html = client.get(join_path(cast.official)).content.decode()
    assets = page_assets(client, html)
    assert "/static/tiepdan/room/room.js" in assets
    # The modules it shares with the readiness page, imported from the product itself.
    assert {"/static/tiepdan/media/socket.js", "/static/tiepdan/media/ice.js",
            "/static/tiepdan/media/stats.js"} <= set(assets)
    for url in assets:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url
    assert "https://" not in html


def test_the_room_page_gives_its_script_the_servers_limits(cast, client: Client):
    html = client.get(join_path(cast.official)).content.decode()
    limits = json.loads(re.search(
        r'<script id="room-limits" type="application/json">(.*?)</script>', html).group(1))
    assert limits == rules.room_page_limits()
    assert limits["video_freeze_seconds"] == rules.VIDEO_FREEZE_SECONDS
    assert f'id="grant-seconds" min="1" max="{rules.MAX_GRANT_SECONDS}"' in html
    assert re.search(r'<script type="module" nonce="[^"]+" src="/static/tiepdan/room/room.js">',
                     html)
