"""The hearing-room page, for staff (login) and for bridge points (personal join link)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from tiepdan.core.browser_policy import allow_camera_and_microphone
from tiepdan.core.views.auth import staff_required
from tiepdan.hearings.models import Hearing, HearingStatus

from . import readiness, rules, turn, window
from .join_links import JoinRefused, Role, joiner_for_staff, joiner_from_token
from .live import Stage


def _room(request: HttpRequest, hearing: Hearing, role: str, name: str, point: str,
          token: str = "") -> HttpResponse:
    closed = window.refusal(hearing)
    if closed is not None:
        return render(request, "media/link_refused.html", {
            "message": closed.message, "code": closed.code, "hearing": hearing,
            "readiness_path": _readiness_path(request, hearing, token)}, status=409)
    staff_panel = role in (Role.CHAIR, Role.OPERATOR)
    return allow_camera_and_microphone(render(request, "media/room.html", {
        "hearing": hearing, "role": role, "name": name, "point": point, "token": token,
        "ws_path": f"/ws/phong-tiep/{hearing.pk}/", "stages": Stage,
        "limits": rules.room_page_limits(),
        "readiness_rows": readiness.readiness_rows(hearing) if staff_panel else None,
    }))


def _readiness_path(request: HttpRequest, hearing: Hearing, token: str) -> str:
    """Where to test the equipment meanwhile (the page of this link or of the staff)."""
    if hearing.status not in (HearingStatus.DRAFT, HearingStatus.CONFIRMED):
        return ""
    if not token:
        return reverse("media:staff_readiness", args=[hearing.pk])
    return reverse("media:readiness", args=[token])


@staff_required
def staff_room(request: HttpRequest, hearing_id: int) -> HttpResponse:
    hearing = get_object_or_404(Hearing.objects.select_related("commune"), pk=hearing_id)
    try:
        joiner = joiner_for_staff(request.user, hearing)
    except JoinRefused:
        raise PermissionDenied from None
    return _room(request, hearing, joiner.role, joiner.name, joiner.bridge_point_name)


@never_cache
def join_room(request: HttpRequest, token: str) -> HttpResponse:
    try:
        joiner = joiner_from_token(token)
    except JoinRefused as exc:
        return render(request, "media/link_refused.html", {"message": exc.message}, status=403)
    hearing = Hearing.objects.get(pk=joiner.hearing_id)
    return _room(request, hearing, joiner.role, joiner.name, joiner.bridge_point_name, token)


def _readiness(request: HttpRequest, hearing: Hearing, tester: readiness.ReadinessTester,
               token: str = "") -> HttpResponse:
    return allow_camera_and_microphone(render(request, "media/readiness.html", {
        "hearing": hearing, "tester": tester, "token": token,
        "ws_path": f"/ws/kiem-tra/{hearing.pk}/", "limits": rules.readiness_page_limits(),
        "relay_available": turn.from_django() is not None,  # the relay-only network mode
    }))


@staff_required
def staff_readiness(request: HttpRequest, hearing_id: int) -> HttpResponse:
    """The chair or the operator tests the central point."""
    hearing = get_object_or_404(Hearing.objects.select_related("commune"), pk=hearing_id)
    try:
        tester = readiness.tester_for_staff(request.user, hearing)
    except JoinRefused as exc:
        if exc.code == "no_central_point":
            return render(request, "media/link_refused.html", {"message": exc.message},
                          status=409)
        raise PermissionDenied from None
    return _readiness(request, hearing, tester)


@never_cache
def readiness_page(request: HttpRequest, token: str) -> HttpResponse:
    """A participant tests their bridge point with their personal link."""
    try:
        tester = readiness.tester_from_token(token)
    except JoinRefused as exc:
        return render(request, "media/link_refused.html", {"message": exc.message}, status=403)
    return _readiness(request, Hearing.objects.get(pk=tester.hearing_id), tester, token)
