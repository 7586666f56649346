"""The database connection dropped under a request: a 503 that says to try again (a page,
or JSON for the API), nothing half-written, then recovery without a restart.

The application runs as it does in production, in a gunicorn process of its own, talking
to PostgreSQL through a TCP proxy that the test cuts and restores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from dsar.models import Case, OutgoingEmail
from tests.dsar.abuse.test_budgets import api_body
from tests.faults.tcp_proxy import TcpProxy
from tests.servers import free_port, stop_process, wait_for_port

pytestmark = pytest.mark.django_db(transaction=True)


def call(url: str, body: dict | None = None) -> tuple[int, str, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def web(controller, tmp_path):
    """gunicorn serving the app, its database connection through a proxy to cut."""
    if connection.vendor != "postgresql":
        pytest.skip("The database fault runs on PostgreSQL (CI runs the fault suite there).")
    params = connection.settings_dict
    proxy = TcpProxy(params["HOST"] or "127.0.0.1", int(params["PORT"] or 5432))
    auth = quote(params["USER"]) + (f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else "")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_URL", "REDIS_URL"}} | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{auth}@127.0.0.1:{proxy.port}/{params['NAME']}",
        "VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": "memory://",
    }
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}", proxy
    finally:
        stop_process(process)
        proxy.close()


def test_a_dropped_database_is_a_503_then_the_same_process_recovers(web, controller):
    base, proxy = web
    status, _, _ = call(f"{base}/api/v1/requests/", api_body("a@example.net"))
    assert status == 201
    assert call(f"{base}/r/{controller.slug}/")[0] == 200

    proxy.cut()  # the database goes away under the running process
    page_status, page, page_headers = call(f"{base}/r/{controller.slug}/")
    api_status, api, api_headers = call(f"{base}/api/v1/requests/", api_body("b@example.net"))

    assert page_status == 503
    assert "Sorry, the service is unavailable" in page
    assert int(page_headers["Retry-After"]) > 0
    assert api_status == 503
    assert api_headers["Content-Type"] == "application/json"
    assert "try again shortly" in json.loads(api)["detail"]

    proxy.restore()  # no restart: the next request opens a fresh connection
    assert call(f"{base}/api/v1/requests/", api_body("b@example.net"))[0] == 201
    assert call(f"{base}/r/{controller.slug}/")[0] == 200

    emails = sorted(Case.objects.values_list("requester_email", flat=True))
    assert emails == ["a@example.net", "b@example.net"]  # nothing half-written or doubled
    assert OutgoingEmail.objects.filter(template="confirm_request").count() == 2
    print("counts: requests=6 (2 answered 503) cases=2 emails=2")
