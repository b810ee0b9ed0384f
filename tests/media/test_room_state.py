"""The room store's contract (decision 0003), on both backends: memory (embedded mode) and a real
Redis (the database of this suite's Redis URL, keys under a prefix of their own)."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import Iterator

import pytest

from tiepdan.media import floor, live, room_keeper, room_service, room_state, rules
from tiepdan.media.live import LiveRoom, Member, Stage
from tiepdan.media.models import EventKind, RoomEvent

REDIS_URL = os.environ.get("TIEPDAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _redis_available() -> bool:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def _clean(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["memory", "redis"])
def make_store(request) -> Iterator:
    """``make_store()``: a store; with Redis each call is another "process" on the same data."""
    if request.param == "memory":
        single = room_state.MemoryStore()
        yield lambda: single
        return
    if not _redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"tiepdan-test-{secrets.token_hex(4)}:"
    yield lambda: room_state.RedisStore(REDIS_URL, prefix=prefix)
    _clean(prefix)


def a_room(hearing_id: int = 7) -> LiveRoom:
    return LiveRoom(hearing_id=hearing_id, room_pk=1, janus_room_id=99, secret="s3cret")


def a_member(key: str, process_id: str = room_state.PROCESS_ID) -> Member:
    return Member(
        key=key,
        role="participant",
        name=f"Điểm {key}",
        channel_name=f"ch-{key}",
        bridge_point_id=None,
        bridge_point_name="Sở",
        stage=Stage.ROOM,
        process_id=process_id,
    )


def run(coroutine):
    return asyncio.run(coroutine)


def test_it_keeps_a_room_with_its_members_and_floor(make_store):
    async def scenario() -> tuple:
        store = make_store()
        assert await store.get(7) is None
        async with store.lease(7) as lease:
            await store.create(a_room(), lease)
        async with store.update(7) as room:
            member = a_member("p1")
            member.last_video_at = 123.0  # local: never stored
            room.members["p1"] = member
            floor.raise_hand(room, member)
            room.admitted.add("p1")
            room.departed["p2"] = 1e12
        stored = await store.get(7)
        await store.close()
        return stored

    stored = run(scenario())
    assert stored.members["p1"].name == "Điểm p1" and stored.members["p1"].hand_raised
    assert stored.members["p1"].last_video_at is None
    assert stored.queue == ["p1"] and stored.admitted == {"p1"}
    assert stored.departed == {"p2": 1e12} and stored.secret == "s3cret"
    assert stored.version == 2


def test_an_update_that_changes_nothing_writes_nothing(make_store):
    async def scenario() -> int:
        store = make_store()
        async with store.lease(7) as lease:
            await store.create(a_room(), lease)
        async with store.update(7) as room:
            assert room is not None
        version = (await store.get(7)).version
        await store.close()
        return version

    assert run(scenario()) == 1


def test_concurrent_changes_from_several_processes_are_never_lost(make_store):
    """Forty members join at once through four stores (four processes with Redis): each
    change is made on the state as the previous one left it."""

    async def scenario() -> LiveRoom:
        stores = [make_store() for _ in range(4)]
        async with stores[0].lease(7) as lease:
            await stores[0].create(a_room(), lease)

        async def join(index: int) -> None:
            async with stores[index % 4].update(7) as room:
                await asyncio.sleep(0)  # let the others try meanwhile
                member = a_member(f"p{index}")
                room.members[member.key] = member
                floor.raise_hand(room, member)

        await asyncio.gather(*(join(i) for i in range(40)))
        stored = await stores[0].get(7)
        for store in stores:
            await store.close()
        return stored

    stored = run(scenario())
    assert len(stored.members) == 40 and len(stored.queue) == 40
    assert stored.version == 41


def test_a_write_without_the_lease_is_refused(make_store):
    async def scenario() -> LiveRoom:
        store = make_store()
        async with store.lease(7) as lease:
            await store.create(a_room(), lease)
        stale = await store.get(7)
        stale.floor = "p9"
        with pytest.raises(room_state.RoomBusy):
            await store.write("not-the-lease", stale)
        stored = await store.get(7)
        await store.close()
        return stored

    assert run(scenario()).floor is None


def test_a_lapsed_lease_cannot_overwrite_the_next_holder(monkeypatch):
    """A process that stalled past its lease (10 s in production) must not write over the
    state the next holder wrote: the fenced write refuses it."""
    if not _redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    monkeypatch.setattr(room_state, "LEASE_SECONDS", 0.2)
    prefix = f"tiepdan-test-{secrets.token_hex(4)}:"

    async def scenario() -> tuple:
        slow, quick = (room_state.RedisStore(REDIS_URL, prefix=prefix) for _ in range(2))
        async with slow.lease(7) as lease:
            await slow.create(a_room(), lease)
        refused = False
        try:
            async with slow.update(7) as room:
                room.floor = "slow"
                await asyncio.sleep(0.3)  # the lease lapses ...
                async with quick.update(7) as other:  # ... and another process takes it
                    other.floor = "quick"
        except room_state.RoomBusy:
            refused = True
        stored = await quick.get(7)
        await slow.close()
        await quick.close()
        return refused, stored.floor

    try:
        assert run(scenario()) == (True, "quick")
    finally:
        _clean(prefix)


def test_a_process_is_alive_while_its_heartbeat_is_fresh(make_store, monkeypatch):
    monkeypatch.setattr(room_state, "PROCESS_TTL_SECONDS", 0.3)

    async def scenario() -> tuple:
        store = make_store()
        await store.heartbeat("web-a")
        fresh = await store.alive(["web-a", "web-b"])
        await asyncio.sleep(0.4)
        lapsed = await store.alive(["web-a", "web-b"])
        await store.close()
        return fresh, lapsed

    assert run(scenario()) == ({"web-a"}, set())


def test_a_floor_budget_ends_once_whichever_process_gets_there(make_store):
    """Every process serving the room looks at the deadline; under the lease, on the state as
    it is, only the first finds it due."""

    async def scenario() -> tuple:
        stores = [make_store() for _ in range(3)]
        async with stores[0].lease(7) as lease:
            room = a_room()
            room.members["p1"] = a_member("p1")
            room.members["p2"] = a_member("p2")
            room.floor, room.floor_until = "p1", time.time() - 0.1
            room.queue = ["p2"]
            room.departed["p3"] = time.time() - 0.1  # gone with a raised hand, not back
            room.queue.append("p3")
            await stores[0].create(room, lease)

        async def keeper(store: room_state.RoomStore) -> list[floor.Expired]:
            async with store.update(7) as current:
                return await floor.expire_due(None, current)

        done = await asyncio.gather(*(keeper(stores[i % 3]) for i in range(6)))
        stored = await stores[0].get(7)
        for store in stores:
            await store.close()
        return [d.kind for batch in done for d in batch], stored

    kinds, stored = run(scenario())
    assert sorted(kinds) == ["dropped", "time_up"]
    assert stored.floor is None and stored.floor_until is None
    assert stored.queue == ["p2"] and stored.departed == {}


@pytest.fixture
def memory_store() -> Iterator[room_state.MemoryStore]:
    store = room_state.MemoryStore()
    room_state.use_store(store)
    yield store
    room_state.forget_all()
    room_state.use_store(None)


class Served:
    """A consumer of this process, as the keeper sees it."""

    def __init__(self, member: Member) -> None:
        self.member = member

    def janus_control(self) -> None:
        return None


def test_the_keeper_takes_over_the_members_of_a_dead_process(cast, memory_store, monkeypatch):
    """Members served by a process whose heartbeat lapsed leave (timeline: LEAVE), keeping
    their raised hand and floor for the grace period; members of live processes stay."""
    room_record, _, _ = room_service.room_record(cast.hearing.pk)

    async def scenario() -> LiveRoom:
        await memory_store.heartbeat("web-alive")
        async with memory_store.lease(cast.hearing.pk) as lease:
            room = LiveRoom(
                hearing_id=cast.hearing.pk, room_pk=room_record.pk, janus_room_id=99, secret="s"
            )
            for key, process in (
                ("p1", "web-dead"),
                ("p2", "web-alive"),
                ("u1", room_state.PROCESS_ID),
            ):
                room.members[key] = a_member(key, process)
            floor.raise_hand(room, room.members["p1"])
            room.floor = "p1"
            await memory_store.create(room, lease)
        live.attach(cast.hearing.pk, "ch-u1", Served(room.members["u1"]))  # served here
        assert await room_keeper.tick(cast.hearing.pk)
        assert not await room_keeper.tick(cast.hearing.pk)  # nothing left to do
        return await memory_store.get(cast.hearing.pk)

    stored = run(scenario())
    assert set(stored.members) == {"p2", "u1"}
    assert stored.floor == "p1" and stored.queue == ["p1"]
    assert stored.departed["p1"] - time.time() > rules.RECONNECT_GRACE_SECONDS - 5
    leave = RoomEvent.objects.get(kind=EventKind.LEAVE)
    assert leave.detail == {"reason": "process_lost"} and leave.actor == "Điểm p1"


def test_the_keeper_drops_a_member_this_process_no_longer_serves(cast, memory_store):
    """A departure whose write failed leaves a member no consumer here serves: the keeper
    drops it after two looks (a consumer is attached before its member is written)."""
    room_record, _, _ = room_service.room_record(cast.hearing.pk)

    async def scenario() -> tuple:
        async with memory_store.lease(cast.hearing.pk) as lease:
            room = LiveRoom(
                hearing_id=cast.hearing.pk, room_pk=room_record.pk, janus_room_id=99, secret="s"
            )
            room.members["p1"] = a_member("p1")  # this process, no consumer attached
            await memory_store.create(room, lease)
        first = await room_keeper.tick(cast.hearing.pk)
        second = await room_keeper.tick(cast.hearing.pk)
        return first, second, await memory_store.get(cast.hearing.pk)

    first, second, stored = run(scenario())
    assert (first, second) == (False, True)
    assert stored.members == {}
