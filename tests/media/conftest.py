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
import threading
import time
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


# -- Hearing rooms ----------------------------------------------------------------------------

def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "media_e2e: real Chromium against real Janus, inside scripts/netns-run")


class RoomCast:
    """A hearing with a central point (the chair's), a department point and a citizen's
    point, their participants, and the staff who run the room."""

    def __init__(self, commune: Any) -> None:
        import datetime as dt

        from django.utils import timezone

        from tests.factories import staff_user
        from tiepdan.core.models import Role
        from tiepdan.hearings.models import BridgePoint, Hearing, HearingStatus, Participant

        now = timezone.now()
        self.chair = staff_user(Role.CHAIRMAN, commune, first_name="Văn Chủ", last_name="Vũ")
        self.operator = staff_user(Role.TECHNICAL_OPERATOR, commune)
        self.outsider = staff_user(Role.TECHNICAL_OPERATOR)  # another commune's operator
        self.hearing = Hearing.objects.create(
            commune=commune, starts_at=now - dt.timedelta(minutes=5),
            ends_at=now + dt.timedelta(hours=2), chair=self.chair, created_by=self.chair,
            title="Tiếp công dân định kỳ", status=HearingStatus.CONFIRMED)

        def point(name: str, kind: str, central: bool = False) -> BridgePoint:
            return BridgePoint.objects.create(
                hearing=self.hearing, kind=kind, is_central=central, name=name,
                address="Xã An Lão", responsible_person="Người phụ trách",
                technical_contact_name="Kỹ thuật", technical_contact_phone="0912000000")

        self.central = point("Trụ sở UBND xã", "commune_hall", central=True)
        self.department = point("Sở Tài nguyên và Môi trường", "department")
        self.citizen_point = point("Nhà văn hóa thôn Hàm Hy", "citizen")
        self.official = Participant.objects.create(
            bridge_point=self.department, full_name="Lê Văn Sở", position="Phó Giám đốc")
        self.citizen = Participant.objects.create(
            bridge_point=self.citizen_point, full_name="Trần Thị Bình", is_citizen=True)


@pytest.fixture
def cast(transactional_db: None) -> RoomCast:
    from tests.factories import CommuneFactory

    return RoomCast(CommuneFactory(ward_code=11629, name="Xã An Lão"))


@pytest.fixture
def rooms_on_test_janus(janus: JanusProcess) -> Iterator[JanusSettings]:
    """The room service talks to this module's Janus; no live room leaks between tests."""
    from channels.layers import channel_layers

    from tiepdan.media import room_service, room_state

    room_service.use_janus_settings(janus.settings)
    room_state.forget_all()
    channel_layers.backends.clear()
    yield janus.settings
    room_state.forget_all()
    channel_layers.backends.clear()
    room_service.use_janus_settings(None)


# -- Real browsers against the real Janus (media_e2e, inside scripts/netns-run) ---------------

@pytest.fixture(scope="module")
def netns_janus(make_janus_settings: Callable[..., JanusSettings]) -> Iterator[JanusProcess]:
    process = JanusProcess(make_janus_settings(ice_enforce_list="v0",
                                               rtp_port_range="40100-40199"))
    process.start()
    yield process
    process.stop()


@pytest.fixture
def app_server(settings, netns_janus: JanusProcess, transactional_db: None, tmp_path: Path
               ) -> Iterator[str]:
    """uvicorn serving tiepdan.asgi (HTTP + WebSockets) in a thread of this process, so it
    shares the in-memory test database."""
    import uvicorn
    from channels.layers import channel_layers
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    from tiepdan.asgi import application
    from tiepdan.media import room_service, room_state

    settings.ROOT_URLCONF = "tests.media.urls"
    settings.RECORDINGS_SIGNING_KEY_FILE = str(tmp_path / "recordings-ed25519.pem")
    room_service.use_janus_settings(netns_janus.settings)
    room_state.forget_all()
    channel_layers.backends.clear()
    app = ProtocolTypeRouter({
        "http": ASGIStaticFilesHandler(get_asgi_application()),
        "websocket": application.application_mapping["websocket"],
    })
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off",
                                           log_level="warning", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Playwright's sync API runs an event loop in this thread; our ORM calls happen between
    # browser steps, not inside coroutines.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    room_service.use_janus_settings(None)
    room_state.forget_all()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
