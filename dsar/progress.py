"""How far a background job has got, for pages that show it while they wait.

Kept in the cache, not the database: it is advisory, written often by a worker, and
losing it (a cache restart) only means the page says "being made" without a count.
"""

from __future__ import annotations

import logging
from typing import TypedDict

from django.core.cache import cache

log = logging.getLogger(__name__)
KEEP_SECONDS = 6 * 3600


class Progress(TypedDict):
    done: int
    total: int


def _key(kind: str, pk: int) -> str:
    return f"progress:{kind}:{pk}"


def record(kind: str, pk: int, done: int, total: int) -> None:
    try:
        cache.set(_key(kind, pk), {"done": done, "total": total}, KEEP_SECONDS)
    except Exception:  # a cache outage must never fail the job it reports on
        log.warning("Could not record the progress of %s %s.", kind, pk)


def read(kind: str, pk: int) -> Progress | None:
    try:
        return cache.get(_key(kind, pk))
    except Exception:
        return None


def read_many(kind: str, pks: list[int]) -> dict[int, Progress]:
    if not pks:
        return {}
    try:
        found = cache.get_many([_key(kind, pk) for pk in pks])
    except Exception:
        return {}
    return {pk: found[_key(kind, pk)] for pk in pks if _key(kind, pk) in found}
