"""Health checks for load balancers and orchestrators.

- ``/healthz``: the process answers (no dependency is touched), so a liveness probe never
  restarts a healthy web process because the database is down.
- ``/readyz``: the database, the cache, the Celery broker and the file storage each
  answer within ``HEALTH_CHECK_TIMEOUT_SECONDS`` (checked side by side). 200 when all do;
  503 naming only the parts that failed (``{"status": "unavailable", "failed": ["cache"]}``),
  with no host, port, version or error text that would help an attacker. The reasons go
  to the log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)

PROBE_NAME = "healthz/probe"


def check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # this thread's own connection


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")
    cache.delete(key)


def check_broker() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.HEALTH_CHECK_TIMEOUT_SECONDS)


def check_storage() -> None:
    """Write, read back and delete a small file on the real backend (issue 20's "files")."""
    storage = storages["files"]
    name = storage.save(f"{PROBE_NAME}-{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage returned other bytes")
    finally:
        storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


def readiness() -> dict[str, bool]:
    """Each part's check, run side by side; a check that overruns the timeout has failed."""
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    futures = {name: pool.submit(check) for name, check in CHECKS.items()}
    results: dict[str, bool] = {}
    for name, future in futures.items():
        try:
            future.result(timeout=timeout)
            results[name] = True
        except FutureTimeout:
            log.warning("Readiness: %s did not answer within %ss.", name, timeout)
            results[name] = False
        except Exception as exc:
            log.warning("Readiness: %s failed (%s).", name, type(exc).__name__)
            results[name] = False
    pool.shutdown(wait=False, cancel_futures=True)  # never wait for a hung check
    return results


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results = readiness()
    failed = [name for name, ok in results.items() if not ok]
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok", "checked": list(results)})
