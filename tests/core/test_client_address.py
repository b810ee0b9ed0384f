"""The client address: X-Forwarded-For is believed only from a trusted proxy, and then only its
right-most untrusted entry; throttles, lock-out and the audit trail all use it."""

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.client_address import UNKNOWN, resolve
from tiepdan.core.models import PersonalDataAccess, Role
from tiepdan.intake.models import Matter
from tiepdan.ops.management.commands.serve import web_command


@pytest.mark.parametrize(
    ("trusted", "peer", "xff", "expected"),
    [
        pytest.param([], "203.0.113.9", "1.2.3.4", "203.0.113.9", id="no-proxy-header-ignored"),
        pytest.param(["10.0.0.1"], "203.0.113.9", "1.2.3.4", "203.0.113.9",
                     id="untrusted-peer-header-ignored"),
        pytest.param(["10.0.0.1"], "10.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7",
                     id="right-most-entry-from-trusted-proxy"),
        pytest.param(["10.0.0.0/8"], "10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2",
                     "198.51.100.7", id="chain-of-trusted-proxies-skipped"),
        pytest.param(["10.0.0.1"], "10.0.0.1", "", "10.0.0.1", id="proxy-without-header"),
        pytest.param(["10.0.0.1"], "10.0.0.1", "garbage", "10.0.0.1", id="garbled-header"),
        pytest.param(["10.0.0.1"], "10.0.0.1", "1.2.3.4, nonsense, 198.51.100.7",
                     "198.51.100.7", id="garbage-left-of-client-ignored"),
        pytest.param([], "::ffff:192.0.2.1", None, "192.0.2.1", id="ipv4-mapped"),
        pytest.param([], None, "1.2.3.4", UNKNOWN, id="no-peer"),
    ],
)
def test_it_resolves_the_client(settings, trusted, peer, xff, expected):
    settings.TRUSTED_PROXIES = trusted
    assert resolve(peer, xff) == expected


def _lookup(client, forged):
    return client.get("/api/v1/registrations/AAAA-BBBB-CCCC", {"phone": "0912345678"},
                      HTTP_X_FORWARDED_FOR=forged)


@pytest.mark.django_db
def test_a_forged_header_does_not_lift_the_api_limit(client, settings):
    # The limit is read when the route is declared; 60/m by default.
    statuses = [_lookup(client, f"198.51.100.{i}").status_code for i in range(70)]
    assert statuses[:60] == [404] * 60
    assert set(statuses[60:]) == {429}


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(60):
        _lookup(client, "198.51.100.1")
    assert _lookup(client, "198.51.100.1").status_code == 429
    assert _lookup(client, "198.51.100.2").status_code == 404
    # A client behind the proxy cannot escape by adding its own entries on the left.
    assert _lookup(client, "9.9.9.9, 198.51.100.1").status_code == 429


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_lock_out(an_lao, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    statuses = []
    for i in range(settings.AXES_FAILURE_LIMIT + 2):
        response = Client().post(reverse("core:login"),
                                 {"username": officer.username, "password": "sai-mat-khau"},
                                 HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        statuses.append(response.status_code)
    assert statuses[-1] == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@pytest.mark.django_db
def test_the_access_log_records_the_resolved_address(client, an_lao, api_payload, settings,
                                                       login_staff):
    client.post(f"/api/v1/communes/{an_lao.ward_code}/registrations",
                data=json.dumps(api_payload), content_type="application/json")
    matter_id = Matter.objects.get().pk
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    url = reverse("intake:matter", args=[an_lao.ward_code, matter_id])
    client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.3")
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.get(url, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    views = PersonalDataAccess.objects.filter(type="intake.matter.viewed").order_by("id")
    assert [e.ip for e in views] == ["127.0.0.1", "198.51.100.4"]


@pytest.mark.django_db
def test_https_is_believed_only_from_a_trusted_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_the_server_does_not_rewrite_addresses_from_proxy_headers():
    command = web_command("python", "127.0.0.1", 8000, 1)
    assert "--no-proxy-headers" in command
    assert command[command.index("--ws-max-size") + 1] == str(64 * 1024)
