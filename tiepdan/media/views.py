"""The hearing-room page, for staff (login) and for bridge points (personal join link)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from tiepdan.core.views.auth import staff_required
from tiepdan.hearings.models import Hearing

from .join_links import JoinRefused, joiner_for_staff, joiner_from_token
from .live import Stage


def _room(request: HttpRequest, hearing: Hearing, role: str, name: str, point: str,
          token: str = "") -> HttpResponse:
    return render(request, "media/room.html", {
        "hearing": hearing, "role": role, "name": name, "point": point, "token": token,
        "ws_path": f"/ws/phong-tiep/{hearing.pk}/", "stages": Stage,
    })


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
