"""Benchmark: the registration API under 20 concurrent clients, against a real server.

Starts uvicorn (as ``tiepdan serve`` does) on a throw-away PostgreSQL database loaded with the
demo data (and, with several workers, Redis db 12 for the cache, the throttles and the job queue,
as docs/deploy.md deploys several web processes), then measures ``GET /api/v1/health`` (the
trivial endpoint) and ``POST /api/v1/communes/11629/registrations`` in the same run.

Targets: registration p95 below 100 ms at 20 concurrent clients, and registration throughput at
least half of the trivial endpoint's.  Run with ``make bench``; stops by itself within minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402 - run as a script, next to _common.py
    HttpConnection,
    LoadResult,
    OutOfTime,
    Server,
    flush_redis,
    measure,
    print_figure,
    print_result,
    run_async,
    run_tiepdan,
    stop_after,
    stop_on_sigterm,
    temporary_postgres_database,
    uvicorn_server,
)

from tiepdan.ops import installation  # noqa: E402 - after the path set-up above

REDIS_URL = "redis://127.0.0.1:6379/12"
WARD_CODE = 11629  # Xã An Lão, created by ``tiepdan load_demo``
P95_TARGET_MS = 100.0
THROUGHPUT_RATIO_TARGET = 0.5
# 2 cores, shared with PostgreSQL and this load generator (which needs ~0.05 core).  Python code
# of one process runs on one core at a time (GIL), and under ASGI a Django process leaves its
# core idle while requests hop between the event loop and their threads (measured: at most
# ~0.8 core per process).  So one worker per core plus one: health 450-530 req/s with 2 workers,
# 650-690 with 3; registrations the same either way (62-66/s).
DEFAULT_WORKERS = 3
PHASE_TIME_LIMIT = 60.0  # seconds per warm-up or measured phase (a phase takes 2-20 s)
TIME_BUDGET = 280  # seconds for the whole run, set-up and clean-up included (must be < 5 min)

BODY = {
    "full_name": "Nguyễn Văn A",
    "id_type": "cccd",
    "id_number": "031090001234",
    "date_of_birth": "1990-05-01",
    "phone": "0912345678",
    "email": None,
    "address": "Thôn Hàm Hy",
    "kind": "kien_nghi",
    "summary": "Kiến nghị lắp đèn đường",
    "content": "Đoạn đường thôn chưa có đèn chiếu sáng.",
    "wants_online": True,
    "online_reason": "far_away",
    "join_point": "commune_hall",
    "consent": True,
}


async def get_health(connection: HttpConnection, index: int) -> tuple[int, bytes]:
    return await connection.request("GET", "/api/v1/health")


async def post_registration(connection: HttpConnection, index: int) -> tuple[int, bytes]:
    body = {**BODY, "summary": f"{BODY['summary']} (lượt {index})"}
    return await connection.request(
        "POST",
        f"/api/v1/communes/{WARD_CODE}/registrations",
        json.dumps(body, ensure_ascii=False).encode(),
    )


async def run_load(server: Server, args: argparse.Namespace) -> tuple[LoadResult, LoadResult]:
    common = {
        "warmup": args.warmup,
        "count": args.requests,
        "concurrency": args.concurrency,
        "time_limit": PHASE_TIME_LIMIT,
    }
    health = await measure(server, get_health, name="health", expected_status=200, **common)
    registration = await measure(
        server, post_registration, name="registration", expected_status=201, **common
    )
    return health, registration


def missed_targets(health: LoadResult, registration: LoadResult, count: int) -> list[str]:
    missed = []
    for result in (health, registration):
        failed = result.attempted - len(result.latencies)
        if failed or len(result.latencies) < count:
            missed.append(f"{result.name} {len(result.latencies)}/{count} succeeded")
    p95 = registration.percentile_ms(95)
    if not p95 < P95_TARGET_MS:  # also catches NaN (no successful request)
        missed.append(f"registration_p95 {p95:.1f} ms >= {P95_TARGET_MS:.0f} ms")
    ratio = registration.throughput / health.throughput if health.throughput else 0.0
    if ratio < THROUGHPUT_RATIO_TARGET:
        missed.append(f"throughput ratio {ratio:.2f} < {THROUGHPUT_RATIO_TARGET}")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help="uvicorn worker processes (default: %(default)s)",
    )
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000, help="measured, per endpoint")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra server environment, for experiments (repeatable)",
    )
    parser.add_argument("--time-budget", type=int, default=TIME_BUDGET, help=argparse.SUPPRESS)
    args = parser.parse_args()
    stop_on_sigterm()
    stop_after(args.time_budget)

    with (
        tempfile.TemporaryDirectory(prefix="tiepdan-bench-") as tmp,
        temporary_postgres_database(f"tiepdan_bench_{os.getpid()}") as database_url,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            # Not 60: under ASGI Django runs each request's sync code on a new thread, so
            # persistent connections are never reused and pile up (measured: ~90 connections,
            # PostgreSQL "too many clients", 17-58% of registrations answered 500).  Django's docs:
            # disable persistent connections under ASGI, use a pool instead.
            "DB_CONN_MAX_AGE": "0",
            "TIEPDAN_VAR_DIR": tmp,
            "DEBUG": "false",
            # Every bench client comes from 127.0.0.1, so the per-address limit (30/min by
            # default) would turn all but the first requests into 429s.
            "REGISTRATION_RATE": "1000000/m",
        }
        for name in ("MEDIA_ROOT", "LOG_LEVEL"):
            env.pop(name, None)
        # Several web processes are the deployment with Redis (docs/deploy.md): its cache holds
        # the throttles and its queue the receipt jobs (a SQLite queue file shared by three
        # processes would make them wait on each other's file lock).  Db 12 is this bench's own.
        env["REDIS_URL"] = REDIS_URL if args.workers > 1 else ""
        installation.prepare(env)  # `tiepdan init` of the bench's installation
        if env["REDIS_URL"]:
            flush_redis(REDIS_URL)
        env.update(item.split("=", 1) for item in args.set)
        print(
            "registration rate limit lifted for the benchmark (REGISTRATION_RATE=1000000/m): "
            "all clients share 127.0.0.1, so the per-address limit would answer 429",
            flush=True,
        )
        print(
            f"database connections: DB_CONN_MAX_AGE={env['DB_CONN_MAX_AGE']} (persistent "
            "connections leak under ASGI: one new thread per request)",
            flush=True,
        )
        print(f"redis: {env['REDIS_URL'] or 'none (one process: the embedded queue)'}",
              flush=True)
        run_tiepdan(["migrate", "--noinput"], env)
        run_tiepdan(["load_demo", "--quiet"], env)
        log_path = Path(tmp) / "server.log"
        with uvicorn_server(env, args.workers, log_path) as server:
            health, registration = run_async(run_load(server, args))
            signal.alarm(0)  # measured: let the clean-up finish whatever the time
        if env["REDIS_URL"]:
            flush_redis(REDIS_URL)
        if health.failures or registration.failures:
            print("server log (end):", log_path.read_text(errors="replace")[-4000:], sep="\n")

    print_figure("concurrency", args.concurrency, "clients")
    print_figure("server_workers", args.workers, "processes")
    print_figure("cpu_cores", os.cpu_count() or 0, "cores (shared by server, clients, database)")
    print_result(health)
    print_result(registration)
    ratio = registration.throughput / health.throughput if health.throughput else 0.0
    print_figure("registration_to_health_throughput_ratio", ratio, "ratio")
    missed = missed_targets(health, registration, args.requests)
    print("targets: met" if not missed else f"targets: missed: {'; '.join(missed)}", flush=True)
    return 0 if not missed else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except OutOfTime as exc:
        print(f"targets: missed: {exc} (server stopped, database dropped)", flush=True)
        sys.exit(1)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the context managers have cleaned up
        print("interrupted: server stopped, database dropped", file=sys.stderr)
        sys.exit(130)
