"""Fixtures shared by every app's tests: communes of Hải Phòng and signing staff in."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tiepdan.core.models import City, Commune

from .factories import STAFF_PASSWORD, CityFactory, CommuneFactory, device_of, totp_code
from .module_data import folder_settings

LoginStaff = Callable[..., HttpResponse]

# Shared by every directory: the staff of Xã An Lão, a frozen clock, the held hearing.
pytest_plugins = ["tests.fixtures.staff", "tests.fixtures.clock", "tests.fixtures.held_hearing"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers take ~0.2 s per check; security of test passwords does not matter.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city(db) -> City:
    """Thành phố Hải Phòng (province code 31)."""
    return CityFactory()


@pytest.fixture
def an_lao(city: City) -> Commune:
    return CommuneFactory(ward_code=11629, name="Xã An Lão", city=city)


@pytest.fixture
def lac_phuong(city: City) -> Commune:
    return CommuneFactory(ward_code=11140, name="Xã Lạc Phượng", city=city)


@pytest.fixture
def login_staff(db) -> LoginStaff:
    """``login_staff(client, user)`` signs ``user`` in through the real pages: password, then
    the current code of their TOTP device.  Returns the final redirect."""

    def login(client: Client, user: AbstractBaseUser, password: str = STAFF_PASSWORD
              ) -> HttpResponse:
        response = client.post(
            reverse("core:login"), {"username": user.get_username(), "password": password}
        )
        assert response.status_code == 302, "password step failed"
        assert response.url == reverse("core:login_verify")
        response = client.post(reverse("core:login_verify"), {"token": totp_code(device_of(user))})
        assert response.status_code == 302, "code step failed"
        return response

    return login


# -- Shared by intake and later apps -------------------------------------------------------

@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese: Django's LocaleMiddleware activates a request's language
    on the thread and never deactivates it, so a test client request in English would otherwise
    leave English on for the next test of the same worker."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def files_folder(tmp_path):
    """Where a test's files, identity key (generated on first use), demo CA, certificates and
    trust roots live: its own directory, never the repository's var/.  A directory whose
    modules share rows overrides it with the module's folder (tests/module_data.py)."""
    return tmp_path


@pytest.fixture(autouse=True)
def _private_folders(settings, files_folder):
    for name, value in folder_settings(files_folder).items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _jobs_run_inline():
    from huey.contrib.djhuey import HUEY

    previous, HUEY.immediate = HUEY.immediate, True
    yield
    HUEY.immediate = previous


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # A test's overrides vanish with its rolled-back transaction, which no signal reports: each
    # test starts without the calendar, the rules and the communes a previous one cached
    # (trusted for SIGNATURE_TTL and COMMUNE_TTL).
    from tiepdan.core.selectors import forget_communes
    from tiepdan.workdays.services import invalidate_calendar_cache, invalidate_rules

    invalidate_calendar_cache()
    invalidate_rules()
    forget_communes()


@pytest.fixture(autouse=True)
def _fresh_throttles():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api_payload():
    """The registration body of the issue, verbatim apart from the content."""
    return {
        "full_name": "Nguyễn Văn A", "id_type": "cccd", "id_number": "031090001234",
        "date_of_birth": "1990-05-01", "phone": "0912345678", "email": None,
        "address": "Thôn Hàm Hy", "kind": "kien_nghi",
        "summary": "Kiến nghị lắp đèn đường", "content": "Đoạn đường thôn chưa có đèn chiếu sáng.",
        "wants_online": True, "online_reason": "far_away", "consent": True,
    }


@pytest.fixture
def form_data(an_lao):
    """A valid POST of the public registration form."""
    return {
        "full_name": "Trần Thị Bình", "id_type": "cccd", "id_number": "031185000101",
        "gender": "female", "date_of_birth": "1985-03-12", "province": "31",
        "ward": str(an_lao.ward_code), "address": "Thôn Hàm Hy", "phone": "0912 000 101",
        "email": "", "kind": "kien_nghi", "summary": "Kiến nghị sửa đường",
        "content": "Đường liên thôn bị sạt lở.", "wants_online": "on",
        "online_reason": "far_away", "join_point": "commune_hall", "consent": "on",
    }


# The audit trail is append-only down to database triggers, so the flush that empties the tables
# after each transactional test (live_server, real ASGI servers) would be refused.  The triggers
# are taken from their migration, dropped just for that flush and put back for every test and for
# the rest of the session.
_AUDIT_TRIGGERS = importlib.import_module("tiepdan.core.migrations.0007_typed_audit_chains")


def _set_audit_triggers(enabled: bool) -> None:
    vendor = connection.vendor
    create = {"sqlite": _AUDIT_TRIGGERS.SQLITE, "postgresql": _AUDIT_TRIGGERS.POSTGRES}
    drop = {"sqlite": _AUDIT_TRIGGERS.SQLITE_UNDO, "postgresql": _AUDIT_TRIGGERS.POSTGRES_UNDO}
    with connection.cursor() as cursor:
        for statement in drop[vendor] + (create[vendor] if enabled else []):
            cursor.execute(statement)


#: Reference data the migrations seed; the flush after a transactional test empties it and
#: ``restore_seeded_data`` puts it back, so no test depends on the order tests run in.
SEEDED_MODELS = ("workdays.DeadlineRule", "workdays.CalendarOverride",
                 "documents.DocumentTemplate")
_SEEDED: dict[str, str] = {}


@pytest.fixture(scope="session")
def _audit_triggers_restored(django_db_setup, django_db_blocker):
    from django.apps import apps
    from django.core import serializers

    with django_db_blocker.unblock():
        _SEEDED["content"] = serializers.serialize("json", [
            row for name in SEEDED_MODELS for row in apps.get_model(name).objects.all()])
    yield
    with django_db_blocker.unblock():
        _set_audit_triggers(enabled=True)


@pytest.fixture(autouse=True)
def _flushable_audit_trail(request):
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("_audit_triggers_restored")
    request.getfixturevalue("transactional_db")
    restore_seeded_data()
    _set_audit_triggers(enabled=True)
    yield
    _set_audit_triggers(enabled=False)


def restore_seeded_data() -> None:
    from django.core import serializers

    from tiepdan.workdays.models import DeadlineRule

    if _SEEDED.get("content") and not DeadlineRule.objects.exists():
        for row in serializers.deserialize("json", _SEEDED["content"]):
            row.save()

