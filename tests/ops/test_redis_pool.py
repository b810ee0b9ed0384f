"""The Redis cache shares one connection pool per process: Django builds a cache object per
thread and ASGI runs each request on a new thread, so without it every request opened a new
connection to Redis (tested against the real Redis of this machine, db 11)."""

from __future__ import annotations

import threading

import pytest
import redis
from django.core.cache import CacheHandler

from tiepdan.settings import redis_caches

REDIS_URL = "redis://127.0.0.1:6379/11"
CACHES = redis_caches(REDIS_URL)  # what settings configure when REDIS_URL is set


@pytest.fixture
def redis_server():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:  # pragma: no cover - .ci/run starts Redis
        pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def _connections(client: redis.Redis) -> int:
    return sum(1 for c in client.client_list() if c.get("db") == "11")


def test_requests_on_new_threads_share_one_pool_and_its_connections(redis_server, settings):
    settings.CACHES = CACHES
    handler = CacheHandler()  # what django.core.cache.caches is: one cache object per thread
    pools, errors = [], []

    def one_request(index: int) -> None:
        try:
            cache = handler["default"]
            cache.set(f"k{index}", index)
            assert cache.get(f"k{index}") == index
            pools.append(cache._cache._get_connection_pool(write=True))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    before = _connections(redis_server)
    for batch in range(5):  # 50 "requests", each on a thread of its own
        threads = [threading.Thread(target=one_request, args=(batch * 10 + i,))
                   for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(pools) == 50 and len({id(pool) for pool in pools}) == 1
    # At most one connection per concurrent thread, not one per request.
    assert _connections(redis_server) - before <= 10
