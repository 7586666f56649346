"""A small fixed-window rate limit on the cache, shared by the public form and the API.

    if not ratelimit.allow(ratelimit.client_key(request, "public-form"), limit, 3600):
        ...  # answer 429

Each call that returns True has used one of the `limit` slots of the current window.
Windows are aligned to the clock (for an hour: 14:00-15:00), so a client may get up to
twice `limit` across a window boundary; that is accepted for its simplicity. Counting uses
`cache.add` (first hit) and `cache.incr` (later hits), both atomic on Redis and memcached.

The client address is personal data: keys hold a keyed hash of it, never the address.
Only REMOTE_ADDR is used; X-Forwarded-For is set by the client and cannot be trusted here
(behind a proxy, have the proxy set REMOTE_ADDR, e.g. gunicorn's --forwarded-allow-ips).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

KEY_PREFIX = "ratelimit"


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; True while the current window holds at most `limit` hits."""
    if limit <= 0:
        return False
    now = time.time()
    window = int(now // window_seconds)
    # Live until the window ends; +1 so the key never expires a moment early.
    ttl = window_seconds - int(now % window_seconds) + 1
    cache_key = f"{KEY_PREFIX}:{key}:{window_seconds}:{window}"
    if cache.add(cache_key, 1, timeout=ttl):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this hit opens a fresh count
        cache.add(cache_key, 1, timeout=ttl)
        return True
    # Some backends (file, database) rewrite the key with the default timeout on incr.
    cache.touch(cache_key, timeout=ttl)
    return count <= limit


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def client_key(request: HttpRequest, scope: str) -> str:
    """A key for `scope` (e.g. "public-form") and this client, without the address itself."""
    digest = salted_hmac(f"dsar.ratelimit.{scope}", client_address(request), algorithm="sha256")
    return f"{scope}:{digest.hexdigest()[:32]}"
