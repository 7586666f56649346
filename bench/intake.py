"""Public intake through gunicorn, in requests per second, against an empty Django view.

One gunicorn (the Procfile's command and worker count, production settings, and
``bench.settings`` adding ``/bench/empty/``) serves the product and the floor; a second
local process (``bench.load``) sends bounded rounds of POSTs over loopback, alternating
between the empty view and each intake path, with a new requester email each time:

- the public form ``/r/<slug>/`` (what a browser sends: its CSRF cookie and token, taken
  from the form page once per client; answered by a redirect);
- the API twin ``POST /api/v1/requests/`` (JSON, no session; answered 201).

Both limit submissions per client address; everything here comes from 127.0.0.1, so the
server runs with budgets no benchmark reaches (INTAKE_*_PER_HOUR); the counting in the
cache is still done on every request.
The server keeps its database connections (``conn_max_age`` in DATABASE_URL, as the
README recommends for production; BENCH_CONN_MAX_AGE=0 shows the default of a new
connection per request). Cache and Celery broker are Redis db 8 when Redis answers, as
in production (nothing consumes the queued emails; db 8 is emptied afterwards), else
the file cache and a throw-away filesystem broker.

The cases it creates are removed afterwards, so the stored dataset stays as generated.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from dsar.models import Case

from .database import BENCH_REDIS, empty_bench_redis, redis_answers
from .runner import Context, Row, Target, count_queries

EMPTY_PATH = "/bench/empty/"
STARTUP_SECONDS = 30
UNREACHABLE = "1000000"  # a limit per hour no benchmark reaches
DESCRIPTION = "Please send me a copy of all the personal data you hold about me."


def api_body(slug: str, tag: str) -> str:
    return json.dumps(
        {
            "controller": slug,
            "right": "access",
            "requester_name": "Bench Requester",
            "requester_email": f"bench-{tag}-{{n}}@example.net",
            "description": DESCRIPTION,
            "declaration": True,
        }
    )


def form_body(tag: str) -> str:
    fields = {
        "right": "access",
        "requester_name": "Bench Requester",
        "requester_email": f"bench-{tag}-NUMBER@example.net",
        "relationship": "self",
        "for_organisation": "no",
        "description": DESCRIPTION,
        "preferred_reply": "email",
        "declaration": "on",
        "company_website": "",  # the spam trap, left empty as people do
    }
    return urlencode(fields).replace("NUMBER", "{n}")


def server_database_url(workdir: Path) -> str:
    """A URL the server process can open for the database this process uses."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(s["USER"] or "", safe="")
        if s["PASSWORD"]:
            auth += ":" + quote(s["PASSWORD"], safe="")
        host = s["HOST"] or "127.0.0.1"
        age = os.environ.get("BENCH_CONN_MAX_AGE", "60")
        return (
            f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{quote(s['NAME'], safe='')}"
            f"?conn_max_age={age}&conn_health_checks=true"
        )
    if connection.vendor == "sqlite":
        if not connection.is_in_memory_db():
            return f"sqlite:///{s['NAME']}"
        # The test suite's in-memory database: a file copy the server can open.
        target = workdir / "intake.sqlite3"
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    raise RuntimeError(f"No server database URL for {connection.vendor}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(workdir: Path, workers: int, *, redis: bool) -> Iterator[int]:
    """A gunicorn on loopback with production settings; yields its port."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": server_database_url(workdir),
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        # Every budget of dsar.abuse.budgets out of reach (all comes from 127.0.0.1);
        # each is still counted on every request.
        "INTAKE_RATE_LIMIT_PER_HOUR": UNREACHABLE,
        "INTAKE_EMAIL_LIMIT_PER_HOUR": UNREACHABLE,
        "INTAKE_CONTROLLER_LIMIT_PER_HOUR": UNREACHABLE,
        "VAR_DIR": str(workdir / "var"),
        "REDIS_URL": BENCH_REDIS if redis else "",
        "CELERY_BROKER_URL": BENCH_REDIS if redis else "filesystem://localhost//",
        "LOG_LEVEL": "WARNING",
    }
    (workdir / "var" / "static").mkdir(parents=True, exist_ok=True)
    log_path = workdir / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_up(process, port, log_path)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("POST", EMPTY_PATH)
            if conn.getresponse().status == 200:
                return
        time.sleep(0.2)
    tail = log_path.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"The bench gunicorn did not start on port {port}:\n{tail}")


def load(port: int, path: str, body: str, *, requests: int, concurrency: int, csrf: str = ""):
    """Run ``bench.load`` in its own process and return what it measured."""
    command = [
        sys.executable, "-m", "bench.load", "--port", str(port), "--path", path,
        "--body", body, "--requests", str(requests), "--concurrency", str(concurrency),
        "--csrf-from", csrf,
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True, timeout=900
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _queries_per_request(slug: str) -> dict[str, int]:
    """Queries of one request to each path, in this process (the server's cannot be seen)."""
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"officer": "1000000/s"}}
    client = Client()
    form = form_body("count").replace("{n}", "0")
    with (
        override_settings(
            CACHES=locmem,
            REST_FRAMEWORK=rates,
            ROOT_URLCONF="bench.urls",
            INTAKE_RATE_LIMIT_PER_HOUR=int(UNREACHABLE),
            INTAKE_EMAIL_LIMIT_PER_HOUR=int(UNREACHABLE),
            INTAKE_CONTROLLER_LIMIT_PER_HOUR=int(UNREACHABLE),
        ),  # fmt: skip
        mock.patch("dsar.emails.queue_after_commit"),  # no broker message from this process
    ):
        api = count_queries(
            lambda: client.post(
                reverse("api:request-create"), api_body(slug, "count"), "application/json"
            )
        )
        html = count_queries(
            lambda: client.post(
                reverse("dsar:request_form", args=[slug]), form, "application/x-www-form-urlencoded"
            )
        )
        empty = count_queries(lambda: client.post(EMPTY_PATH, form, "application/json"))
    return {"api": api, "form": html, "empty": empty}


def _template_case(slug: str) -> int:
    """A case written by the intake's own service (case, events, outbox email), in this
    process: the rows the raw-SQL floor copies."""
    from django.utils import timezone

    from dsar import services
    from dsar.choices import Channel
    from dsar.models import Controller

    with mock.patch("dsar.emails.queue_after_commit"):  # no broker message from this process
        case = services.case_create(
            controller=Controller.objects.get(slug=slug),
            right="access",
            channel=Channel.WEB,
            fields={
                "requester_name": "Bench Requester",
                "requester_email": "bench-raw@example.net",
                "description": DESCRIPTION,
                "declaration_at": timezone.now(),
            },
        )
    return case.pk


def _raw_insert_rate(template_case_id: int, requests: int, concurrency: int) -> tuple[float, int]:
    """The fairer floor: the rows one intake request leaves (its case, its events, its
    outbox email) inserted by raw SQL, one committed transaction per request, by
    `concurrency` connections to the same database at once. Returns requests per second
    and the statements each one takes.

    The rows are copies of a case the API just created, with a fresh reference.
    """
    import threading

    from django.db import connections

    from dsar.models import CaseEvent, OutgoingEmail

    def statement(model, obj, overrides):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        values = [
            overrides[f.attname]
            if f.attname in overrides
            else f.get_db_prep_save(getattr(obj, f.attname), connection)
            for f in fields
        ]
        table = connection.ops.quote_name(model._meta.db_table)
        return f"INSERT INTO {table} ({columns}) VALUES ({marks})", values

    case = Case.objects.get(pk=template_case_id)
    events = list(CaseEvent.objects.filter(case_id=template_case_id))
    emails = list(OutgoingEmail.objects.filter(case_id=template_case_id))
    errors: list[BaseException] = []

    def worker(thread: int, count: int) -> None:
        db = connections["default"]
        try:
            for n in range(count):
                sql, values = statement(Case, case, {"reference": f"RAW-{thread}-{n}"})
                with db.cursor() as cursor:
                    cursor.execute("BEGIN" if db.vendor == "sqlite" else "START TRANSACTION")
                    cursor.execute(sql + " RETURNING id", values)
                    new_id = cursor.fetchone()[0]
                    for model, rows in ((CaseEvent, events), (OutgoingEmail, emails)):
                        for row in rows:
                            sql, values = statement(model, row, {"case_id": new_id})
                            cursor.execute(sql, values)
                    cursor.execute("COMMIT")
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            db.close()

    per_thread = max(requests // concurrency, 1)
    threads = [threading.Thread(target=worker, args=(t, per_thread)) for t in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    statements = 3 + len(events) + len(emails)  # BEGIN, the inserts, COMMIT
    return per_thread * concurrency / elapsed, statements


def public_intake(ctx: Context) -> list[Row]:
    plan, dataset = ctx.plan, ctx.dataset
    slug = dataset.officer_controllers[0]
    form_path = reverse("dsar:request_form", args=[slug])
    api_path = reverse("api:request-create")
    paths = {  # key: (path, body, expected status, CSRF page)
        "empty": (EMPTY_PATH, form_body("e"), "200", form_path),
        "form": (form_path, form_body("f"), "302", form_path),
        "empty-json": (EMPTY_PATH, api_body(slug, "e"), "200", ""),
        "api": (api_path, api_body(slug, "a"), "201", ""),
    }
    names = {
        "form": f"public intake form (gunicorn, POST {form_path})",
        "api": f"public intake API (gunicorn, POST {api_path})",
    }
    if not plan.run_server:
        return [
            Row.pending(n, dataset.cases, "skipped: no server in this run") for n in names.values()
        ]
    workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
    redis = plan.redis and redis_answers()
    rates: dict[str, list[float]] = {key: [] for key in paths}
    latency: dict[str, float] = {}
    raw_rates: list[float] = []
    raw_statements = 0
    try:
        queries = _queries_per_request(slug)
        with (
            tempfile.TemporaryDirectory(prefix="dsar-bench-") as tmp,
            server(Path(tmp), workers, redis=redis) as port,
        ):
            for round_ in range(plan.intake_rounds + 1):  # round 0 warms up, not counted
                for key, (path, body, expected, csrf) in paths.items():
                    size = plan.intake_requests if round_ else max(plan.intake_requests // 4, 5)
                    result = load(
                        port, path, body.replace("{n}", f"{round_}-{{n}}"),
                        requests=size, concurrency=plan.intake_concurrency, csrf=csrf,
                    )  # fmt: skip
                    if set(result["statuses"]) != {expected}:
                        raise AssertionError(f"{path}: expected only HTTP {expected}, got {result}")
                    if round_:
                        rates[key].append(result["rate"])
                        latency[key] = result["p50_ms"]
                # The raw-SQL floor, after each round, copying a case made as intake does.
                if round_:
                    rate, raw_statements = _raw_insert_rate(
                        _template_case(slug), plan.intake_requests, plan.intake_concurrency
                    )
                    raw_rates.append(rate)
    finally:
        Case.objects.filter(pk__gt=dataset.max_case_id).delete()
        if redis:
            empty_bench_redis()
    setup = (
        f"{workers} sync workers, {plan.intake_concurrency} clients on loopback, "
        f"{plan.intake_requests} requests a round, cache and broker "
        f"{'Redis' if redis else 'file'}; per-address limits raised for the bench"
    )
    return [
        Row(
            name=names[key],
            cases=dataset.cases,
            unit="req/s",
            samples=rates[key],
            floor="empty Django view, same server",
            floor_samples=rates[floor],
            queries=queries[key],
            floor_queries=queries["empty"],
            target=Target(min_rate=200, max_ratio=2),
            note=f"{setup}; p50 {latency[key]:.1f} ms (empty view {latency[floor]:.1f} ms)",
        )
        for key, floor in (("form", "empty"), ("api", "empty-json"))
    ] + [
        Row(
            name=f"{names[key]} vs raw inserts",
            cases=dataset.cases,
            unit="req/s",
            samples=rates[key],
            floor="its case, event and outbox rows by raw SQL, one transaction each, same DB",
            floor_samples=raw_rates,
            queries=queries[key],
            floor_queries=raw_statements,
            target=Target(max_ratio=3),
            note=f"raw inserts from {plan.intake_concurrency} connections in this process",
        )
        for key in ("form", "api")
    ]
