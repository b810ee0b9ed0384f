"""Janus's raw per-stream recordings (.mjr) into one playable file per publisher, without
transcoding: ``janus-pp-rec`` for each stream, then ``ffmpeg -c copy`` to put video and audio
in one WebM.  Django-free.

Janus names its files ``videoroom-<room>-user-<feed>-<µs timestamp>-<audio|video>-<mid>.mjr``.
A publisher that reconnects starts new files: each (audio, video) pair in time order is a
segment.  A microphone muted on the server for the whole hearing leaves an audio file with no
packets; that segment is then video only.
"""

from __future__ import annotations

import json
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
    started_us: int = 0  # Janus's wall-clock time (µs) when the stream's file was opened


@dataclass(frozen=True)
class Processed:
    feed_id: int
    segment: int
    path: Path
    duration_seconds: float
    has_audio: bool
    # Seconds cut from the end: a stream cut off by a crash ends in a half-written frame.
    trimmed_seconds: float = 0.0
    # When the first packet was written (Janus's clock, µs): where the file starts in time.
    started_us: int = 0


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
            first = videos[index] if index < len(videos) else audios[index]
            segments.append(RawSegment(
                feed, index, videos[index][1] if index < len(videos) else None,
                audios[index][1] if index < len(audios) else None, started_us=first[0]))
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


def tail_decode_errors(path: Path, seconds: float = TAIL_SECONDS,
                       duration: float | None = None) -> str:
    """Like ``decode_errors`` over the last ``seconds`` of the file only (cheap for long files:
    the end is where a crash leaves damage)."""
    start = max((duration_of(path) if duration is None else duration) - seconds, 0.0)
    result = subprocess.run(  # noqa: S603
        [_tool("ffprobe"), "-v", "error", "-read_intervals", f"{start:.3f}%", "-count_frames",
         "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=False)
    return result.stderr.strip() or ("" if result.returncode == 0 else "ffprobe failed")


def trim_damaged_tail(path: Path, duration: float | None = None) -> float:
    """Cut the undecodable end of ``path`` (stream copy, no re-encoding); returns the seconds
    cut (0 when the end decodes cleanly).  Raises when even the largest cut leaves errors."""
    duration = duration_of(path) if duration is None else duration
    if not tail_decode_errors(path, duration=duration):
        return 0.0
    ffmpeg = _tool("ffmpeg")
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


def first_packet_us(path: Path) -> int | None:
    """When the first packet of ``path`` was written (the .mjr header's "u", Janus's wall
    clock in µs); the file's name only says when it was opened, before any media flowed.

    An MJR00002 file starts with its magic, a 16-bit big-endian length and that many bytes of
    JSON header (Janus's "recordings" documentation)."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) != b"MJR00002":
                return None
            length = int.from_bytes(handle.read(2), "big")
            header = json.loads(handle.read(length))
    except (OSError, ValueError):
        return None
    value = header.get("u") or header.get("s") if isinstance(header, dict) else None
    return int(value) if isinstance(value, int | float) else None


def process_segment(raw: RawSegment, out_dir: Path, *, check_tail: bool = True
                    ) -> Processed | None:
    """One WebM for ``raw`` in ``out_dir``; None when the segment has no video at all.
    ``check_tail``: the stream may have been cut off by a Janus crash (its end is checked and
    an undecodable end cut)."""
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
    duration = duration_of(out)
    trimmed = trim_damaged_tail(out, duration) if check_tail else 0.0
    if trimmed:
        duration = duration_of(out)
    started = first_packet_us(raw.video) or raw.started_us
    return Processed(raw.feed_id, raw.segment, out, duration, has_audio, trimmed, started)


# -- The combined file -----------------------------------------------------------------------

#: One tile per bridge point in the combined file; the grid grows with the number of points.
TILE = (320, 240)
COMBINED_FPS = 15


@dataclass(frozen=True)
class Placed:
    """A processed file placed in the combined file: from ``offset`` seconds into the
    hearing, in tile ``slot``."""

    path: Path
    offset: float
    slot: int
    has_audio: bool


def grid(slots: int) -> tuple[int, int]:
    columns = 1
    while columns * columns < slots:
        columns += 1
    rows = -(-slots // columns)
    return columns, rows


def combined_command(placed: list[Placed], duration: float, out: Path) -> list[str]:
    """The ffmpeg command laying every point side by side on the hearing's own timeline
    (black before a point joins and after it leaves) with every voice mixed."""
    slots = max(p.slot for p in placed) + 1
    columns, rows = grid(slots)
    width, height = TILE
    argv = [_tool("ffmpeg"), "-y", "-v", "error"]
    for item in placed:
        argv += ["-i", str(item.path)]
    parts = [f"color=c=black:s={columns * width}x{rows * height}:r={COMBINED_FPS}"
             f":d={duration:.3f}[base0]"]
    for index, item in enumerate(placed):
        x, y = (item.slot % columns) * width, (item.slot // columns) * height
        parts.append(f"[{index}:v]setpts=PTS-STARTPTS+{item.offset:.3f}/TB,"
                     f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
                     f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2[v{index}]")
        parts.append(f"[base{index}][v{index}]overlay={x}:{y}:eof_action=pass:format=yuv420"
                     f"[base{index + 1}]")
    parts.append(f"[base{len(placed)}]format=yuv420p[vout]")
    voices = [(index, item) for index, item in enumerate(placed) if item.has_audio]
    for index, item in voices:
        delay = int(item.offset * 1000)
        parts.append(f"[{index}:a]asetpts=PTS-STARTPTS,adelay={delay}:all=1[a{index}]")
    if voices:
        inputs = "".join(f"[a{index}]" for index, _ in voices)
        parts.append(f"{inputs}amix=inputs={len(voices)}:normalize=0:duration=longest,"
                     f"apad=whole_dur={duration:.3f}[aout]")
    else:
        parts.append(f"anullsrc=r=48000:cl=mono,atrim=0:{duration:.3f}[aout]")
    argv += ["-filter_complex", ";".join(parts), "-map", "[vout]", "-map", "[aout]",
             "-t", f"{duration:.3f}", "-c:v", "libvpx", "-deadline", "realtime",
             "-cpu-used", "8", "-b:v", "800k", "-c:a", "libopus", "-b:a", "48k", str(out)]
    return argv


def combine(placed: list[Placed], duration: float, out: Path) -> float:
    """Write the combined file; returns its duration.  (It is encoded — the per-point files
    are the evidence, copied untouched; this one is for watching the hearing as a whole.)"""
    if not placed:
        raise PostProcessError("no recording to combine")
    _run(combined_command(placed, duration, out))
    return duration_of(out)
