"""Benchmark: periodic reports and the register export on 1,000,000 matters (PostgreSQL).

Seeds the database ``tiepdan_bench_reports`` on the local server (created and migrated here)
with 1,000,000 synthetic matters received over one year across 114 communes of one city, one
deadline per matter (95% closed, a tenth of them late), 24 held hearings per commune, and the
register entries of one commune (100,000 of its matters). Seeding is done by the database
itself (``INSERT … SELECT … FROM generate_series``) and takes a minute or two; a seeded database
is kept and reused by the next run (``--reset`` seeds it again).

Then measures, in this process against the real database:
- the city's yearly report (``reports.figures.city_report``: every commune, every figure),
  run 5 times after one warm-up; target: the median under 1 s;
- the 100,000-row register export to XLSX, in a child process so that its peak memory (RSS,
  ``getrusage``) is the export's alone: target under 10 s and under 200 MB;
- the same register as PDF (no target; its figures are printed).

Prints ``name: value unit`` lines and ends with ``targets: met`` or ``targets: missed: <which>``.
Only synthetic data; the database is on 127.0.0.1. Stops by itself (time budget 20 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402 - run as a script, next to _common.py
    POSTGRES_ADMIN_URL,
    postgres_cpu_seconds,
    print_figure,
    run_tiepdan,
    stop_after,
    stop_on_sigterm,
)

from tiepdan.ops import installation  # noqa: E402 - after the path set-up above

DB_NAME = "tiepdan_bench_reports"
MATTERS = 1_000_000
COMMUNES = 114
REGISTER_ROWS = 100_000  # matters of the first commune, all in its register
HEARINGS_PER_COMMUNE = 24
CITY_REPORT_RUNS = 5
TARGETS = {"city_report_median_s": 1.0, "register_xlsx_s": 10.0, "register_xlsx_peak_mb": 200.0}
TIME_BUDGET = 20 * 60
SUMMARIES = ("Kiến nghị sửa chữa đường liên thôn bị sạt lở sau mưa lớn",
             "Khiếu nại quyết định thu hồi đất nông nghiệp để làm đường",
             "Phản ánh tình trạng ô nhiễm tiếng ồn của xưởng cơ khí",
             "Tố cáo hành vi lấn chiếm đất công của hộ gia đình",
             "Kiến nghị xem xét chế độ trợ cấp cho người cao tuổi")
FIELDS = ("Đất đai", "Xây dựng", "Môi trường", "Chính sách xã hội", "Cán bộ, công chức",
          "Tài chính", "Giao thông", "")
LOCAL = "Asia/Ho_Chi_Minh"


def database_url() -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME


def ensure_database(reset: bool) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                               [DB_NAME]).fetchone()
        if exists and reset:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
                sql.Identifier(DB_NAME)))
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))


def environment(var_dir: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url(), "TIEPDAN_VAR_DIR": var_dir,
           "DEBUG": "false"}
    for name in ("REDIS_URL", "MEDIA_ROOT", "LOG_LEVEL"):
        env.pop(name, None)
    installation.prepare(env)  # `tiepdan init` of the bench's installation
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiepdan.settings")
    import django

    django.setup()


# Seeding --------------------------------------------------------------------------------------

def seeded_year(cursor: psycopg.Cursor) -> int | None:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (matters int, year int)")
    row = cursor.execute("SELECT year FROM bench_seed WHERE matters = %s", [MATTERS]).fetchone()
    return row[0] if row else None


def _defaults(cursor: psycopg.Cursor, table: str) -> dict[str, str]:
    """A neutral value for every NOT NULL column without a default (Django sets none in the
    database), so the seed keeps working when a migration adds such a column."""
    rows = cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'", [table],
    ).fetchall()
    neutral = {"boolean": "false", "date": "current_date", "jsonb": "'{}'::jsonb",
               "timestamp with time zone": "now()"}
    return {name: neutral.get(kind, "0" if "int" in kind or kind == "numeric" else "''")
            for name, kind in rows}


def insert_select(cursor: psycopg.Cursor, table: str, values: dict[str, str],
                  source: str) -> int:
    columns = {**_defaults(cursor, table), **values}
    statement = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our own SQL
                 f"SELECT {', '.join(columns.values())} {source}")
    return cursor.execute(statement).rowcount


def _array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def seed(year: int) -> None:
    """Communes (ORM), then matters, deadlines, hearings and register entries in SQL."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from tiepdan.core.models import City, Commune
    from tiepdan.intake.search import fold

    folded = tuple(fold(summary) for summary in SUMMARIES)

    city, _created = City.objects.get_or_create(province_code=31,
                                                defaults={"name": "Thành phố Hải Phòng"})
    Commune.objects.bulk_create([
        Commune(ward_code=900_000 + i, city=city, name=f"Xã Thử Nghiệm {i:03d}")
        for i in range(1, COMMUNES + 1)], ignore_conflicts=True)
    commune_ids = list(Commune.objects.filter(city=city, ward_code__gt=900_000)
                       .order_by("ward_code").values_list("id", flat=True))
    chair = get_user_model().objects.get_or_create(username="bench_chair")[0]
    ids = "ARRAY[" + ",".join(map(str, commune_ids)) + "]"
    start = f"(TIMESTAMP '{year}-01-01 00:00' AT TIME ZONE '{LOCAL}')"
    # A permutation of 1..N spreads the first commune's matters over the whole year.
    received = (f"{start} + make_interval(secs => ((g::bigint * 7919) % {MATTERS}) "
                f"* (31535999.0 / {MATTERS}))")
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor
        started = time.perf_counter()
        insert_select(cursor, "intake_matter", {
            "commune_id": f"CASE WHEN g <= {REGISTER_ROWS} THEN {commune_ids[0]} "
                          f"ELSE ({ids})[2 + g % {COMMUNES - 1}] END",
            "tracking_code": "'B' || lpad(g::text, 9, '0')",
            "status": "(ARRAY['new','triaged','accepted','guided','forwarded','closed'])"
                      "[1 + g % 6]",
            "kind": "(ARRAY['khieu_nai','to_cao','kien_nghi','phan_anh'])[1 + g % 4]",
            "full_name": "'Nguyễn Văn Thử ' || g", "id_type": "'cccd'",
            "id_number": "lpad((31000000000 + g)::text, 12, '0')",
            "date_of_birth": "DATE '1960-01-01' + (g % 15000)",
            "address_province_code": "31", "address": "'Thôn Thử Nghiệm ' || (g % 50)",
            "phone": "'09' || lpad((g % 100000000)::text, 8, '0')",
            "summary": f"({_array(SUMMARIES)})[1 + g % {len(SUMMARIES)}]",
            "content": f"({_array(SUMMARIES)})[1 + g % {len(SUMMARIES)}]",
            "group_size": "1", "wants_online": "g % 3 <> 2",
            "consent_given_at": received, "consent_purpose_version": "'2026-07'",
            "channel": "(ARRAY['online_form','api','assisted'])[1 + g % 3]",
            "received_at": received, "updated_at": received,
            "field_of_law": f"({_array(FIELDS)})[1 + g % {len(FIELDS)}]",
            # What Matter.save() would store (intake.search): code, name, phone, texts.
            "search_text": "'b' || lpad(g::text, 9, '0') || ' nguyen van thu ' || g || ' 09' "
                           "|| lpad((g % 100000000)::text, 8, '0') || ' ' || "
                           f"({_array(folded)})[1 + g % {len(SUMMARIES)}] || ' ' || "
                           f"({_array(folded)})[1 + g % {len(SUMMARIES)}]",
        }, f"FROM generate_series(1, {MATTERS}) AS g")
        print_figure("seed_matters", time.perf_counter() - started, "s")
        started = time.perf_counter()
        local_day = f"(received_at AT TIME ZONE '{LOCAL}')::date"
        insert_select(cursor, "intake_matterdeadline", {
            "matter_id": "id", "commune_id": "commune_id",  # MatterDeadline.commune
            "rule_key": "'notify_outcome'", "trigger": local_day,
            "due": f"{local_day} + 14", "explanation": "'10 ngày làm việc'",
            "started_at": "received_at",
            "met_at": "CASE WHEN id % 20 = 0 THEN NULL WHEN id % 10 = 1 "
                      "THEN received_at + interval '20 days' "
                      "ELSE received_at + interval '7 days' END",
            "open": "id % 20 = 0",
        }, "FROM intake_matter")
        print_figure("seed_deadlines", time.perf_counter() - started, "s")
        hearing_start = f"{start} + make_interval(days => k * 15, hours => 8)"
        insert_select(cursor, "hearings_hearing", {
            "commune_id": "c.id", "kind": "'periodic'", "starts_at": hearing_start,
            "ends_at": f"{hearing_start} + interval '2 hours'", "chair_id": str(chair.pk),
            "title": "'Tiếp công dân định kỳ'", "status": "'held'", "published": "true",
            "held_at": f"{hearing_start} + interval '2 hours'", "held_by_id": str(chair.pk),
            "version": "1", "created_by_id": str(chair.pk), "created_at": hearing_start,
        }, f"FROM core_commune c CROSS JOIN generate_series(0, {HEARINGS_PER_COMMUNE - 1}) k "
           f"WHERE c.id = ANY({ids})")
        started = time.perf_counter()
        insert_select(cursor, "register_registerentry", {
            "commune_id": "commune_id", "matter_id": "id", "year": str(year),
            "number": "row_number() OVER (ORDER BY received_at, id)",
            "received_on": local_day, "summary": "summary", "kind": "kind",
            "group_size": "group_size", "within_competence": "true",
            "handled_by": "'Ủy ban nhân dân xã Thử Nghiệm 001'", "outcome": "'accepted'",
            "follow_up_status": "'accepted'", "follow_up_on": local_day,
            "recorded_at": "received_at",
        }, f"FROM intake_matter WHERE commune_id = {commune_ids[0]}")
        cursor.execute("INSERT INTO register_registersequence (commune_id, year, last_number) "
                       "SELECT %s, %s, count(*) FROM register_registerentry "
                       "WHERE commune_id = %s", [commune_ids[0], year, commune_ids[0]])
        print_figure("seed_register", time.perf_counter() - started, "s")
        cursor.execute("INSERT INTO bench_seed VALUES (%s, %s)", [MATTERS, year])


# Measuring ------------------------------------------------------------------------------------

def measure_city_report(year: int) -> list[float]:
    from tiepdan.core.models import City
    from tiepdan.reports.figures import city_report
    from tiepdan.reports.periods import Period

    city = City.objects.get(province_code=31)
    period = Period.of("year", year)
    report = city_report(city, period)  # warm-up (and a check of what it counts)
    if report.total.received != MATTERS or len(report.communes) < COMMUNES:
        raise RuntimeError(f"the yearly report counted {report.total.received} matters in "
                           f"{len(report.communes)} communes")
    print_figure("city_report_communes", len(report.communes), "communes")
    print_figure("city_report_matters", report.total.received, "matters")
    print_figure("city_report_hearings_held", report.total.hearings_held, "hearings")
    print_figure("city_report_met_share", (report.total.met_share or 0) * 100, "%")
    timings = []
    database_cpu = postgres_cpu_seconds()
    for _run in range(CITY_REPORT_RUNS):
        started = time.perf_counter()
        city_report(city, period)
        timings.append(time.perf_counter() - started)
    # CPU of the database per report: steadier than the wall time on a shared machine.
    print_figure("city_report_postgres_cpu",
                 (postgres_cpu_seconds() - database_cpu) / CITY_REPORT_RUNS, "s")
    return timings


def export_child(fmt: str, year: int) -> None:
    """In the child process: export the first commune's register, print JSON figures."""
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from tiepdan.core.downloads import build_file
    from tiepdan.core.models import Commune
    from tiepdan.intake.register.export import write_register_xlsx
    from tiepdan.intake.register.pdf_export import write_register_pdf
    from tiepdan.intake.register.selectors import RegisterFilter, export_records

    commune = Commune.objects.get(ward_code=900_001)
    flt = RegisterFilter(year=year)
    writer = write_register_pdf if fmt == "pdf" else write_register_xlsx
    ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    handle, rows = build_file(lambda out: writer(
        commune, flt, export_records(commune, flt), out))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    size = os.fstat(handle.fileno()).st_size
    handle.close()
    print(json.dumps({
        "rows": rows, "seconds": elapsed, "cpu_seconds": cpu, "bytes": size,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_export_mb": ready, "rss_at_start_mb": baseline,
    }))


def run_export(fmt: str, year: int, env: dict[str, str], timeout: float) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child-export", fmt, "--year", str(year)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"the {fmt} export failed:\n{result.stdout}{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="drop and seed the database again")
    parser.add_argument("--skip-pdf", action="store_true", help="do not time the PDF export")
    parser.add_argument("--child-export", choices=["xlsx", "pdf"], help=argparse.SUPPRESS)
    parser.add_argument("--year", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    stop_on_sigterm()
    if args.child_export:  # the environment is the parent's
        setup_django(dict(os.environ))
        export_child(args.child_export, args.year)
        return 0
    stop_after(TIME_BUDGET)
    with tempfile.TemporaryDirectory(prefix="tiepdan-bench-reports-") as var_dir:
        return run(args, environment(var_dir))


def run(args: argparse.Namespace, env: dict[str, str]) -> int:
    print_figure("load_average_1min", os.getloadavg()[0], "(2 cores; figures are pessimistic "
                 "when other processes keep them busy)")
    ensure_database(args.reset)
    run_tiepdan(["migrate", "--noinput"], env)
    setup_django(env)
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        year = seeded_year(cursor.cursor)
    if year is None:
        year = timezone.localdate().year - 1  # a past year: the report covers all of it
        print(f"seeding {MATTERS:,} matters over {COMMUNES} communes (year {year}) ...",
              flush=True)
        started = time.perf_counter()
        seed(year)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print_figure("seed_total", time.perf_counter() - started, "s")
    else:
        print(f"reusing the seeded database {DB_NAME} (year {year}; --reset to seed again)",
              flush=True)

    timings = measure_city_report(year)
    median = statistics.median(timings)
    print_figure("city_report_median", median, "s")
    print_figure("city_report_max", max(timings), "s")
    connection.close()

    xlsx = run_export("xlsx", year, env, timeout=300)
    print_figure("register_xlsx_rows", xlsx["rows"], "rows")
    print_figure("register_xlsx_time", xlsx["seconds"], "s")
    print_figure("register_xlsx_cpu", xlsx["cpu_seconds"], "s")
    print_figure("register_xlsx_size", xlsx["bytes"] / 1e6, "MB")
    print_figure("register_xlsx_peak_rss", xlsx["peak_rss_mb"], "MB")
    print_figure("register_xlsx_rss_before_export", xlsx["rss_before_export_mb"], "MB")
    if not args.skip_pdf:
        pdf = run_export("pdf", year, env, timeout=600)
        print_figure("register_pdf_rows", pdf["rows"], "rows")
        print_figure("register_pdf_time", pdf["seconds"], "s")
        print_figure("register_pdf_size", pdf["bytes"] / 1e6, "MB")
        print_figure("register_pdf_peak_rss", pdf["peak_rss_mb"], "MB")

    missed = [name for name, value in (
        ("city_report_median_s", median), ("register_xlsx_s", xlsx["seconds"]),
        ("register_xlsx_peak_mb", xlsx["peak_rss_mb"])) if value >= TARGETS[name]]
    if xlsx["rows"] != REGISTER_ROWS:
        missed.append("register_xlsx_rows")
    print("targets: met" if not missed else f"targets: missed: {', '.join(missed)}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
