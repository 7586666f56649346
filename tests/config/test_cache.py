"""The Redis cache backend shares one client per connection pool and still works."""

import os

import pytest

from config.cache import ReusingRedisCache
from tests.servers import unavailable

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    cache = ReusingRedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache"})
    try:
        cache.get("ping")
    except Exception as error:  # any connection failure: no server
        unavailable(f"No Redis at {REDIS_URL}: {error}")
    yield cache
    cache.delete_many(["throttle", "hits"])


def test_values_round_trip_and_one_client_serves_every_call(redis_cache):
    redis_cache.set("throttle", [1, 2, 3], 30)
    redis_cache.set("hits", 1, 30)
    redis_cache.incr("hits")

    assert redis_cache.get("throttle") == [1, 2, 3]
    assert redis_cache.get("hits") == 2
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True)
