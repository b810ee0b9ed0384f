"""The API always answers JSON in its documented shape; a database that is down is a 503 with
Retry-After, anything else a 500 with a machine code; pages get a Vietnamese page, no trace."""

import json
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import Matter

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    """Every query fails as a dropped PostgreSQL connection does."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def test_an_api_call_during_an_outage_is_a_json_503(browser, an_lao):
    with database_down():
        response = browser.get("/api/v1/communes")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "database_unavailable"
    assert int(response["Retry-After"]) > 0


def test_a_staff_api_call_failing_in_the_session_middleware_is_json(browser, an_lao,
                                                                    login_staff):
    login_staff(browser, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    with database_down():
        response = browser.get(f"/api/v1/staff/communes/{an_lao.ward_code}/matters")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"


def test_a_page_during_an_outage_is_a_vietnamese_503(browser, db):
    with database_down():
        response = browser.post(reverse("intake:lookup"),
                                {"code": "AAAA-BBBB-CCCC", "phone": "0912000101"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "Hệ thống đang bận" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert response.has_header("Retry-After")


def test_an_unknown_api_address_is_json(client, db):
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unexpected_api_error_is_a_json_500(browser, an_lao, api_payload, monkeypatch):
    # A programming error inside a handler (not the database): a machine code, no trace.
    from tiepdan.intake.registration import api

    monkeypatch.setattr(api, "commune_get", lambda ward_code: 1 / 0)
    response = browser.post(f"/api/v1/communes/{an_lao.ward_code}/registrations",
                            data=json.dumps(api_payload), content_type="application/json")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "ZeroDivisionError" not in response.content.decode()


def test_a_wrong_method_is_json(client, an_lao):
    response = client.get(f"/api/v1/communes/{an_lao.ward_code}/uploads")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_the_registration_answer_needs_no_query_after_the_commit(transactional_db, an_lao,
                                                                 api_payload):
    """The connection drops right after the COMMIT: the stored matter is still reported."""
    state = {"audited": False}

    def drop_after_commit(execute, sql, params, many, context):
        if state["audited"] and not connection.in_atomic_block:
            raise OperationalError("server closed the connection unexpectedly")
        result = execute(sql, params, many, context)
        if "core_auditentry" in sql and sql.lstrip().upper().startswith("INSERT"):
            state["audited"] = True
        return result

    with connection.execute_wrapper(drop_after_commit):
        response = Client(raise_request_exception=False).post(
            f"/api/v1/communes/{an_lao.ward_code}/registrations",
            data=json.dumps(api_payload), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Matter.objects.get().tracking_code == response.json()["tracking_code"]
