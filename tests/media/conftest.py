"""A real Janus for the media tests: installed on demand (as root), started on free loopback
ports with a configuration generated in a temporary directory."""

from __future__ import annotations

import asyncio
import datetime as dt
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
from typing import TYPE_CHECKING, Any

import pytest

from tiepdan.media.janus_client import JanusSession, VideoRoom
from tiepdan.media.janus_config import JanusSettings
from tiepdan.media.janus_process import JanusProcess
from tiepdan.media.rooms import room_for_hearing

if TYPE_CHECKING:
    from tiepdan.core.models import Commune, Role

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
    """A confirmed hearing with a central point (the chair's), a department point and a
    citizen's point, their participants, and the staff who run the room.  By default it began
    5 minutes ago and ends in about 2 hours; ``starts_at`` sets another start.

    It is built the way an office would have it (tests.builders), ten working days before its
    start: the staff are appointed, Trần Thị Bình's matter is approved for an online hearing,
    the hearing is planned with it on the agenda (the citizens' point brings her as a
    participant), the department's point and official are added and the hearing is confirmed
    (its documents issued, its matter scheduled); then time comes back.  When the day of the
    start is not a working day the administrator first records it as a make-up working day
    (ngày làm bù), as the journey test does.  ``chair_role`` makes a vice-chairman the chair
    (the chairman still approves the matter).
    """

    #: Working days between planning and the start: every notice period is met.
    PLANNED_AHEAD = 10
    DURATION_MINUTES = 125

    def __init__(self, commune: Commune, *, starts_at: dt.datetime | None = None,
                 chair_role: Role | None = None) -> None:
        import time_machine
        from django.utils import timezone

        from tests import builders
        from tests.factories import staff_user
        from tiepdan.core.models import Role
        from tiepdan.hearings import planning
        from tiepdan.workdays.deadlines import VN_TZ
        from tiepdan.workdays.services import current_calendar

        starts_at = starts_at or timezone.now() - dt.timedelta(minutes=5)
        day = starts_at.astimezone(VN_TZ).date()
        planned_day = current_calendar().add_working_days(day, -self.PLANNED_AHEAD)
        planned_at = dt.datetime.combine(planned_day, dt.time(9), tzinfo=VN_TZ)
        chair_role = chair_role or Role.CHAIRMAN
        with time_machine.travel(planned_at, tick=False) as clock:
            _make_up_working_day(day)
            self.chair = staff_user(chair_role, commune, first_name="Văn Chủ", last_name="Vũ")
            self.operator = staff_user(Role.TECHNICAL_OPERATOR, commune)
            self.outsider = staff_user(Role.TECHNICAL_OPERATOR)  # another commune's operator
            self.officer = builders.staff(commune, Role.OFFICE_OFFICER)
            approver = (self.chair if chair_role == Role.CHAIRMAN
                        else builders.staff(commune, Role.CHAIRMAN))
            matter = builders.make_matter(commune, "approved", officer=self.officer,
                                          chairman=approver)
            hearing = builders.make_hearing(
                commune, "ready", matters=[matter], officer=self.officer, chairman=self.chair,
                clock=clock, starts_at=starts_at, duration_minutes=self.DURATION_MINUTES,
                title="Tiếp công dân định kỳ")
            self.central = hearing.bridge_points.get(is_central=True)
            self.citizen_point = hearing.bridge_points.get(kind="citizen")
            self.citizen = self.citizen_point.participants.get(is_citizen=True)
            self.department = planning.add_bridge_point(
                hearing, actor=self.officer, kind="department",
                name="Sở Tài nguyên và Môi trường", address="Số 1 Lê Đại Hành, Hải Phòng",
                responsible_person="Lê Văn Sở", technical_contact_name="Đỗ Văn Mạng",
                technical_contact_phone="0912000777")
            self.official = planning.add_participant(
                self.department, actor=self.officer, full_name="Lê Văn Sở",
                position="Phó Giám đốc", organisation="Sở Tài nguyên và Môi trường")
            planning.confirm_hearing(hearing, actor=self.officer)
        self._reload(hearing.pk)

    def _reload(self, hearing_pk: int) -> None:
        """Fresh rows, linked to each other in memory as the async tests need them (no query
        from an event loop for ``participant.bridge_point.hearing.commune``)."""
        from tiepdan.hearings.models import BridgePoint, Hearing, Participant

        self.hearing = Hearing.objects.select_related("commune__city", "chair").get(
            pk=hearing_pk)

        def point(pk: int) -> BridgePoint:
            row = BridgePoint.objects.get(pk=pk)
            row.hearing = self.hearing
            return row

        def person(pk: int, at: BridgePoint) -> Participant:
            row = Participant.objects.get(pk=pk)
            row.bridge_point = at
            return row

        self.central, self.department = point(self.central.pk), point(self.department.pk)
        self.citizen_point = point(self.citizen_point.pk)
        self.official = person(self.official.pk, self.department)
        self.citizen = person(self.citizen.pk, self.citizen_point)


def _make_up_working_day(day: dt.date) -> None:
    """Record ``day`` as a make-up working day unless it already is a working day."""
    from tiepdan.workdays.calendar import OverrideKind
    from tiepdan.workdays.services import add_override, current_calendar

    if not current_calendar().is_working_day(day):
        add_override(date=day, kind=OverrideKind.WORKING_DAY, name="Làm bù cho buổi tiếp",
                     legal_reference="Quyết định của Chủ tịch UBND xã", actor=None)


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
