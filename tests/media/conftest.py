"""A real Janus for the media tests: installed on demand (as root), started on free loopback
ports with a configuration generated in a temporary directory."""

from __future__ import annotations

import asyncio
import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

from tiepdan.media.janus_client import JanusSession, VideoRoom
from tiepdan.media.janus_config import JanusSettings
from tiepdan.media.janus_process import JanusProcess
from tiepdan.media.rooms import room_for_hearing

REPO = Path(__file__).resolve().parents[2]
ENSURE_MEDIA_PACKAGES = REPO / "scripts" / "ensure-media-packages"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coroutine)


async def create_and_check(settings: JanusSettings) -> None:
    """Create a room, see it exists, destroy it: the API is fully working."""
    room_id, secret = room_for_hearing("api-check")
    async with JanusSession(settings.api_url, settings.api_secret) as session:
        room = VideoRoom(await session.attach(), settings.room_admin_key)
        await room.create_room(room_id, secret, "API check", publishers=2,
                               rec_dir=str(settings.rec_dir))
        assert await room.exists(room_id)
        await room.destroy_room(room_id, secret)


@pytest.fixture(scope="session")
def janus_installed() -> str:
    """The Janus binary. As root, scripts/ensure-media-packages installs what is missing."""
    if os.geteuid() == 0:
        # Under pytest-xdist every worker gets here: one apt-get at a time.
        with open(Path(tempfile.gettempdir()) / "tiepdan-media-packages.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            subprocess.run([str(ENSURE_MEDIA_PACKAGES)], check=True)  # noqa: S603
    binary = shutil.which("janus")
    if binary is None:
        pytest.skip("Janus is not installed and we are not root to install it: "
                    "run `sudo scripts/ensure-media-packages`")
    return binary


@pytest.fixture(scope="session")
def make_janus_settings(janus_installed: str, tmp_path_factory: pytest.TempPathFactory
                        ) -> Callable[..., JanusSettings]:
    """``make_janus_settings(**overrides)``: settings on free ports in a fresh directory."""

    def make(**overrides: Any) -> JanusSettings:
        base = tmp_path_factory.mktemp("janus")
        values: dict[str, Any] = {
            "conf_dir": base / "conf", "rec_dir": base / "recordings",
            "log_file": base / "janus.log", "admin_secret": "admin-secret-for-tests",
            "api_secret": "api-secret-for-tests", "room_admin_key": "room-key-for-tests",
            "http_port": free_port(), "admin_port": free_port(),
            "rtp_port_range": "40000-40099",
        }
        values.update(overrides)
        return JanusSettings(**values)

    return make


@pytest.fixture(scope="module")
def janus(make_janus_settings: Callable[..., JanusSettings]) -> Iterator[JanusProcess]:
    process = JanusProcess(make_janus_settings())
    process.start()
    yield process
    process.stop()


@pytest.fixture
def videoroom(janus: JanusProcess) -> Callable[..., Any]:
    """``run(videoroom(lambda room: ...))``: a VideoRoom on a fresh API session."""

    async def with_room(use: Callable[[VideoRoom], Coroutine[Any, Any, Any]]) -> Any:
        settings = janus.settings
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            room = VideoRoom(await session.attach(), settings.room_admin_key)
            return await use(room)

    return with_room
