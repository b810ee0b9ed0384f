"""The rules of the readiness test (kiểm tra sẵn sàng) of a bridge point: which measurements
pass, and which results count for which preparation milestone.  Pure: no database, no Janus.

The browser measures; the server decides, with the thresholds of ``media.rules`` (the test page
only shows what the server answered).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from tiepdan.core.errors import InvalidInput
from tiepdan.workdays.calendar import WorkCalendar
from tiepdan.workdays.deadlines import VN_TZ

from .rules import THRESHOLDS, Thresholds

#: name -> (JSON type, lowest, highest); None allowed where a measurement can be missing.
_NUMBER = (int, float)
METRIC_FIELDS: dict[str, tuple[type | tuple[type, ...], float | None, float | None, bool]] = {
    "camera_ok": (bool, None, None, False),
    "camera_width": (int, 0, 10_000, False),
    "camera_height": (int, 0, 10_000, False),
    "microphone_ok": (bool, None, None, False),
    "microphone_level": (_NUMBER, 0, 1, False),
    "speakers_confirmed": (bool, None, None, False),
    "rtt_ms": (_NUMBER, 0, 60_000, True),
    "jitter_ms": (_NUMBER, 0, 60_000, True),
    "loss_pct": (_NUMBER, 0, 100, True),
    "bitrate_kbps": (_NUMBER, 0, 1_000_000, True),
}
PATH_METRICS = ("rtt_ms", "jitter_ms", "loss_pct", "bitrate_kbps")


def _field_error(errors: dict[str, list[dict[str, str]]], name: str, message: str) -> None:
    errors.setdefault(name, []).append({"code": "invalid", "message": message})


def clean_metrics(raw: Any) -> dict[str, Any]:
    """The measurements a browser sent, checked field by field (types and ranges), rounded.

    Raises InvalidInput with one error per bad field; unknown fields are refused too.
    """
    if not isinstance(raw, Mapping):
        raise InvalidInput(_("Kết quả đo không hợp lệ."))
    errors: dict[str, list[dict[str, str]]] = {}
    for name in raw:
        if name not in METRIC_FIELDS:
            _field_error(errors, str(name)[:40], _("Trường không được hỗ trợ."))
    clean: dict[str, Any] = {}
    for name, (kinds, low, high, nullable) in METRIC_FIELDS.items():
        value = raw.get(name)
        if value is None and nullable and name in raw:
            clean[name] = None
            continue
        is_number = kinds is _NUMBER or kinds is int
        if (value is None or (is_number and isinstance(value, bool))
                or not isinstance(value, kinds)
                or (isinstance(value, float) and not math.isfinite(value))):
            _field_error(errors, name, _("Thiếu hoặc sai kiểu dữ liệu."))
            continue
        number = value if is_number and isinstance(value, int | float) else None
        if number is not None and ((low is not None and number < low)
                                   or (high is not None and number > high)):
            _field_error(errors, name, _("Giá trị nằm ngoài khoảng cho phép."))
            continue
        clean[name] = round(float(number), 2) if kinds is _NUMBER and number is not None else value
    if errors:
        raise InvalidInput(_("Kết quả đo không hợp lệ."), field_errors=errors)
    return clean


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def judge(metrics: Mapping[str, Any], limits: Thresholds = THRESHOLDS) -> list[str]:
    """Why a point is not ready, in Vietnamese; an empty list means the test passed."""
    problems: list[str] = []
    if not metrics["camera_ok"]:
        problems.append(_("Không mở được camera: kiểm tra camera đã được cắm và trình duyệt "
                          "được phép dùng camera."))
    elif metrics["camera_height"] < limits.min_video_height:
        problems.append(_("Hình ảnh camera quá thấp (%(w)s×%(h)s); cần tối thiểu %(min)s "
                          "dòng.") % {"w": metrics["camera_width"], "h": metrics["camera_height"],
                                      "min": limits.min_video_height})
    if not metrics["microphone_ok"]:
        problems.append(_("Không mở được micro: kiểm tra micro đã được cắm và trình duyệt "
                          "được phép dùng micro."))
    elif metrics["microphone_level"] < limits.min_microphone_level:
        problems.append(_("Micro không thu được âm thanh: kiểm tra micro có bị tắt tiếng hoặc "
                          "để quá xa người nói."))
    if not metrics["speakers_confirmed"]:
        problems.append(_("Chưa xác nhận nghe được âm thanh thử: kiểm tra loa hoặc tai nghe "
                          "và âm lượng."))
    if any(metrics[name] is None for name in PATH_METRICS):
        problems.append(_("Không đo được đường truyền đến máy chủ truyền hình: mạng hoặc "
                          "tường lửa có thể đang chặn kết nối hình ảnh, âm thanh."))
        return problems
    if metrics["rtt_ms"] >= limits.max_rtt_ms:
        problems.append(_("Độ trễ khứ hồi %(value)s ms, vượt mức cho phép %(max)s ms: đường "
                          "truyền chậm, nên dùng mạng có dây hoặc đổi mạng khác.") % {
            "value": _number(metrics["rtt_ms"]), "max": _number(limits.max_rtt_ms)})
    if metrics["jitter_ms"] >= limits.max_jitter_ms:
        problems.append(_("Độ dao động trễ (jitter) %(value)s ms, vượt mức cho phép %(max)s ms: "
                          "hình và tiếng có thể bị giật.") % {
            "value": _number(metrics["jitter_ms"]), "max": _number(limits.max_jitter_ms)})
    if metrics["loss_pct"] >= limits.max_loss_pct:
        problems.append(_("Tỷ lệ mất gói %(value)s%%, vượt mức cho phép %(max)s%%: đường "
                          "truyền không ổn định.") % {
            "value": _number(metrics["loss_pct"]), "max": _number(limits.max_loss_pct)})
    if metrics["bitrate_kbps"] < limits.min_bitrate_kbps:
        problems.append(_("Tốc độ truyền đạt %(value)s kbps, thấp hơn mức tối thiểu %(min)s "
                          "kbps: băng thông không đủ cho hình ảnh rõ nét.") % {
            "value": _number(metrics["bitrate_kbps"]),
            "min": _number(limits.min_bitrate_kbps)})
    return problems


# -- Which results count for which milestone -------------------------------------------------

#: connection_test: results from this many working days before its due date count.
CONNECTION_TEST_LEAD_WORKING_DAYS = 3
#: final_check and all_connected: results this close to the start count (Quy chế Điều 5, 6;
#: NĐ 154 Đ23: connected at least 1 hour before).
RECENT = {"final_check": dt.timedelta(hours=3), "all_connected": dt.timedelta(hours=1)}
READINESS_MILESTONES = ("connection_test", "final_check", "all_connected")


class Window(NamedTuple):
    opens: dt.datetime
    closes: dt.datetime

    def __contains__(self, at: object) -> bool:
        return isinstance(at, dt.datetime) and self.opens <= at <= self.closes


class Sample(NamedTuple):
    """One stored result, as the window logic needs it."""

    point_id: int
    at: dt.datetime
    passed: bool


class Point(NamedTuple):
    id: int
    is_central: bool


def milestone_window(key: str, starts_at: dt.datetime, due_date: dt.date,
                     calendar: WorkCalendar) -> Window:
    """The time span in which a passing result counts for milestone ``key``; it always closes
    at the hearing's start."""
    if key == "connection_test":
        first_day = calendar.add_working_days(due_date, -CONNECTION_TEST_LEAD_WORKING_DAYS)
        return Window(dt.datetime.combine(first_day, dt.time(0, 0), VN_TZ), starts_at)
    if key in RECENT:
        return Window(starts_at - RECENT[key], starts_at)
    raise ValueError(f"not a readiness milestone: {key}")


def points_required(key: str, points: Iterable[Point]) -> list[int]:
    """connection_test is about the component points (the central one runs the test);
    the checks on the day cover every point."""
    return [p.id for p in points if key != "connection_test" or not p.is_central]


def ready_points(samples: Iterable[Sample], window: Window, now: dt.datetime) -> set[int]:
    """The points whose latest result inside ``window`` (and not after ``now``) passed: a
    later failure undoes an earlier pass."""
    latest: dict[int, Sample] = {}
    for sample in samples:
        if sample.at in window and sample.at <= now:
            current = latest.get(sample.point_id)
            if current is None or sample.at >= current.at:
                latest[sample.point_id] = sample
    return {point for point, sample in latest.items() if sample.passed}


def not_ready(key: str, points: Iterable[Point], samples: Iterable[Sample], window: Window,
              now: dt.datetime) -> list[int]:
    """The required points without a passing result for ``key`` at ``now``."""
    ready = ready_points(samples, window, now)
    return [point for point in points_required(key, points) if point not in ready]


def milestone_met(key: str, points: Iterable[Point], samples: Iterable[Sample], window: Window,
                  now: dt.datetime) -> bool:
    points = list(points)
    return bool(points_required(key, points)) and not not_ready(key, points, samples, window,
                                                                now)
