"""Benchmark: the staff pages an officer uses all day, on 1,000,000 matters (PostgreSQL).

Seeds the database (``tiepdan_bench_pages`` by default, ``--database`` to choose) with the
seed of ``bench/reports.py`` — 1,000,000 matters over one year across 114 communes, one
deadline each, 24 held hearings per commune, the register of the first commune — unless it is
seeded already by this version of the seed (``SEED_VERSION``; ``--reset`` seeds it again;
seeding takes minutes).  Then starts a real server
(uvicorn, as ``tiepdan serve`` does), signs 5 office officers of one commune in through the
real pages (password, then their TOTP code) and measures, with the 5 sessions at once:

- ``inbox_search``: the inbox searched by a petitioner's name without diacritics;
- ``inbox_filtered``: the inbox filtered by status and kind, sorted by received date;
- ``matter``: a matter page;
- ``dashboard``: the staff dashboard with its work queues.

Target: each p95 under 200 ms.  Prints ``name: value unit`` lines and ends with
``targets: met`` or ``targets: missed: <which>``.  Only synthetic data, only 127.0.0.1; after
seeding, the run stops by itself within 5 minutes.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reports  # noqa: E402 - run as a script, next to reports.py (its seed is reused)
from _common import (  # noqa: E402
    POSTGRES_ADMIN_URL,
    HttpConnection,
    LoadResult,
    OutOfTime,
    Server,
    measure,
    print_figure,
    print_result,
    run_async,
    run_tiepdan,
    stop_after,
    stop_on_sigterm,
    uvicorn_server,
)

from tiepdan.ops import installation  # noqa: E402 - after the path set-up above

DEFAULT_DATABASE = "tiepdan_bench_pages"
#: The version of the seed: bump it when the seed (here or in bench/reports.py) or what the
#: database must hold before the run changes; a database seeded by another version (or whose
#: seeding never finished) is dropped and seeded again.  2: ``MatterDeadline.commune``.
SEED_VERSION = 2
SEED_TABLE = "bench_pages_seed"
WARD_CODE = 900_002  # the second commune of the seed: ~7,900 matters, like a real commune
SESSIONS = 5
P95_TARGET_MS = 200.0
DEFAULT_WORKERS = 2  # 2 cores shared by the server, PostgreSQL and this load generator
# Four pages, each warmed up then measured, within the time budget: a phase that runs out of
# time stops and is reported as missed (fewer requests than asked).
PHASE_TIME_LIMIT = 35.0
TIME_BUDGET = 290  # seconds after seeding, set-up and clean-up included (< 5 minutes)
SEED_BUDGET = 45 * 60
PASSWORD = "bench-pages-Mat-Khau-1"  # noqa: S105 - a synthetic account of a throw-away database
TRIGRAM_INDEX = "matter_search_trgm"
FILTERS = [("accepted", "khieu_nai"), ("new", "to_cao"), ("triaged", "kien_nghi"),
           ("closed", "phan_anh")]


def database_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def seeded_version(name: str) -> int | None:
    """The seed version recorded in the database ``name`` (None: not seeded to the end)."""
    with psycopg.connect(database_url(name)) as conn:
        if conn.execute("SELECT to_regclass(%s)", [SEED_TABLE]).fetchone()[0] is None:
            return None
        row = conn.execute(sql.SQL("SELECT max(version) FROM {}").format(
            sql.Identifier(SEED_TABLE))).fetchone()
        return row[0] if row else None


def ensure_database(name: str, reset: bool) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                               [name]).fetchone()
        if exists and not reset and (version := seeded_version(name)) != SEED_VERSION:
            print(f"the database holds seed version {version}, this bench seeds version "
                  f"{SEED_VERSION}: seeding again", flush=True)
            reset = True
        if exists and reset:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def environment(name: str, var_dir: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url(name), "TIEPDAN_VAR_DIR": var_dir,
           "DEBUG": "false",
           # Persistent connections leak under ASGI (one new thread per request): see
           # bench/registrations.py.
           "DB_CONN_MAX_AGE": "0"}
    for variable in ("REDIS_URL", "MEDIA_ROOT", "LOG_LEVEL"):
        env.pop(variable, None)
    installation.prepare(env)  # `tiepdan init` of the bench's installation
    return env


# Seeding --------------------------------------------------------------------------------------

def seed_if_needed() -> None:
    """The reports bench's seed; the trigram index is built once after the rows are in (much
    faster than maintaining it row by row)."""
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        year = reports.seeded_year(cursor.cursor)
    if year is not None:
        print(f"reusing the seeded database (year {year}, seed version {SEED_VERSION}; "
              "--reset to seed again)", flush=True)
        return
    year = timezone.localdate().year - 1
    print(f"seeding {reports.MATTERS:,} matters over {reports.COMMUNES} communes ...",
          flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    reports.seed(year)
    index_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(f"CREATE INDEX {TRIGRAM_INDEX} ON intake_matter "
                       "USING gin (search_text gin_trgm_ops)")
    print_figure("seed_trigram_index", time.perf_counter() - index_started, "s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(f"CREATE TABLE {SEED_TABLE} (version int)")
        cursor.execute(f"INSERT INTO {SEED_TABLE} VALUES (%s)",  # noqa: S608 - a constant
                       [SEED_VERSION])
    print_figure("seed_total", time.perf_counter() - started, "s")


def staff_and_samples() -> tuple[list[tuple[str, object]], list[str], list[int]]:
    """Five office officers of the measured commune, each with a fresh TOTP device; names and
    ids of that commune's matters to ask for."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tiepdan.core.models import Commune, Role, StaffRole
    from tiepdan.intake.models import Matter

    commune = Commune.objects.get(ward_code=WARD_CODE)
    officers = []
    for number in range(1, SESSIONS + 1):
        user, _created = get_user_model().objects.get_or_create(
            username=f"bench_officer_{number}",
            defaults={"first_name": "Cán Bộ", "last_name": f"Thử {number}"})
        user.set_password(PASSWORD)
        user.save()
        StaffRole.objects.get_or_create(user=user, role=Role.OFFICE_OFFICER, commune=commune)
        TOTPDevice.objects.filter(user=user).delete()
        officers.append((user.username, TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True)))
    rows = list(Matter.objects.filter(commune=commune).order_by("?")
                .values_list("pk", "full_name")[:300])
    # "Nguyễn Văn Thử 123" typed as an officer would: without diacritics.
    from tiepdan.intake.search import fold

    return officers, [fold(name) for _pk, name in rows], [pk for pk, _name in rows]


# Signing in -----------------------------------------------------------------------------------

def _totp(device) -> str:
    from django_otp.oath import TOTP

    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{clock.token():0{device.digits}d}"


def sign_in(server: Server, username: str, device) -> str:
    """Sign in through the real pages; the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path: str, fields: dict[str, str]) -> str:
        token = next(c.value for c in jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        with opener.open(server.base_url + path, data=data, timeout=30) as answer:
            return answer.geturl()

    with opener.open(server.base_url + "/can-bo/dang-nhap/", timeout=30):
        pass
    after_password = post("/can-bo/dang-nhap/", {"username": username, "password": PASSWORD})
    if not after_password.endswith("/can-bo/dang-nhap/ma-xac-thuc/"):
        raise RuntimeError(f"password step of {username} failed (at {after_password})")
    after_code = post("/can-bo/dang-nhap/ma-xac-thuc/", {"token": _totp(device)})
    if not after_code.endswith("/can-bo/"):
        raise RuntimeError(f"TOTP step of {username} failed (at {after_code})")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


# Load -----------------------------------------------------------------------------------------

def page_requests(cookies: list[str], names: list[str], pks: list[int]) -> dict:
    inbox = f"/can-bo/xa/{WARD_CODE}/ho-so/"

    def getter(path_of):
        async def request(connection: HttpConnection, index: int) -> tuple[int, bytes]:
            return await connection.request(
                "GET", path_of(index), headers={"Cookie": cookies[index % len(cookies)]})
        return request

    def search(index: int) -> str:
        return inbox + "?" + urllib.parse.urlencode({"q": names[index % len(names)]})

    def filtered(index: int) -> str:
        status, kind = FILTERS[index % len(FILTERS)]
        return inbox + "?" + urllib.parse.urlencode(
            {"status": status, "kind": kind, "sort": "received", "page": 1 + index % 3})

    return {
        "inbox_search": getter(search),
        "inbox_filtered": getter(filtered),
        "matter": getter(lambda index: f"{inbox}{pks[index % len(pks)]}/"),
        "dashboard": getter(lambda index: "/can-bo/"),
    }


async def run_load(server: Server, requests: dict, args: argparse.Namespace
                   ) -> list[LoadResult]:
    results = []
    for name, request in requests.items():
        result = await measure(
            server, request, name=name, warmup=args.warmup, count=args.requests,
            concurrency=SESSIONS, expected_status=200, time_limit=PHASE_TIME_LIMIT)
        print_result(result)  # at once: a later page running out of time loses nothing
        results.append(result)
    return results


def check_pages(server: Server, cookie: str, names: list[str], pks: list[int]) -> None:
    """One look at what the pages answer, so that fast answers are also right ones."""
    def get(path: str) -> str:
        request = urllib.request.Request(  # noqa: S310 - the local server
            server.base_url + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - 127.0.0.1
            return answer.read().decode()

    query = urllib.parse.urlencode({"q": names[0]})
    body = get(f"/can-bo/xa/{WARD_CODE}/ho-so/?{query}")
    found = re.search(r'id="inbox-count">(\d+)', body)
    print_figure("inbox_search_sample_matches", int(found.group(1)) if found else 0, "matters")
    body = get(f"/can-bo/xa/{WARD_CODE}/ho-so/?status=accepted&kind=khieu_nai")
    found = re.search(r'id="inbox-count">(\d+)', body)
    print_figure("inbox_filtered_sample_matches", int(found.group(1)) if found else 0,
                 "matters")
    body = get("/can-bo/")
    print_figure("dashboard_queue_lines", body.count('<span class="count'), "lines")
    if "Hồ sơ mới chờ phân loại" not in body:
        raise RuntimeError("the dashboard shows no work queue")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--reset", action="store_true", help="drop and seed the database again")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--requests", type=int, default=150, help="measured, per page")
    args = parser.parse_args()
    stop_on_sigterm()
    stop_after(SEED_BUDGET)
    with tempfile.TemporaryDirectory(prefix="tiepdan-bench-pages-") as var_dir:
        env = environment(args.database, var_dir)
        print_figure("load_average_1min", os.getloadavg()[0], "(2 cores shared)")
        ensure_database(args.database, args.reset)
        run_tiepdan(["migrate", "--noinput"], env)
        reports.setup_django(env)
        seed_if_needed()
        signal.alarm(0)
        stop_after(TIME_BUDGET)
        officers, names, pks = staff_and_samples()
        from django.db import connection

        connection.close()
        log_path = Path(var_dir) / "server.log"
        # A loaded machine takes long to import Django in every worker.
        with uvicorn_server(env, args.workers, log_path, startup_timeout=120) as server:
            cookies = [sign_in(server, username, device) for username, device in officers]
            print_figure("signed_in_sessions", len(cookies), "sessions (password + TOTP)")
            check_pages(server, cookies[0], names, pks)
            random.Random(7).shuffle(names)
            results = run_async(run_load(server, page_requests(cookies, names, pks), args))
            signal.alarm(0)
        if any(r.failures for r in results):
            print("server log (end):", log_path.read_text(errors="replace")[-4000:], sep="\n")
    print_figure("concurrency", SESSIONS, "staff sessions")
    print_figure("server_workers", args.workers, "processes")
    missed = []
    for result in results:
        p95 = result.percentile_ms(95)
        if result.failures or len(result.latencies) < args.requests:
            missed.append(f"{result.name} {len(result.latencies)}/{args.requests} succeeded")
        if not p95 < P95_TARGET_MS:
            missed.append(f"{result.name}_p95 {p95:.1f} ms >= {P95_TARGET_MS:.0f} ms")
    print("targets: met" if not missed else f"targets: missed: {'; '.join(missed)}", flush=True)
    return 0 if not missed else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except OutOfTime as exc:
        print(f"targets: missed: {exc} (server stopped)", flush=True)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted: server stopped", file=sys.stderr)
        sys.exit(130)
