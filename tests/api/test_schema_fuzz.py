"""Schemathesis against a live server: every operation of /api/v1/openapi.json, public and staff
(a chairman signed in with password and TOTP code), thousands of generated requests, with the
checks not_a_server_error, status_code_conformance and response_schema_conformance — zero
failures.

The server is a real uvicorn process on a copy of this test's database with the demo data
(loaded here, then copied with SQLite's backup API: a ``migrate`` in the subprocess would take a
minute on a busy machine).  Throttle rates are raised through the environment, as an operator
would, so that the fuzzing is not one long run of 429s.

Cases come from each operation's schema twice: fully generated (mostly unknown ids: 404, bad
input: 422) and with the path ids of real demo objects (the handlers' own logic).  Negative
cases (data the schema forbids) are part of the run: they must get a documented 4xx, never a
500.  ``TIEPDAN_FUZZ_EXAMPLES`` overrides the examples per operation and mode;
``TIEPDAN_FUZZ_RANDOM=1`` makes a run explore other cases than the suite's fixed ones.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter

import pytest
import requests
import schemathesis
from cryptography.fernet import Fernet
from django_otp.oath import totp
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.database_copy import database_url
from tests.faults.processes import app_env, free_port, start_web, stop

pytestmark = [pytest.mark.fuzz]

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
#: Examples per operation and generation mode (positive, negative); with two strategies per
#: operation and 53 operations this is well over 3,000 requests.
EXAMPLES = int(os.environ.get("TIEPDAN_FUZZ_EXAMPLES", "30"))
MIN_CASES = 3000
#: The suite's run is derandomized (the same cases every time, no flaky failures);
#: ``TIEPDAN_FUZZ_RANDOM=1`` explores new ones.
RANDOM = os.environ.get("TIEPDAN_FUZZ_RANDOM") == "1"
#: (operation, status) -> responses, to show what the run reached.
STATUSES: Counter[tuple[str, int]] = Counter()
LOST_SESSION: list[str] = []  # staff cases answered 401 though signed in
ANONYMOUS_EXAMPLES = 3  # per staff operation, without a session
FUZZ_PORTS = range(8200, 8210)
ID_SETS = 3  # sets of real path ids per operation (strategies are costly to build)
WARD = 11629  # Xã An Lão of the demo data
STAFF = "anlao.chutich"  # its Chairman: plans hearings, decides, concludes, reads reports


def _sign_in(base: str, username: str, totp_key: str, password: str) -> requests.Session:
    """A session signed in through the real pages (password, then TOTP code), sending the
    CSRF token the staff API wants on unsafe methods."""
    session = requests.Session()
    page = session.get(f"{base}/can-bo/dang-nhap/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = session.post(
        f"{base}/can-bo/dang-nhap/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 302, "password step failed"
    page = session.get(f"{base}/can-bo/dang-nhap/ma-xac-thuc/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    code = f"{totp(bytes.fromhex(totp_key)):06d}"
    done = session.post(
        f"{base}/can-bo/dang-nhap/ma-xac-thuc/",
        data={"token": code, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 302, "code step failed"
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def _server_password(username: str, password: str) -> None:
    """The suite hashes passwords with MD5 (fast); the server knows only its own hashers (few
    iterations: the hash says how many, the sign-in stays quick)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    get_user_model().objects.filter(username=username).update(
        password=hasher.encode(password, hasher.salt(), iterations=1000)
    )


def _real_ids() -> list[dict[str, object]]:
    """Path parameters naming real demo objects of the commune (one set per hearing)."""
    from tiepdan.core.models import City
    from tiepdan.followup.models import FollowUpTask
    from tiepdan.hearings.models import BridgePoint, Hearing, OnlineSelection
    from tiepdan.intake.models import Matter
    from tiepdan.minutes.models import Conclusion

    matters = list(Matter.objects.filter(commune__ward_code=WARD).order_by("pk"))
    hearings = list(Hearing.objects.filter(commune__ward_code=WARD).order_by("pk"))
    first = {
        "point_id": BridgePoint.objects.filter(hearing__commune__ward_code=WARD).first(),
        "proposal_id": OnlineSelection.objects.filter(matter__commune__ward_code=WARD).first(),
        "task_id": FollowUpTask.objects.filter(matter__commune__ward_code=WARD).first(),
        "conclusion_id": Conclusion.objects.filter(hearing__commune__ward_code=WARD).first(),
    }
    base = {
        "ward_code": WARD,
        "city_id": City.objects.get().pk,
        **{name: row.pk for name, row in first.items() if row is not None},
    }
    sets = []
    for index, matter in enumerate(matters[:ID_SETS]):
        ids = {
            **base,
            "matter_id": matter.pk,
            "tracking_code": matter.tracking_code,
            "key": "invitations_sent",
        }
        if hearings:
            ids["hearing_id"] = hearings[index % len(hearings)].pk
        sets.append(ids)
    return sets


def _strategies(
    operation, real: list[dict[str, object]], mode: GenerationMode, cookies: dict[str, str]
) -> list:
    """Cases of ``operation``: fully generated, and with the path ids of real objects.
    ``cookies`` are fixed (the staff session: the schema declares the session cookie, which
    schemathesis would otherwise fill with random text)."""
    names = {p.name for p in operation.path_parameters}
    strategies = [operation.as_strategy(generation_mode=mode, cookies=cookies)]
    if names:
        for ids in real:
            known = {name: value for name, value in ids.items() if name in names}
            strategies.append(
                operation.as_strategy(generation_mode=mode, path_parameters=known, cookies=cookies)
            )
    return strategies


def _fuzz(
    strategy,
    base: str,
    session: requests.Session,
    examples: int = EXAMPLES,
    *,
    session_cookie: bool = False,
) -> int:
    """Run the cases of ``strategy`` against the server; the number of cases run."""
    count = 0

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case) -> None:
        nonlocal count
        count += 1
        response = case.call(base_url=base, session=session, timeout=60)
        STATUSES[(case.operation.label, response.status_code)] += 1
        if session_cookie and response.status_code == 401:
            LOST_SESSION.append(case.operation.label)  # the run would test nothing behind auth
        case.validate_response(response, checks=CHECKS)

    run()
    return count


def test_every_operation_survives_schemathesis(transactional_db, settings, tmp_path):
    from tiepdan.demo import data as demo

    began = time.monotonic()
    keys = [Fernet.generate_key().decode()]
    settings.IDENTITY_KEYS = keys
    settings.IDENTITY_DIGEST_KEY = "fuzz-digest-key"
    logins = {login.username: login for login in demo.load()}
    _server_password(STAFF, demo.DEMO_PASSWORD)
    real = _real_ids()
    print(f"demo: {time.monotonic() - began:.0f} s")  # noqa: T201
    assert real, "the demo data has matters in the commune"

    var = tmp_path / "var"
    env = app_env(
        var,
        database_url(tmp_path / "var"),
        TIEPDAN_IDENTITY_KEYS=",".join(keys),
        TIEPDAN_IDENTITY_DIGEST_KEY="fuzz-digest-key",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        REGISTRATION_RATE="100000/m",
        LOOKUP_RATE="100000/m",
        UPLOAD_RATE="100000/m",
        DEBUG="0",
    )
    port = free_port(FUZZ_PORTS)
    base = f"http://127.0.0.1:{port}"
    server = start_web(env, port, tmp_path / "web.log")
    try:
        print(f"server up: {time.monotonic() - began:.0f} s")  # noqa: T201
        staff = _sign_in(base, STAFF, logins[STAFF].totp_key, demo.DEMO_PASSWORD)
        public = requests.Session()
        staff_cookies = {"sessionid": staff.cookies["sessionid"]}
        schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", timeout=120)
        cases = 0
        failures: list[str] = []
        started = time.monotonic()
        print(f"set-up: {started - began:.0f} s")  # noqa: T201
        for result in schema.get_all_operations():
            operation = result.ok()
            session = staff if "/staff/" in operation.path else public
            modes = [GenerationMode.POSITIVE]
            if operation.path_parameters or operation.query or operation.body:
                modes.append(GenerationMode.NEGATIVE)  # something to get wrong
            for mode in modes:
                cookies = staff_cookies if session is staff else {}
                strategy = st.one_of(_strategies(operation, real, mode, cookies))
                try:
                    cases += _fuzz(strategy, base, session, session_cookie=bool(cookies))
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together
                    failures.append(f"{operation.label} [{mode.value}]: {exc}"[:3000])
            if session is staff:  # a random session cookie: a documented 401, never a 500
                try:
                    cases += _fuzz(operation.as_strategy(), base, public, ANONYMOUS_EXAMPLES)
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001
                    failures.append(f"{operation.label} [anonymous]: {exc}"[:3000])
        elapsed = time.monotonic() - started
    finally:
        stop(server)
    by_status = Counter()
    for (_label, status), count in STATUSES.items():
        by_status[status] += count
    print(f"schemathesis: {cases} cases in {elapsed:.0f} s; statuses {dict(by_status)}")  # noqa: T201
    reached = {label for (label, status), _n in STATUSES.items() if status < 300}
    print(f"operations answered with a success: {len(reached)}")  # noqa: T201
    assert not failures, "\n\n".join(failures)
    assert not LOST_SESSION, f"signed-in cases answered 401: {sorted(set(LOST_SESSION))}"
    assert cases >= MIN_CASES, f"only {cases} generated cases"
