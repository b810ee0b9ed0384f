"""Post-processing with the real tools (ffmpeg, ffprobe): a crash-damaged end is cut and the
rest decodes; the combined file puts each point on the hearing's timeline."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tiepdan.media import postprocess

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg missing")


_CLIPS: dict[tuple[float, str, bool], Path] = {}


def clip(path: Path, seconds: float, source: str = "testsrc", audio: bool = True) -> Path:
    """A WebM test pattern (VP8, Opus tone) of ``seconds`` at ``path``.  Encoded once per test
    process for each kind and copied: the encoder's output is the same every time."""
    key = (seconds, source, audio)
    if key not in _CLIPS:
        folder = Path(tempfile.mkdtemp(prefix="tiepdan-clips-"))
        atexit.register(shutil.rmtree, folder, True)
        made = folder / f"{source}-{seconds}-{int(audio)}.webm"
        argv = ["ffmpeg", "-y", "-v", "error", "-f", "lavfi",
                "-i", f"{source}=size=640x480:rate=20:duration={seconds}"]
        if audio:
            argv += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a",
                     "libopus"]
        argv += ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k",
                 str(made)]
        subprocess.run(argv, check=True)
        _CLIPS[key] = made
    shutil.copyfile(_CLIPS[key], path)
    return path


def mean_brightness(path: Path, at: float) -> float:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-ss", str(at), "-i", str(path),
                          "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                         check=True, capture_output=True).stdout
    return sum(raw) / len(raw)


def test_a_clean_file_is_not_cut(tmp_path):
    path = clip(tmp_path / "a.webm", 4)
    assert postprocess.trim_damaged_tail(path) == 0.0


def test_a_half_written_end_is_cut_and_the_rest_decodes(tmp_path):
    path = clip(tmp_path / "a.webm", 6, audio=False)
    data = path.read_bytes()
    # As a crash leaves it: the last frame's data cut in the middle.
    path.write_bytes(data[:-700])
    assert postprocess.decode_errors(path) != ""
    cut = postprocess.trim_damaged_tail(path)
    assert cut > 0
    assert postprocess.decode_errors(path) == ""
    assert 4.5 < postprocess.duration_of(path) < 6.0


def test_the_combined_file_follows_the_hearing_timeline(tmp_path):
    first = clip(tmp_path / "a.webm", 4)
    second = clip(tmp_path / "b.webm", 3, source="testsrc2", audio=False)
    out = tmp_path / "combined.webm"
    duration = postprocess.combine([
        postprocess.Placed(first, 1.0, 0, True),
        postprocess.Placed(second, 3.0, 1, False),
    ], 8.0, out)
    assert abs(duration - 8.0) < 0.2
    assert postprocess.decode_errors(out) == ""
    assert mean_brightness(out, 0.5) < 5  # nobody yet: black
    assert mean_brightness(out, 2.0) > 20  # the first point is in
    assert mean_brightness(out, 7.5) < 5  # everybody gone
    streams = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                              "stream=codec_type,width,height", "-of", "csv=p=0", str(out)],
                             check=True, capture_output=True, text=True).stdout
    assert "video,640,240" in streams and "audio" in streams  # two tiles side by side


@pytest.mark.parametrize(("slots", "expected"), [(1, (1, 1)), (2, (2, 1)), (3, (2, 2)),
                                                 (4, (2, 2)), (5, (3, 2)), (9, (3, 3))])
def test_the_grid_grows_with_the_points(slots, expected):
    assert postprocess.grid(slots) == expected


def test_the_first_packet_time_comes_from_the_mjr_header(tmp_path):
    import json

    header = json.dumps({"t": "v", "c": "vp8", "s": 1_700_000_000_000_000,
                         "u": 1_700_000_001_250_000}).encode()
    path = tmp_path / "videoroom-1-user-2-1700000000000000-video-1.mjr"
    path.write_bytes(b"MJR00002" + len(header).to_bytes(2, "big") + header + b"\0" * 40)
    assert postprocess.first_packet_us(path) == 1_700_000_001_250_000
    (tmp_path / "other.mjr").write_bytes(b"MJR00001junk")
    assert postprocess.first_packet_us(tmp_path / "other.mjr") is None
