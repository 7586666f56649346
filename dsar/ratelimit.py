"""A small fixed-window rate limit, shared by every public entry point and the API.

    if not ratelimit.allow(ratelimit.client_key(request, "public-form"), limit, 3600):
        ...  # answer 429

Each call that returns True has used one of the `limit` slots of the current window.
Windows are aligned to the clock (for an hour: 14:00-15:00), so a client may get up to
twice `limit` across a window boundary; that is accepted for its simplicity.

Counting happens in the cache (`cache.add` then `cache.incr`, both atomic on Redis). A
rate limit must never be the reason a request is lost, so when the cache cannot be
reached the count moves to the database (one row per key and window, incremented by an
upsert: still shared by every process), a warning is logged at most once a minute, and
the cache is left alone for a few seconds before it is tried again. Only the database
being down can then stop a request, and that is answered with a 503 elsewhere.

The client address is personal data: keys hold a keyed hash of it, never the address.
Only REMOTE_ADDR is used; X-Forwarded-For is set by the client and cannot be trusted here
(behind a proxy, have the proxy set REMOTE_ADDR, e.g. gunicorn's --forwarded-allow-ips).
IPv6 clients are counted per /64, the block one subscriber usually holds.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

log = logging.getLogger(__name__)

KEY_PREFIX = "ratelimit"
WARN_EVERY_SECONDS = 60
# After a cache failure, count in the database for this long before trying the cache
# again: a dead Redis costs one failed connection every few seconds, not one per request.
CACHE_RETRY_SECONDS = 5.0

_state = {"cache_down_until": 0.0, "warned_at": float("-inf")}


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; True while the current window holds at most `limit` hits."""
    if limit <= 0:
        return False
    return hit(key, window_seconds) <= limit


def hit(key: str, window_seconds: int) -> int:
    """Count one hit for `key` in the current window and return the window's count."""
    now = time.time()
    window = int(now // window_seconds)
    # Live until the window ends; +1 so the key never expires a moment early.
    ttl = window_seconds - int(now % window_seconds) + 1
    cache_key = f"{KEY_PREFIX}:{key}:{window_seconds}:{window}"
    if time.monotonic() >= _state["cache_down_until"]:
        try:
            return _cache_hit(cache_key, ttl)
        except Exception as exc:  # any cache backend's connection error
            _cache_failed(exc)
    return _database_hit(cache_key, ttl)


def retry_after(window_seconds: int) -> int:
    """Seconds until the current window ends: the Retry-After of a refusal."""
    return window_seconds - int(time.time() % window_seconds)


def _cache_hit(cache_key: str, ttl: int) -> int:
    if cache.add(cache_key, 1, timeout=ttl):
        return 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this hit opens a fresh count
        cache.add(cache_key, 1, timeout=ttl)
        return 1
    # Some backends (file, database) rewrite the key with the default timeout on incr.
    cache.touch(cache_key, timeout=ttl)
    return count


def _cache_failed(exc: Exception) -> None:
    now = time.monotonic()
    _state["cache_down_until"] = now + CACHE_RETRY_SECONDS
    if now - _state["warned_at"] >= WARN_EVERY_SECONDS:
        _state["warned_at"] = now
        log.warning(
            "Rate limits: the cache is unreachable (%s); counting in the database until it "
            "answers again.",
            type(exc).__name__,
        )
        # Windows counted in the database that have ended; at most once a minute.
        from .abuse.models import RateCounter

        RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()


def _database_hit(cache_key: str, ttl: int) -> int:
    """One atomic upsert (PostgreSQL and SQLite 3.35+): safe under concurrent requests."""
    from .abuse.models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    expires_at = timezone.now() + timedelta(seconds=ttl)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "count", "expires_at") VALUES (%s, 1, %s) '  # noqa: S608
            f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 RETURNING "count"',
            [cache_key, expires_at],
        )
        return cursor.fetchone()[0]


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def client_network(request: HttpRequest) -> str:
    """The address an abuse budget is kept for: IPv4 as it is, IPv6 by its /64.

    An IPv4 address written as IPv6 (``::ffff:192.0.2.1``) counts as that IPv4 address.
    """
    raw = client_address(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_key(request: HttpRequest, scope: str) -> str:
    """A key for `scope` (e.g. "public-form") and this client, without the address itself."""
    return hashed_key(scope, client_network(request))


def hashed_key(scope: str, value: str) -> str:
    """A key for `scope` and a personal value (an address, an email), keyed-hashed."""
    digest = salted_hmac(f"dsar.ratelimit.{scope}", value, algorithm="sha256")
    return f"{scope}:{digest.hexdigest()[:32]}"
