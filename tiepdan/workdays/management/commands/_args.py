"""Argument parsing shared by the ``calendar`` and ``timeline`` commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import DatabaseError

from tiepdan.core.errors import DomainError
from tiepdan.workdays.deadlines import VN_TZ


def parse_date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            f"Ngày không hợp lệ: {raw!r} (cần một ngày có thật, dạng YYYY-MM-DD)."
        ) from None


def parse_int(raw: str, what: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"{what} phải là số nguyên, không phải {raw!r}.") from None


def parse_start(raw: str) -> dt.datetime:
    """A session start, "YYYY-MM-DD HH:MM" in Vietnam time (an explicit offset is honoured)."""
    text = raw.strip()
    try:
        if len(text) <= len("YYYY-MM-DD"):
            raise ValueError
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f'Thời điểm bắt đầu không hợp lệ: {raw!r} (cần ngày và giờ, dạng "YYYY-MM-DD HH:MM").'
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


@contextmanager
def command_errors() -> Iterator[None]:
    """Turn domain and database errors into a one-line CommandError (no traceback)."""
    try:
        yield
    except DomainError as exc:
        raise CommandError(str(exc.message)) from exc
    except DatabaseError as exc:
        raise CommandError(
            f"Không đọc được cơ sở dữ liệu ({exc}); hãy chạy “tiepdan migrate”."
        ) from exc
