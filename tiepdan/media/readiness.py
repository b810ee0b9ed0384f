"""Readiness tests of the bridge points: who may run one, storing a result as evidence, the
technical milestones it completes and the table the chair and the operator read."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from tiepdan.core.errors import DomainError
from tiepdan.hearings import milestones
from tiepdan.hearings import permissions as hearing_permissions
from tiepdan.hearings.join_tokens import readiness_url
from tiepdan.hearings.models import (
    BridgePoint,
    Hearing,
    HearingStatus,
    Milestone,
    MilestoneStatus,
    Participant,
)
from tiepdan.workdays.deadlines import VN_TZ
from tiepdan.workdays.services import current_calendar

from .join_links import JoinRefused, Role, joiner_for_staff, joiner_from_token
from .lobby import MAX_TOKEN_LENGTH
from .models import ReadinessResult
from .readiness_rules import (
    READINESS_MILESTONES,
    Point,
    Sample,
    clean_metrics,
    judge,
    milestone_met,
    milestone_window,
    not_ready,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadinessTester:
    """Who runs a test page, and for which bridge point."""

    hearing_id: int
    bridge_point_id: int
    bridge_point_name: str
    name: str
    participant_id: int | None = None
    user_id: int | None = None


def tester_from_token(token: str, hearing_id: int | None = None) -> ReadinessTester:
    """A participant with their personal join link tests their own bridge point."""
    joiner = joiner_from_token(token, hearing_id)
    return ReadinessTester(hearing_id=joiner.hearing_id, bridge_point_id=joiner.bridge_point_id,
                  bridge_point_name=joiner.bridge_point_name, name=joiner.name,
                  participant_id=int(joiner.key[1:]))


def tester_for_staff(user: AbstractBaseUser | AnonymousUser, hearing: Hearing) -> ReadinessTester:
    """The chair or the commune's technical operator tests the central point."""
    joiner = joiner_for_staff(user, hearing)
    if joiner.role not in (Role.CHAIR, Role.OPERATOR):
        raise JoinRefused("forbidden", _("Chỉ người chủ trì hoặc cán bộ kỹ thuật kiểm tra "
                                         "điểm cầu trung tâm."))
    central = hearing.central_point
    if central is None:
        raise JoinRefused("no_central_point", _("Buổi tiếp chưa có điểm cầu trung tâm."))
    return ReadinessTester(hearing_id=hearing.pk, bridge_point_id=central.pk,
                  bridge_point_name=central.name, name=joiner.name, user_id=user.pk)


def tester_for_socket(hearing_id: int, token: Any, user: AbstractBaseUser | AnonymousUser | None,
                      session: SessionBase | None) -> ReadinessTester:
    """Who says hello on the test page's WebSocket: the holder of a personal link (``token``),
    or a staff member signed in with password and TOTP.  Raises JoinRefused."""
    if token is not None:
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            raise JoinRefused("bad_link", _("Đường dẫn kiểm tra không hợp lệ."))
        return tester_from_token(token, hearing_id)
    hearing = Hearing.objects.select_related("commune").filter(pk=hearing_id).first()
    if hearing is None:
        raise JoinRefused("not_found", _("Không có buổi tiếp này."))
    if session is None or not session.get(DEVICE_ID_SESSION_KEY) or user is None:
        raise JoinRefused("not_signed_in", _("Vui lòng đăng nhập (kèm mã xác thực)."))
    return tester_for_staff(user, hearing)


# -- Results ----------------------------------------------------------------------------------

def record_result(tester: ReadinessTester, raw_metrics: Any, *, user_agent: str = "",
                  now: dt.datetime | None = None) -> ReadinessResult:
    """Check the browser's measurements, decide pass/fail on the server and store the result;
    then complete the technical milestones it makes complete.  Raises InvalidInput for bad
    measurements (nothing is stored).

    The stored problems and milestone evidence are the record, in Vietnamese whatever the
    tester's language; the tester's answer is judged again in theirs (``problems_for``)."""
    metrics = clean_metrics(raw_metrics)
    with translation.override(settings.LANGUAGE_CODE):
        return _store_result(tester, metrics, user_agent=user_agent, now=now)


def problems_for(result: ReadinessResult) -> list[str]:
    """Why ``result`` failed, in the active language (the stored ones are in Vietnamese)."""
    return judge(result.metrics)


def _store_result(tester: ReadinessTester, metrics: dict[str, Any], *, user_agent: str,
                  now: dt.datetime | None) -> ReadinessResult:
    problems = judge(metrics)
    user = get_user_model().objects.filter(pk=tester.user_id).first() if tester.user_id else None
    with transaction.atomic():
        result = ReadinessResult.objects.create(
            hearing_id=tester.hearing_id, bridge_point_id=tester.bridge_point_id,
            participant_id=tester.participant_id, user=user, tester=tester.name[:200],
            at=now or timezone.now(), passed=not problems, metrics=metrics, problems=problems,
            user_agent=(user_agent or "")[:300])
    update_milestones(Hearing.objects.get(pk=tester.hearing_id), actor=user, now=now)
    return result


def _points(hearing: Hearing) -> list[BridgePoint]:
    return list(hearing.bridge_points.all())


def _samples(hearing: Hearing) -> list[Sample]:
    return [Sample(*row) for row in ReadinessResult.objects.filter(hearing=hearing).values_list(
        "bridge_point_id", "at", "passed")]


def _actor_for(milestone: Milestone, actor: AbstractBaseUser | None,
               hearing: Hearing) -> AbstractBaseUser | None:
    """The operator who ran the test; for a test run through a participant's link, the chair
    (when the chair may confirm milestones), as the person answerable for the hearing."""
    for candidate in (actor, hearing.chair):
        if candidate is not None and hearing_permissions.may_complete(candidate, milestone):
            return candidate
    return None


def _evidence(points: list[BridgePoint], window_results: dict[int, ReadinessResult]) -> str:
    lines = [_("Tự động theo kết quả kiểm tra sẵn sàng (camera, micro, loa, đường truyền):")]
    for point in points:
        result = window_results.get(point.pk)
        if result is None:
            continue
        m = result.metrics
        lines.append(_("%(point)s: đạt lúc %(at)s (trễ %(rtt)s ms, jitter %(jitter)s ms, mất "
                       "gói %(loss)s%%, %(kbps)s kbps)") % {
            "point": point.name, "at": f"{result.at.astimezone(VN_TZ):%H:%M %d/%m/%Y}",
            "rtt": m.get("rtt_ms"), "jitter": m.get("jitter_ms"), "loss": m.get("loss_pct"),
            "kbps": m.get("bitrate_kbps")})
    return "\n".join(lines)


def update_milestones(hearing: Hearing, *, actor: AbstractBaseUser | None = None,
                      now: dt.datetime | None = None) -> list[str]:
    """Complete every open readiness milestone whose required points all have a passing
    latest result inside its window.  Returns the keys completed."""
    now = now or timezone.now()
    if hearing.status not in (HearingStatus.DRAFT, HearingStatus.CONFIRMED):
        return []
    open_rows = list(hearing.milestones.filter(key__in=READINESS_MILESTONES,
                                               status=MilestoneStatus.OPEN))
    if not open_rows:
        return []
    points = _points(hearing)
    shape = [Point(p.pk, p.is_central) for p in points]
    samples = _samples(hearing)
    calendar = current_calendar()
    done = []
    for row in open_rows:
        window = milestone_window(row.key, hearing.starts_at, row.due_date, calendar)
        if not milestone_met(row.key, shape, samples, window, now):
            continue
        who = _actor_for(row, actor, hearing)
        if who is None:
            log.warning("hearing %s: %s met but nobody may confirm it", hearing.pk, row.key)
            continue
        latest = {}
        for result in ReadinessResult.objects.filter(
                hearing=hearing, at__gte=window.opens, at__lte=min(window.closes, now),
                passed=True).order_by("at"):
            latest[result.bridge_point_id] = result
        required = [p for p in points if row.key != "connection_test" or not p.is_central]
        try:
            milestones.complete(row, actor=who, evidence=_evidence(required, latest))
        except DomainError as exc:  # e.g. confirmed by hand in the meantime
            log.info("hearing %s: %s not completed: %s", hearing.pk, row.key, exc)
            continue
        done.append(row.key)
    return done


# -- The table for the chair and the operator ---------------------------------------------------

@dataclass(frozen=True)
class ParticipantLink:
    participant: Participant
    url: str


@dataclass
class ReadinessRow:
    point: BridgePoint
    last: ReadinessResult | None
    links: list[ParticipantLink]

    @property
    def ready(self) -> bool:
        return self.last is not None and self.last.passed


def readiness_rows(hearing: Hearing, *, links: bool = False) -> list[ReadinessRow]:
    """Each bridge point with its latest result (None: never tested) and, with ``links``,
    the test page of each of its participants (personal links: for the hearing's staff)."""
    latest: dict[int, ReadinessResult] = {}
    for result in ReadinessResult.objects.filter(hearing=hearing).order_by("at", "id"):
        latest[result.bridge_point_id] = result
    return [ReadinessRow(point, latest.get(point.pk),
                         [ParticipantLink(p, readiness_url(p)) for p in point.participants.all()]
                         if links else [])
            for point in hearing.bridge_points.prefetch_related("participants")]


def not_ready_for(hearing: Hearing, key: str, now: dt.datetime | None = None) -> list[str]:
    """Names of the points that still lack a passing result for milestone ``key``."""
    row = hearing.milestones.filter(key=key).first()
    if row is None:
        return []
    now = now or timezone.now()
    points = _points(hearing)
    window = milestone_window(key, hearing.starts_at, row.due_date, current_calendar())
    missing = set(not_ready(key, [Point(p.pk, p.is_central) for p in points],
                            _samples(hearing), window, now))
    return [p.name for p in points if p.pk in missing]
