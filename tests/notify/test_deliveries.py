import datetime as dt
import email

import pytest
from django.db import transaction
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.notify import services
from tiepdan.notify.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


def _body(raw: bytes) -> str:
    message = email.message_from_bytes(raw)
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset())


def test_it_sends_email_through_a_real_smtp_server(
    smtp_server, an_lao, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.queue_email(commune=an_lao, to="cong.dan@example.org",
                                        subject="Giấy mời", text="Kính mời ông/bà dự buổi tiếp.",
                                        purpose="test")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.sent_at is not None and delivery.attempts == 1
    [(sender, rcpts, raw)] = smtp_server.messages
    assert rcpts == ["cong.dan@example.org"]
    assert "Kính mời ông/bà dự buổi tiếp." in _body(raw)


def test_the_citizen_receipt_arrives_by_smtp_with_a_delivery_record(
    client, smtp_server, an_lao, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:register", args=[an_lao.ward_code]),
                    {**form_data, "email": "nguoi.gui@example.org"})
    delivery = Delivery.objects.get(purpose="intake.receipt")
    assert delivery.status == DeliveryStatus.SENT
    [(_, rcpts, raw)] = smtp_server.messages
    assert rcpts == ["nguoi.gui@example.org"]
    assert "Mã hồ sơ" in _body(raw)


def test_nothing_is_sent_for_a_rolled_back_change(
    smtp_server, an_lao, django_capture_on_commit_callbacks
):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        services.queue_email(commune=an_lao, to="a@example.org", subject="x", text="x",
                             purpose="test")
        raise RuntimeError
    assert smtp_server.messages == []
    assert Delivery.objects.count() == 0


def test_a_failed_attempt_is_recorded_and_retried_later(
    smtp_down, an_lao, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.queue_email(commune=an_lao, to="a@example.org", subject="x",
                                        text="x", purpose="test")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.attempts == 1
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()
    assert delivery.next_attempt_at is not None
    assert services.due_for_retry() == []  # not before the back-off
    later = delivery.next_attempt_at + dt.timedelta(seconds=1)
    assert services.due_for_retry(later) == [delivery.pk]


def test_the_office_is_alerted_after_the_last_attempt(
    settings, smtp_server, an_lao, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY = "tests.notify.conftest.FailingSmsGateway"
    settings.NOTIFY_MAX_ATTEMPTS = 2
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao, email="van.phong@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.queue_sms(commune=an_lao, to="+84912345678", text="Nhắc lịch",
                                      purpose="test")
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.attempt(delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.office_alerted and "nhà mạng từ chối" in delivery.last_error
    [(_, rcpts, raw)] = smtp_server.messages
    assert rcpts == [officer.email]
    assert "+84912345678" in _body(raw)


def test_the_default_sms_gateway_only_logs(an_lao, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.queue_sms(commune=an_lao, to="+84912345678", text="Xin chào",
                                      purpose="test")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert "Xin chào" in caplog.text


def test_a_delivery_is_attempted_by_one_worker_only(smtp_server, an_lao):
    delivery = services.queue_email(commune=an_lao, to="a@example.org", subject="x", text="x",
                                    purpose="test")
    assert services.attempt(delivery.pk) == DeliveryStatus.SENT
    assert services.attempt(delivery.pk) is None  # already sent: nothing happens
    assert len(smtp_server.messages) == 1
