"""Janus's raw per-stream recordings (.mjr) into one playable file per publisher, without
transcoding: ``janus-pp-rec`` for each stream, then ``ffmpeg -c copy`` to put video and audio
in one WebM.  Django-free.

Janus names its files ``videoroom-<room>-user-<feed>-<µs timestamp>-<audio|video>-<mid>.mjr``.
A publisher that reconnects starts new files: each (audio, video) pair in time order is a
segment.  A microphone muted on the server for the whole hearing leaves an audio file with no
packets; that segment is then video only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

_NAME = re.compile(r"^videoroom-(?P<room>\d+)-user-(?P<feed>\d+)-(?P<ts>\d+)-"
                   r"(?P<kind>audio|video)-(?P<mid>\d+)\.mjr$")
MISSING_TOOLS = ("janus-pp-rec and ffmpeg are needed to process recordings: "
                 "apt-get install janus-tools ffmpeg")


class PostProcessError(RuntimeError):
    pass


@dataclass(frozen=True)
class RawSegment:
    feed_id: int
    segment: int
    video: Path | None
    audio: Path | None


@dataclass(frozen=True)
class Processed:
    feed_id: int
    segment: int
    path: Path
    duration_seconds: float
    has_audio: bool
    # Seconds cut from the end: a stream cut off by a crash ends in a half-written frame.
    trimmed_seconds: float = 0.0


#: How much of a file's end is decoded to find a half-written last frame, and the cuts tried.
TAIL_SECONDS = 3.0
TAIL_CUTS = (0.25, 0.5, 1.0, 2.0)


def raw_segments(rec_dir: Path, room_id: int) -> list[RawSegment]:
    streams: dict[int, dict[str, list[tuple[int, Path]]]] = defaultdict(
        lambda: {"audio": [], "video": []})
    for path in sorted(rec_dir.glob(f"videoroom-{room_id}-user-*.mjr")):
        match = _NAME.match(path.name)
        if match and int(match["room"]) == room_id:
            streams[int(match["feed"])][match["kind"]].append((int(match["ts"]), path))
    segments = []
    for feed, kinds in sorted(streams.items()):
        videos, audios = sorted(kinds["video"]), sorted(kinds["audio"])
        for index in range(max(len(videos), len(audios))):
            segments.append(RawSegment(
                feed, index, videos[index][1] if index < len(videos) else None,
                audios[index][1] if index < len(audios) else None))
    return segments


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise PostProcessError(f"{Path(argv[0]).name} failed: {result.stderr[-500:]}")


def duration_of(path: Path) -> float:
    result = subprocess.run(  # noqa: S603
        [_tool("ffprobe"), "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)], capture_output=True, text=True, check=True)
    return float(result.stdout.strip() or 0)


def decode_errors(path: Path) -> str:
    """The decoders' errors over every frame of the file (empty: it decodes cleanly).

    ffprobe -count_frames decodes without muxing: ffmpeg's null muxer would also complain
    about repeated timestamps (frames bunched by a loaded sender), which players accept."""
    result = subprocess.run(  # noqa: S603
        [_tool("ffprobe"), "-v", "error", "-count_frames", "-show_entries",
         "stream=nb_read_frames", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=False)
    return result.stderr.strip() or ("" if result.returncode == 0 else "ffprobe failed")


def tail_decode_errors(path: Path, seconds: float = TAIL_SECONDS) -> str:
    """Like ``decode_errors`` over the last ``seconds`` of the file only (cheap for long files:
    the end is where a crash leaves damage)."""
    start = max(duration_of(path) - seconds, 0.0)
    result = subprocess.run(  # noqa: S603
        [_tool("ffprobe"), "-v", "error", "-read_intervals", f"{start:.3f}%", "-count_frames",
         "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=False)
    return result.stderr.strip() or ("" if result.returncode == 0 else "ffprobe failed")


def trim_damaged_tail(path: Path) -> float:
    """Cut the undecodable end of ``path`` (stream copy, no re-encoding); returns the seconds
    cut (0 when the end decodes cleanly).  Raises when even the largest cut leaves errors."""
    if not tail_decode_errors(path):
        return 0.0
    duration, ffmpeg = duration_of(path), _tool("ffmpeg")
    for cut in TAIL_CUTS:
        candidate = path.with_name(f"{path.stem}.cut{path.suffix}")
        _run([ffmpeg, "-y", "-v", "error", "-i", str(path), "-c", "copy", "-map", "0",
              "-t", f"{max(duration - cut, 0.0):.3f}", str(candidate)])
        if not tail_decode_errors(candidate):
            candidate.replace(path)
            return cut
        candidate.unlink(missing_ok=True)
    raise PostProcessError(f"{path.name}: the end of the recording does not decode")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise PostProcessError(MISSING_TOOLS)
    return found


def process_segment(raw: RawSegment, out_dir: Path) -> Processed | None:
    """One WebM for ``raw`` in ``out_dir``; None when the segment has no video at all."""
    if raw.video is None:
        return None
    pp_rec, ffmpeg = _tool("janus-pp-rec"), _tool("ffmpeg")
    out = out_dir / f"feed-{raw.feed_id}-{raw.segment}.webm"
    with tempfile.TemporaryDirectory() as work:
        video = Path(work) / "video.webm"
        _run([pp_rec, str(raw.video), str(video)])
        audio = Path(work) / "audio.opus"  # janus-pp-rec refuses Opus into .webm
        if raw.audio is not None:
            _run([pp_rec, str(raw.audio), str(audio)])
        if not video.exists():
            return None
        has_audio = audio.exists()
        if has_audio:
            _run([ffmpeg, "-y", "-v", "error", "-i", str(video), "-i", str(audio),
                  "-c", "copy", "-map", "0:v", "-map", "1:a", str(out)])
        else:  # muted on the server throughout: no audio packet was ever recorded
            _run([ffmpeg, "-y", "-v", "error", "-i", str(video), "-c", "copy", str(out)])
    trimmed = trim_damaged_tail(out)
    return Processed(raw.feed_id, raw.segment, out, duration_of(out), has_audio, trimmed)
