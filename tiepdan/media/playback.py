"""Playback and download of a hearing's recordings: only for the roles allowed to see them in
the hearing's commune, every access audited (the page, each file's first request and each
download).  Video players seek with HTTP Range requests, answered here with 206 partial
content (Django's FileResponse serves whole files only)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tiepdan.core import access, access_log, stored_files
from tiepdan.core.access import Perm
from tiepdan.core.views.auth import AuthenticatedHttpRequest, staff_required
from tiepdan.hearings.models import Hearing

from . import custody
from .models import HearingRoom, RecordingFile, RoomEvent

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def recording_link(hearing_id: int, offset: float) -> str:
    """A link into the combined recording at ``offset`` seconds (the hearing's timeline)."""
    from django.urls import reverse

    return reverse("media:recordings", args=[hearing_id]) + f"#t={max(0, int(offset))}"


@staff_required
@require_GET
@never_cache
def recordings_page(request: AuthenticatedHttpRequest, hearing_id: int) -> HttpResponse:
    hearing = Hearing.objects.select_related("commune").filter(pk=hearing_id).first()
    if hearing is None:
        raise Http404
    access.check(request.user, Perm.VIEW_RECORDINGS, hearing.commune)
    room = HearingRoom.objects.filter(hearing=hearing).first()
    files = list(room.recordings.select_related("bridge_point").order_by(
        "-is_combined", "bridge_point_id", "segment")) if room else []
    access_log.log_access("media.recordings.viewed", hearing, actor=request.user,
                          commune=hearing.commune, request=request,
                          data={"hearing": str(hearing.pk)})
    return render(request, "media/recordings.html", {
        "hearing": hearing, "room": room, "files": files,
        "combined": next((f for f in files if f.is_combined), None),
        "problems": custody.verify(hearing.pk) if room and room.manifest else None,
        "events": RoomEvent.objects.filter(room=room).select_related("bridge_point")
        if room else [],
    })


def _file_for(request: AuthenticatedHttpRequest, file_id: int) -> RecordingFile:
    record = RecordingFile.objects.select_related("room__hearing__commune").filter(
        pk=file_id).first()
    if record is None:
        raise Http404
    access.check(request.user, Perm.VIEW_RECORDINGS, record.room.hearing.commune)
    return record


def _read(name: str, start: int, length: int) -> Iterator[bytes]:
    # One ranged read of the stored object (a ranged GET when it is in a bucket).
    yield from stored_files.chunks(name, start, length)


@staff_required
@require_GET
def recording_file(request: AuthenticatedHttpRequest, file_id: int) -> HttpResponseBase:
    record = _file_for(request, file_id)
    size = default_storage.size(record.stored_name)
    download = request.GET.get("tai") == "1"
    start, end = 0, size - 1
    header = request.headers.get("Range", "")
    partial = False
    if header and not download:
        match = _RANGE.match(header.strip())
        if match is None or (not match[1] and not match[2]):
            return _unsatisfiable(size)
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
        else:  # the last N bytes
            start = max(size - int(match[2]), 0)
        if start > end or start >= size:
            return _unsatisfiable(size)
        partial = True
    if download or start == 0:  # once per playback (players come back for more ranges)
        access_log.log_access(
            "media.recording.downloaded" if download else "media.recording.played", record,
            actor=request.user, commune=record.room.hearing.commune, request=request,
            data={"label": record.label, "hearing": str(record.room.hearing_id)})
    response = StreamingHttpResponse(_read(record.stored_name, start, end - start + 1),
                                     status=206 if partial else 200, content_type="video/webm")
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if partial:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if download:
        name = f"ban-ghi-{record.room.hearing_id}-{record.pk}.webm"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _unsatisfiable(size: int) -> HttpResponse:
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{size}"
    return response
