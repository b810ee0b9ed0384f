"""``tiepdan calendar`` and ``tiepdan timeline``: through call_command and a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.database_copy import copy_for_module
from tiepdan.ops import installation


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param("2026-08-22", "true", id="make-up-saturday"),
        pytest.param("2026-08-29", "false", id="ordinary-saturday"),
        pytest.param("2026-01-02", "false", id="seeded-swap-day-off"),
        pytest.param("2026-01-10", "true", id="seeded-make-up-saturday"),
        pytest.param("2026-02-17", "false", id="tet"),
        pytest.param("2026-03-03", "true", id="ordinary-tuesday"),
    ],
)
def test_it_says_whether_a_day_is_worked(day, expected):
    assert run("calendar", "is-working-day", day) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        pytest.param("2026-12-14", "-5", "2026-12-07", id="back-5-plain-week"),
        pytest.param("2026-02-13", "1", "2026-02-23", id="over-tet-2026"),
        pytest.param("2025-12-31", "1", "2026-01-05", id="over-seeded-swap-02-01"),
    ],
)
def test_it_adds_working_days(day, n, expected):
    assert run("calendar", "add-working-days", day, n) == expected


@pytest.mark.django_db
def test_it_lists_the_holidays_of_a_year():
    lines = run("calendar", "holidays", "2026").splitlines()
    assert "2026-02-17\tTết Nguyên đán" in lines
    assert "2026-01-02\tNghỉ hoán đổi dịp Tết Dương lịch" in lines
    assert "2026-08-22\tLàm bù (ngày nghỉ cuối tuần đi làm)" in lines
    assert lines == sorted(lines)


@pytest.mark.django_db
def test_it_prints_the_timeline_as_json():
    data = json.loads(run("timeline", "--start", "2027-02-15 08:00", "--city-leaders"))
    assert {key: value["due"] for key, value in data.items()} == {
        "notify_parties": "2027-02-01",
        "report_to_city": "2027-02-03",
        "invitations_issued": "2027-02-12",
        "connection_test": "2027-02-12",
        "final_check": "2027-02-15T06:00:00+07:00",
        "all_connected": "2027-02-15T07:00:00+07:00",
    }
    assert "Tết Nguyên đán" in data["notify_parties"]["explanation"]


@pytest.mark.django_db
def test_it_leaves_out_the_city_report_by_default():
    data = json.loads(run("timeline", "--start", "2027-02-15 08:00"))
    assert "report_to_city" not in data


@pytest.mark.django_db
def test_it_converts_an_explicit_offset_to_vietnam_time():
    data = json.loads(run("timeline", "--start", "2027-02-15T01:00:00+00:00"))
    assert data["all_connected"]["due"] == "2027-02-15T07:00:00+07:00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("calendar", "is-working-day", "2026-02-30"), "2026-02-30", id="no-such-day"),
        pytest.param(("calendar", "is-working-day", "22/08/2026"), "YYYY-MM-DD", id="format"),
        pytest.param(("calendar", "add-working-days", "2026-12-14", "x"), "số nguyên", id="n"),
        pytest.param(
            ("calendar", "add-working-days", "2026-12-14", "99999"), "quá lớn", id="n-big"
        ),
        pytest.param(("calendar", "holidays", "1800"), "phạm vi", id="year"),
        pytest.param(("calendar", "bogus"), "invalid choice", id="action"),
        pytest.param(("timeline", "--start", "2027-02-15"), "ngày và giờ", id="no-time"),
        pytest.param(("timeline", "--start", "2027-02-30 08:00"), "không hợp lệ", id="bad-start"),
        pytest.param(("timeline",), "--start", id="missing-start"),
    ],
)
def test_it_rejects_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory, django_db_blocker):
    """An environment for ``python -m tiepdan.cli`` with its own migrated SQLite database (a
    copy of the suite's, tests.database_copy, or migrated there when the suite runs on
    PostgreSQL)."""
    var = tmp_path_factory.mktemp("var")
    env = os.environ | {
        "TIEPDAN_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
    }
    installation.prepare(env)
    copied = copy_for_module(django_db_blocker, var / "db.sqlite3")
    if copied is None:
        cli("migrate", "workdays", "--skip-checks", "--noinput", env=env, check=True)
    return env


def cli(*args: str, env: dict[str, str], check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "tiepdan.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def test_the_console_command_answers(cli_env):
    result = cli("calendar", "is-working-day", "2026-08-22", env=cli_env)
    assert (result.returncode, result.stdout.strip()) == (0, "true")


def test_the_console_command_prints_the_timeline(cli_env):
    result = cli("timeline", "--start", "2027-02-15 08:00", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["connection_test"]["due"] == "2027-02-12"


def test_the_console_command_fails_cleanly_on_a_bad_date(cli_env):
    result = cli("calendar", "add-working-days", "2026-13-01", "2", env=cli_env)
    assert result.returncode != 0
    assert "2026-13-01" in result.stderr
    assert "Traceback" not in result.stderr
