"""One Redis connection pool per process and address, for Django's Redis cache.

Django builds its cache objects per thread, and its Redis cache client keeps its connection
pool on the object; under ASGI each request's synchronous code runs on a new thread, so every
request that touched the cache (the API throttles do) opened a new pool and a new TCP connection
to Redis, left to the garbage collector.  ``CACHES["default"]["OPTIONS"]["pool_class"]`` names
:class:`SharedConnectionPool`: the cache clients of one process share its pool, which is
thread-safe and reopens its connections after a fork (redis-py checks the process id).
"""

from __future__ import annotations

import threading
from typing import Any

import redis


class SharedConnectionPool(redis.ConnectionPool):
    _shared: dict[tuple[str, str], SharedConnectionPool] = {}
    _shared_lock = threading.Lock()  # ConnectionPool's own ``_lock`` guards one pool

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> SharedConnectionPool:
        key = (url, repr(sorted(kwargs.items(), key=lambda item: item[0])))
        with cls._shared_lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = super().from_url(url, **kwargs)
            return pool
