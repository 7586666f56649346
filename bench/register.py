"""The register CSV (issue 16) against ``COPY ... TO STDOUT`` of the same columns, with peak memory.

The product is ``GET /api/v1/reports/register.csv`` for every case of the officer's
controllers received in the widest range the view allows (five years to today), read
to the end through ``streaming_content`` with the officer's API token. The floor is one
hand-written ``SELECT`` of the same columns (clock start, extension reason category,
paused days, outcome, closed day in the controller's time zone, on time), same cases,
same order, as ``COPY (...) TO STDOUT WITH CSV``. Each runs in a process of its own
(``python -m bench.register MODE``), so its peak memory (VmHWM) is its own; both are
reported above that of a process that only loads Django. Before timing, both are
checked to produce the same number of rows. PostgreSQL only (COPY).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .runner import Context, Row, Target

NAME = "register CSV (API, streamed), {rows:,} cases"
URL = "/api/v1/reports/register.csv"


def _floor_sql(controller_ids: list[int], start: dt.date, end: dt.date, today: dt.date) -> str:
    """The register's columns in SQL, with literals (COPY takes no parameters)."""
    ids = ", ".join(str(int(i)) for i in controller_ids)
    cx = "c.extension_reason ILIKE '%complex%'"
    nu = "c.extension_reason ILIKE '%numerous%'"
    closed = "(c.closed_at AT TIME ZONE ctl.time_zone)::date"
    return (
        'SELECT c.reference, ctl.slug, c."right", c.channel, c.status, c.received_on, '
        "GREATEST(c.received_on, COALESCE(c.identity_received_on, c.received_on), "
        "COALESCE(c.fee_received_on, c.received_on)), c.original_due_date, c.due_date, "
        f"c.extended, CASE WHEN NOT c.extended THEN '' WHEN {cx} AND {nu} THEN 'both' "
        f"WHEN {cx} THEN 'complex' WHEN {nu} THEN 'numerous' ELSE 'other' END, "
        f"COALESCE((SELECT SUM(COALESCE(p.ended_on, DATE '{today}') - p.started_on) "
        "+ COUNT(*) FROM dsar_pause p WHERE p.case_id = c.id), 0), "
        "CASE c.status WHEN 'closed' THEN c.outcome WHEN 'refused' THEN 'refused' "
        "WHEN 'withdrawn' THEN 'withdrawn' ELSE '' END, c.refusal_ground, "
        f"{closed}, CASE WHEN c.status IN ('closed', 'refused') AND c.closed_at IS NOT NULL "
        f"THEN {closed} <= c.due_date END, false "
        "FROM dsar_case c JOIN dsar_controller ctl ON ctl.id = c.controller_id "
        f"WHERE c.controller_id IN ({ids}) AND c.received_on BETWEEN DATE '{start}' "
        f"AND DATE '{end}' ORDER BY c.received_on, c.id"
    )


# --- in the child process ------------------------------------------------------------


def _product(job: dict[str, Any], out: Path) -> int:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {job['token']}")
    response = client.get(URL, {"from": job["start"], "to": job["end"]})
    assert response.status_code == 200, response.status_code
    lines = 0
    with out.open("wb") as target:
        for chunk in response.streaming_content:
            target.write(chunk)
            lines += chunk.count(b"\n")
    return lines - 1  # the header


def _copy(job: dict[str, Any], out: Path) -> int:
    from django.db import connection

    statement = f"COPY ({job['sql']}) TO STDOUT WITH (FORMAT csv)"
    lines = 0
    with (
        connection.cursor() as cursor,
        out.open("wb") as target,
        cursor.cursor.copy(statement) as stream,
    ):
        for data in stream:
            target.write(data)
            lines += bytes(data).count(b"\n")
    return lines


def _idle(job: dict[str, Any], out: Path) -> int:
    out.write_bytes(b"")
    return 0


MODES = {"product": _product, "copy": _copy, "idle": _idle}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.register")
    parser.add_argument("mode", choices=MODES)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from .export_run import peak_mb

    job = json.loads(os.environ["BENCH_REGISTER"])
    with tempfile.TemporaryDirectory(prefix="dsar-bench-register-") as tmp:
        out = Path(tmp) / "register.csv"
        start = time.perf_counter()
        rows = MODES[args.mode](job, out)
        seconds = time.perf_counter() - start
        size = out.stat().st_size
    print(json.dumps({"seconds": seconds, "rows": rows, "bytes": size, "peak_mb": peak_mb()}))
    return 0


# --- in the bench ---------------------------------------------------------------------


def _run(mode: str, database_url: str, job: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings

    env = {**os.environ, "DATABASE_URL": database_url, "BENCH_REGISTER": json.dumps(job)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.register", mode],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"bench.register {mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def register_csv(ctx: Context) -> list[Row]:
    from django.db import connection

    from dsar.models import Case
    from dsar.reports.periods import MAX_CUSTOM_DAYS
    from dsar.selectors import controllers_for

    from .intake import server_database_url
    from .reports import _officer

    if connection.vendor != "postgresql":
        name = NAME.format(rows=0)
        return [Row.pending(name, ctx.dataset.cases, "skipped: COPY needs PostgreSQL")]
    officer = _officer(ctx)
    controllers = list(controllers_for(officer))
    ids = [c.pk for c in controllers]
    today = controllers[0].today()
    start = today - dt.timedelta(days=MAX_CUSTOM_DAYS)
    expected = Case.objects.filter(controller__in=ids, received_on__range=(start, today)).count()
    job = {
        "token": ctx.dataset.token,
        "start": start.isoformat(),
        "end": today.isoformat(),
        "sql": _floor_sql(ids, start, today, today),
    }
    runs: dict[str, list[dict[str, Any]]] = {"product": [], "copy": []}
    with tempfile.TemporaryDirectory(prefix="dsar-bench-") as tmp:
        url = server_database_url(Path(tmp))
        baseline = _run("idle", url, job)["peak_mb"]
        for _ in range(ctx.plan.heavy_repeat):
            for mode in runs:
                run = _run(mode, url, job)
                if run["rows"] != expected:  # on the first pair: before anything is kept
                    raise AssertionError(f"register: {mode} gave {run['rows']}, not {expected}")
                runs[mode].append(run)
    peak = {mode: max(r["peak_mb"] for r in rs) - baseline for mode, rs in runs.items()}
    size = runs["product"][0]["bytes"] / 1e6
    return [
        Row(
            name=NAME.format(rows=expected),
            cases=ctx.dataset.cases,
            samples=[r["seconds"] * 1000 for r in runs["product"]],
            floor="COPY ... TO STDOUT (CSV), same columns",
            floor_samples=[r["seconds"] * 1000 for r in runs["copy"]],
            target=Target(max_peak_mb=150),
            peak_mb=peak["product"],
            note=f"{start} to {today} (the view's widest range, five years); peak memory "
            f"{peak['product']:.0f} MB above a Django process of {baseline:.0f} MB (COPY "
            f"{peak['copy']:.0f} MB); CSV {size:.1f} MB",
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
