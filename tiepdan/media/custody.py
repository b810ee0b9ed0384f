"""Chain of custody of a hearing's recordings (issue 5 §6): the processed files are stored
through Django's storage API, each with its SHA-256, listed in a manifest signed with the
deployment's Ed25519 key; :func:`verify` detects an altered, missing or re-signed file.

The key lives in ``RECORDINGS_SIGNING_KEY_FILE`` (default ``VAR_DIR/keys/recordings-ed25519.pem``,
0600), generated on first use.  Verification uses the deployment's own public key, never one
carried in the manifest: whoever alters a file cannot re-sign the manifest.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from tiepdan.core import stored_files
from tiepdan.documents.models import OrganisationSeal
from tiepdan.documents.seal import check_data_signature, sign_data

from . import gaps, postprocess
from .models import EventKind, HearingRoom, RecordingFile, RoomEvent

PARALLEL_SEGMENTS = 2
MANIFEST_VERSION = 3  # 2: offsets, trimmed ends and the combined file; 3: the gaps


def signing_key() -> Ed25519PrivateKey:
    path = Path(getattr(settings, "RECORDINGS_SIGNING_KEY_FILE", "")
                or Path(settings.VAR_DIR) / "keys" / "recordings-ed25519.pem")
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def canonical(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def _sha256(name: str) -> str:
    # What is stored (in the bucket when there is one), never a local copy.
    return stored_files.sha256(name)


def _points_by_feed(room: HearingRoom) -> dict[int, tuple[int | None, str]]:
    found: dict[int, tuple[int | None, str]] = {}
    for event in RoomEvent.objects.filter(room=room, kind=EventKind.PUBLISH).select_related(
            "bridge_point"):
        feed = event.detail.get("feed")
        if isinstance(feed, int):
            point = event.bridge_point
            found[feed] = (point.pk if point else None, point.name if point else event.actor)
    return found


def process(hearing_id: int, rec_dir: Path, *, combine: bool = True) -> HearingRoom:
    """Turn the hearing's raw streams into one file per point and segment and the combined
    file, store them, and sign the manifest.  Run once the hearing is over (every publisher
    gone); a second run only does what is left."""
    room = HearingRoom.objects.select_related("hearing").get(hearing_id=hearing_id)
    points = _points_by_feed(room)
    started_us = room.started_at.timestamp() * 1_000_000
    with tempfile.TemporaryDirectory() as work:
        todo = [raw for raw in postprocess.raw_segments(rec_dir, room.janus_room_id)
                if not RecordingFile.objects.filter(room=room, feed_id=raw.feed_id,
                                                    segment=raw.segment).exists()]
        # Only a Janus crash leaves half-written files: their ends are checked then.
        crashed = RoomEvent.objects.filter(room=room, kind=EventKind.JANUS_RESTART).exists()
        # The tools run as processes: two segments at a time keep both cores busy.
        with ThreadPoolExecutor(max_workers=PARALLEL_SEGMENTS) as pool:
            results = list(pool.map(
                lambda raw: postprocess.process_segment(raw, Path(work), check_tail=crashed),
                todo))
        processed: dict[str, Path] = {}  # stored name → the local file it was made from
        for raw, done in zip(todo, results, strict=True):
            if done is None:
                continue
            point_id, label = points.get(raw.feed_id, (None, f"feed {raw.feed_id}"))
            stored = _store(RecordingFile(
                room=room, bridge_point_id=point_id, feed_id=raw.feed_id, segment=raw.segment,
                label=label, duration_seconds=done.duration_seconds, has_audio=done.has_audio,
                offset_seconds=max(0.0, (done.started_us - started_us) / 1_000_000),
                trimmed_seconds=done.trimmed_seconds),
                done.path, f"point-{point_id or 'x'}-feed-{raw.feed_id}-{raw.segment}.webm")
            processed[stored] = done.path
        if combine and not room.recordings.filter(is_combined=True).exists():
            _combine(room, Path(work), processed)
    return sign(room)


def _store(record: RecordingFile, path: Path, name: str) -> str:
    """Upload ``path`` (local scratch space) as ``record``'s file; the name it is stored as."""
    record.size_bytes = path.stat().st_size
    with path.open("rb") as handle:
        record.file.save(name, File(handle), save=False)
    record.sha256 = _sha256(record.file.name)
    record.save()
    return record.file.name


def _local(name: str, work: Path) -> Path:
    """A local path of a stored file (a copy when the storage is not on this disk)."""
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        copy = work / "from-storage" / name  # apart from the files processed in ``work``
        copy.parent.mkdir(parents=True, exist_ok=True)
        with copy.open("wb") as target:
            for chunk in stored_files.chunks(name):
                target.write(chunk)
        return copy


def _combine(room: HearingRoom, work: Path, processed: dict[str, Path] | None = None) -> None:
    """The combined file, from this run's local files (``processed``) or copies of the stored
    ones (a bucket is not read back for what is still on scratch space)."""
    processed = processed or {}
    files = list(room.recordings.filter(is_combined=False).select_related("bridge_point"))
    if not files:
        return
    order = sorted({(f.bridge_point is None, f.bridge_point_id or -f.feed_id) for f in files})
    slot_of = {key: index for index, key in enumerate(order)}
    placed = [postprocess.Placed(processed.get(f.file.name) or _local(f.file.name, work),
                                 f.offset_seconds,
                                 slot_of[(f.bridge_point is None,
                                          f.bridge_point_id or -f.feed_id)], f.has_audio)
              for f in files]
    end = max(f.offset_seconds + f.duration_seconds for f in files)
    if room.ended_at:
        end = max(end, (room.ended_at - room.started_at).total_seconds())
    out = work / "combined.webm"
    duration = postprocess.combine(placed, end, out)
    _store(RecordingFile(room=room, bridge_point=None, feed_id=0, segment=0,
                         label="Toàn bộ buổi tiếp (các điểm cầu ghép cạnh nhau)",
                         duration_seconds=duration, has_audio=True, is_combined=True),
           out, "combined.webm")


def recording_gaps(room: HearingRoom) -> list[gaps.Gap]:
    """Where a point's recording pauses between two of its segments, and why (media.gaps)."""
    segments = [gaps.Segment(f.bridge_point_id, f.label, f.offset_seconds, f.duration_seconds)
                for f in room.recordings.filter(is_combined=False)]
    events = [gaps.Event(e.kind, e.offset_seconds, e.bridge_point_id,
                         str((e.detail or {}).get("reason", "")))
              for e in RoomEvent.objects.filter(
                  room=room, kind__in=[EventKind.JANUS_RESTART, EventKind.LEAVE])]
    return gaps.find(segments, events)


def _gap_entry(room: HearingRoom, gap: gaps.Gap) -> dict[str, Any]:
    def at(offset: float) -> str:
        return (room.started_at + dt.timedelta(seconds=offset)).isoformat()

    return {"bridge_point": gap.point, "label": gap.label, "cause": gap.cause,
            "start_seconds": round(gap.start, 3), "end_seconds": round(gap.end, 3),
            "start_at": at(gap.start), "end_at": at(gap.end)}


def build_manifest(room: HearingRoom) -> dict[str, Any]:
    hearing = room.hearing
    return {
        "version": MANIFEST_VERSION, "hearing": hearing.pk, "title": hearing.title,
        "janus_room": room.janus_room_id, "started_at": room.started_at.isoformat(),
        "ended_at": room.ended_at.isoformat() if room.ended_at else None,
        "files": [{"name": f.file.name, "bridge_point": f.bridge_point_id, "label": f.label,
                   "feed": f.feed_id, "segment": f.segment, "sha256": f.sha256,
                   "size_bytes": f.size_bytes, "duration_seconds": round(f.duration_seconds, 3),
                   "has_audio": f.has_audio, "offset_seconds": round(f.offset_seconds, 3),
                   "trimmed_seconds": f.trimmed_seconds, "combined": f.is_combined}
                  for f in room.recordings.order_by("id")],
        # Where a point was not recorded between two of its segments, and why: empty when
        # every point was recorded without a pause.
        "gaps": [_gap_entry(room, gap) for gap in recording_gaps(room)],
    }


CMS_PREFIX = "cms:"


def _signature_of(room: HearingRoom, data: bytes) -> str:
    """Signed by the commune's organisation certificate when it has one (anyone can check it
    against the state's trust roots), else by the deployment's Ed25519 key."""
    seal = OrganisationSeal.objects.filter(commune_id=room.hearing.commune_id,
                                           is_active=True).first()
    if seal is not None:
        return CMS_PREFIX + base64.b64encode(sign_data(data, seal)).decode()
    return base64.b64encode(signing_key().sign(data)).decode()


def manifest_sha256(room: HearingRoom) -> str:
    """The SHA-256 of the manifest as signed (the Biên bản quotes it)."""
    return hashlib.sha256(canonical(room.manifest or {})).hexdigest()


def sign(room: HearingRoom) -> HearingRoom:
    manifest = build_manifest(room)
    signature = _signature_of(room, canonical(manifest))
    with transaction.atomic():
        HearingRoom.objects.filter(pk=room.pk).update(manifest=manifest,
                                                      manifest_signature=signature)
    room.manifest, room.manifest_signature = manifest, signature
    return room


def signer_of(room: HearingRoom) -> str:
    """Who signed the manifest, as the certificate names them ("" for the deployment key)."""
    if not room.manifest_signature.startswith(CMS_PREFIX):
        return ""
    signer, _problem = check_data_signature(
        canonical(room.manifest or {}), base64.b64decode(room.manifest_signature[len(CMS_PREFIX):]))
    return signer.common_name if signer is not None else ""


def verify(hearing_id: int) -> list[str]:
    """Every problem found (empty: the recordings are complete and untouched)."""
    room = HearingRoom.objects.filter(hearing_id=hearing_id).first()
    if room is None or not room.manifest or not room.manifest_signature:
        return ["no signed manifest for this hearing"]
    problems = []
    if room.manifest_signature.startswith(CMS_PREFIX):
        signer, problem = check_data_signature(
            canonical(room.manifest),
            base64.b64decode(room.manifest_signature[len(CMS_PREFIX):]))
        if problem:
            problems.append(f"the manifest's signature is not valid: {problem}")
    else:
        try:
            signing_key().public_key().verify(base64.b64decode(room.manifest_signature),
                                              canonical(room.manifest))
        except (InvalidSignature, ValueError):
            problems.append("the manifest's signature does not match: the manifest was altered")
    for entry in room.manifest.get("files", []):
        name = entry.get("name", "")
        if not default_storage.exists(name):
            problems.append(f"missing: {name}")
        elif _sha256(name) != entry.get("sha256"):
            problems.append(f"altered: {name}")
    if not room.manifest.get("files"):
        problems.append("the manifest lists no file")
    return problems
