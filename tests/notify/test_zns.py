"""ZNS beside SMS, against a local server that speaks the ZNS protocol (tests/notify/zns_server)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tiepdan import settings as project_settings
from tiepdan.notify import services
from tiepdan.notify.models import Channel, Delivery, DeliveryStatus

from .zns_server import ZnsServer, ZnsState, ZnsTemplate

pytestmark = pytest.mark.django_db

TOKEN = "oa-access-token-test"
INVITATION = ZnsTemplate("248079", {"ten": 30, "thoi_gian": 30, "ma_ho_so": 30, "lien_ket": 200})
PARAMS = {"ten": "Nguyễn Thị Hoa", "thoi_gian": "08:00 ngày 10/12/2026",
          "ma_ho_so": "HS-7K2M-9Q4X", "lien_ket": "http://127.0.0.1:8000/t/abc"}
SMS_TEXT = "UBND xa An Lao moi Ong/Ba du buoi tiep cong dan 08:00 10/12/2026: http://127.0.0.1:8000/t/abc"


@pytest.fixture
def zns(settings, an_lao):
    state = ZnsState(access_token=TOKEN, templates={INVITATION.template_id: INVITATION})
    with ZnsServer(state) as server:
        settings.ZNS_API_URL = server.url
        settings.ZNS_ACCESS_TOKEN = TOKEN
        settings.ZNS_COMMUNES = frozenset({str(an_lao.ward_code)})
        settings.ZNS_TEMPLATES = {"hearings.invitation": INVITATION.template_id}
        yield state


def _queue(commune, capture, *, params=PARAMS, to="+84912345678"):
    with capture(execute=True):
        return services.queue_sms(commune=commune, to=to, text=SMS_TEXT,
                                  purpose="hearings.invitation", params=params)


def test_it_sends_a_template_message_in_the_shape_zns_expects(
    zns, an_lao, django_capture_on_commit_callbacks
):
    delivery = _queue(an_lao, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.channel == Channel.ZNS and delivery.status == DeliveryStatus.SENT
    [request] = zns.requests
    assert request["phone"] == "84912345678"
    assert request["template_id"] == INVITATION.template_id
    assert request["template_data"] == PARAMS
    assert request["tracking_id"] == f"tiepdan-{delivery.pk}"
    assert len(delivery.provider_id) == 32  # the msg_id ZNS answered
    assert not Delivery.objects.filter(channel=Channel.SMS).exists()


def test_a_citizen_without_zalo_gets_the_sms_at_once(
    zns, an_lao, django_capture_on_commit_callbacks
):
    zns.no_zalo.add("84912345678")
    delivery = _queue(an_lao, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert "-118" in delivery.last_error
    [sms] = delivery.fallbacks.all()
    assert (sms.channel, sms.status, sms.body_text) == (Channel.SMS, DeliveryStatus.SENT, SMS_TEXT)
    assert not delivery.office_alerted  # the citizen was reached; nothing for the office to do


@pytest.mark.parametrize(("params", "code"), [
    pytest.param({**PARAMS, "ten": "x" * 31}, "-112", id="parameter-too-long"),
    pytest.param({"ten": "Nguyễn Thị Hoa"}, "-112", id="missing-parameters"),
    pytest.param({}, "-111", id="no-parameters"),
])
def test_a_template_zns_refuses_falls_back_to_sms(
    zns, an_lao, django_capture_on_commit_callbacks, params, code
):
    delivery = _queue(an_lao, django_capture_on_commit_callbacks, params=params)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and code in delivery.last_error
    assert delivery.fallbacks.get().status == DeliveryStatus.SENT


def test_a_wrong_access_token_falls_back_to_sms(zns, settings, an_lao,
                                                 django_capture_on_commit_callbacks):
    settings.ZNS_ACCESS_TOKEN = "expired-token"
    delivery = _queue(an_lao, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert "-124" in delivery.last_error and delivery.fallbacks.get().channel == Channel.SMS


def test_an_unknown_error_is_retried_on_zns(zns, an_lao, django_capture_on_commit_callbacks):
    zns.unknown_errors = 1
    delivery = _queue(an_lao, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED and "-100" in delivery.last_error
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    assert services.attempt(delivery.pk) == DeliveryStatus.SENT
    assert not delivery.fallbacks.exists() and len(zns.requests) == 2


def test_zns_unreachable_to_the_last_attempt_falls_back_to_sms(
    settings, an_lao, django_capture_on_commit_callbacks
):
    settings.ZNS_API_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.ZNS_ACCESS_TOKEN = TOKEN
    settings.ZNS_COMMUNES = frozenset({"*"})
    settings.ZNS_TEMPLATES = {"hearings.invitation": INVITATION.template_id}
    settings.NOTIFY_MAX_ATTEMPTS = 2
    delivery = _queue(an_lao, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.attempt(delivery.pk) == DeliveryStatus.FAILED
    assert delivery.fallbacks.get().status == DeliveryStatus.SENT


@pytest.mark.parametrize("case", ["commune-not-on-zns", "purpose-without-template", "no-params"])
def test_it_sends_sms_where_zns_does_not_apply(zns, settings, an_lao, lac_phuong,
                                               django_capture_on_commit_callbacks, case):
    commune, params, purpose = an_lao, PARAMS, "hearings.invitation"
    if case == "commune-not-on-zns":
        commune = lac_phuong
    elif case == "purpose-without-template":
        purpose = "intake.split"
    else:
        params = None
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.queue_sms(commune=commune, to="+84912345678", text=SMS_TEXT,
                                      purpose=purpose, params=params)
    assert delivery.channel == Channel.SMS and zns.requests == []


@pytest.mark.parametrize("raw", ['["248079"]', '{"x": 1}', "{not json"])
def test_a_bad_template_setting_fails_at_start(monkeypatch, raw):
    monkeypatch.setenv("ZNS_TEMPLATES", raw)
    with pytest.raises(ImproperlyConfigured, match="ZNS_TEMPLATES"):
        project_settings._zns_templates()
