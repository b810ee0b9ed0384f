"""Log lines: human-readable by default (``make run``), JSON with ``LOG_FORMAT=json``; each
carries the request id of the request or job it belongs to, and personal data is redacted.

Personal data must not be logged in the first place; :class:`PersonalDataFilter` is the net for
what slips through (a recipient in a delivery error, a name in an exception): e-mail addresses,
phone numbers, ID card numbers (CCCD 12 digits, CMND 9 digits, passport) and Vietnamese full
names (a common family name followed by capitalised words).  It errs on the side of redacting:
any 9- or 12-digit number goes too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .context import current_request_id

# Vietnamese family names: together they cover nearly every citizen (Nguyễn alone ~38%).
FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đào",
    "Đoàn",
    "Vương",
    "Trịnh",
    "Trương",
    "Lâm",
    "Phùng",
    "Mai",
    "Tô",
    "Hà",
    "Tạ",
    "Lương",
    "Lưu",
    "Đinh",
    "Quách",
    "Cao",
    "Chu",
    "Thái",
    "Khổng",
    "Kiều",
    "Lại",
    "Châu",
    "Tăng",
    "Thân",
    "Mạc",
    "Triệu",
    "Hứa",
    "Từ",
    "Doãn",
    "Âu",
    "Nghiêm",
    "Kim",
    "Tôn",
    "Thạch",
    "Đàm",
    "Lục",
    "Diệp",
    "Hầu",
    "Khúc",
    "Lò",
    "Quàng",
    "Cầm",
    "Bế",
    "Nông",
    "Chử",
    "Trình",
    "Viên",
    "Ninh",
    "Nhữ",
    "Phí",
]
# Places that begin with a family name ("Hà Nội", "Hồ Chí Minh") are not people.
PLACES = (
    "Hà Nội",
    "Hà Giang",
    "Hà Tĩnh",
    "Hà Nam",
    "Hồ Chí Minh",
    "Cao Bằng",
    "Lâm Đồng",
    "Thái Bình",
    "Thái Nguyên",
    "Hoàng Mai",
    "Lý Nhân",
    "Ninh Bình",
    "Ninh Thuận",
    "Phan Thiết",
    "Phan Rang",
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ID_12 = re.compile(r"(?<![\w])\d{12}(?![\w])")  # CCCD
_PHONE = re.compile(r"(?<![\w+])(?:\+84|0084|84|0)[\s.-]?\d(?:[\s.-]?\d){7,9}(?![\w])")
_ID_9 = re.compile(r"(?<![\w])\d{9}(?![\w])")  # CMND
_PASSPORT = re.compile(r"(?<![\w])[A-Z]\d{7}(?![\w])")
_NAME = re.compile(
    r"(?<![\w])(?:"
    + "|".join(sorted(set(FAMILY_NAMES), key=len, reverse=True))
    + r")((?:[ \t]+\w+){1,4})"
)


def _name(match: re.Match[str]) -> str:
    words = match.group(1).split()
    kept = 0
    for word in words:
        if not word[0].isupper():
            break
        kept += 1
    if kept == 0:
        return match.group(0)  # "Mai mốt", "Lê la": a family name alone is no name
    name = " ".join([match.group(0).split()[0], *words[:kept]])
    if any(name.startswith(place) for place in PLACES):
        return match.group(0)
    rest = words[kept:]
    return "[redacted-name]" + ("".join(" " + w for w in rest) if rest else "")


def redact(text: str) -> str:
    text = _EMAIL.sub("[redacted-email]", text)
    text = _ID_12.sub("[redacted-id]", text)
    text = _PHONE.sub("[redacted-phone]", text)
    text = _ID_9.sub("[redacted-id]", text)
    text = _PASSPORT.sub("[redacted-id]", text)
    return _NAME.sub(_name, text)


# The LogRecord's own attributes; anything else was passed in ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


class PersonalDataFilter(logging.Filter):
    """Redacts the message (arguments merged in), the traceback and string ``extra`` fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # Formatters print exc_text when it is set (JsonFormatter below redacts its own).
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, redact(value))
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # django.request logs a 4xx/5xx after the middleware has returned: the request
            # object it passes carries the id.
            request = getattr(record, "request", None)
            record.request_id = current_request_id() or getattr(request, "request_id", "") or "-"
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's, with the traceback redacted (it formats exc_info afresh)."""

    # python-json-logger's own formatException returns str | list[str], against logging's str.
    def formatException(self, ei: Any) -> str | list[str]:  # type: ignore[override]  # noqa: N802
        formatted = super().formatException(ei)
        if isinstance(formatted, list):  # the formatter's exc_info_as_array option
            return [redact(line) for line in formatted]
        return redact(formatted)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        log_data.pop("color_message", None)  # uvicorn's copy of the message with ANSI colours
        for key, value in log_data.items():
            # Objects passed in extra= (Django's "request": its repr has the query string).
            if not isinstance(value, str | int | float | bool | type(None) | list | dict):
                log_data[key] = redact(str(value))


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(levelname)s %(name)s %(request_id)s %(message)s"


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """Django's LOGGING for ``LOG_FORMAT`` (text or json) and ``LOG_LEVEL``."""
    if log_format == "json":
        formatter: dict[str, Any] = {
            "()": "tiepdan.ops.logs.JsonFormatter",
            "fmt": JSON_FIELDS,
            "timestamp": "time",  # ISO 8601, UTC
            "rename_fields": {"levelname": "level", "name": "logger"},
        }
    else:
        formatter = {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "tiepdan.ops.logs.RequestIdFilter"},
            "personal_data": {"()": "tiepdan.ops.logs.PersonalDataFilter"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id", "personal_data"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            # Huey's consumer and uvicorn add handlers of their own unless one is configured.
            "huey": {"handlers": ["console"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["console"], "level": level, "propagate": False},
            # serve runs uvicorn with --no-access-log: nginx keeps the access log.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
