"""The subject export (issue 5) of one subject with many rows, against COPY and plain writing.

A table of the subject's orders (``bench_subject_rows``, 1,000,000 rows in the full run)
is made in the bench database once. Each export runs in a process of its own
(``bench.export_run``), so its time includes reading the rows and its peak memory
(``ru_maxrss``) is its own: reported above that of a process that only loads Django.
See bench/export_run.py for what each mode does. The export to object storage (issue
20) runs against moto's S3 server, started here as a process on a free local port.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from .export_run import SUBJECT, TABLE
from .intake import server_database_url
from .runner import Context, Row, Target

NAME = "subject export, {rows:,} rows: ZIP of JSON + CSV"


def ensure_rows(rows: int) -> None:
    """The subject's orders, all matching their email; rebuilt when the count differs."""
    with connection.cursor() as cursor:
        if TABLE in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
            if cursor.fetchone()[0] == rows:
                return
            cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(
            f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, email varchar(254) NOT NULL, "
            "order_number varchar(20) NOT NULL, placed_at timestamp NOT NULL, "
            "total numeric(10, 2) NOT NULL, item text NOT NULL, channel varchar(20) NOT NULL)"
        )
        values = (
            "i, %s, 'ORD-' || i, TIMESTAMP '2020-01-01 09:00:00' + (i || ' minutes')::interval, "
            "(i %% 9000) / 100.0 + 1, 'Item ' || (i %% 500) || ', size M, colour navy', "
            "CASE WHEN i %% 3 = 0 THEN 'store' ELSE 'online' END"
        )
        with transaction.atomic():
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {TABLE} SELECT {values} FROM generate_series(1, %s) AS i",
                    [SUBJECT, rows],
                )
            else:
                cursor.executemany(
                    f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [
                        (i, SUBJECT, f"ORD-{i}", f"2020-01-01 09:{i % 60:02d}:00", 1 + i % 90,
                         f"Item {i % 500}", "online")
                        for i in range(1, rows + 1)
                    ],
                )  # fmt: skip
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {TABLE}")


@contextlib.contextmanager
def moto_bucket(workdir: Path) -> Iterator[dict[str, Any] | None]:
    """A fresh bucket on moto's S3 server, run as a process of its own for this benchmark
    (its memory is not the export's); None when moto's server is not installed."""
    executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if executable is None:
        yield None
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (workdir / "moto.log").open("w")
    process = subprocess.Popen(
        [executable, "-H", "127.0.0.1", "-p", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        options = {
            "bucket_name": f"dsar-bench-{uuid.uuid4().hex[:12]}",
            "endpoint_url": f"http://127.0.0.1:{port}",
            "region_name": "eu-west-2",
            "access_key": "bench",
            "secret_key": "bench",
        }
        _create_bucket(options)
        yield options
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _create_bucket(options: dict[str, Any], timeout: float = 30.0) -> None:
    import boto3
    from botocore.exceptions import EndpointConnectionError

    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.create_bucket(
                Bucket=options["bucket_name"],
                CreateBucketConfiguration={"LocationConstraint": options["region_name"]},
            )
            return
        except EndpointConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def run_export(mode: str, database_url: str, **extra: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, **extra}
    done = subprocess.run(
        [sys.executable, "-m", "bench.export_run", mode],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"bench.export_run {mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def subject_export(ctx: Context) -> list[Row]:
    rows = ctx.plan.export_rows
    name = NAME.format(rows=rows)
    if importlib.util.find_spec("exports.data.bundle") is None:
        return [Row.pending(name, ctx.dataset.cases, "pending (issue 5): no export writer yet")]
    ensure_rows(rows)
    floors = ["plain"] + (["copy"] if connection.vendor == "postgresql" else [])
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in ["product", "encrypted", *floors]}
    with (
        tempfile.TemporaryDirectory(prefix="dsar-bench-") as tmp,
        moto_bucket(Path(tmp)) as bucket,
    ):
        url = server_database_url(Path(tmp))
        baseline = run_export("idle", url)["peak_mb"]
        if bucket is not None:
            runs["s3"] = []
        for _ in range(ctx.plan.heavy_repeat):
            for mode in runs:
                extra = {"BENCH_S3_OPTIONS": json.dumps(bucket)} if mode == "s3" else {}
                runs[mode].append(run_export(mode, url, **extra))
    checked = ["product", "encrypted", "plain", *(["s3"] if "s3" in runs else [])]
    if any(r["rows"] != rows for mode in checked for r in runs[mode]):
        raise AssertionError(f"export: expected {rows} rows, got {runs}")
    product = [r["seconds"] * 1000 for r in runs["product"]]
    # Above a process with Django loaded: what the export itself holds at its peak.
    peak = {mode: max(r["peak_mb"] for r in found) - baseline for mode, found in runs.items()}
    size = runs["product"][0]["bytes"] / 1e6
    labels = {"plain": "plain json + csv, same ZIP", "copy": "COPY ... TO STDOUT (CSV)"}
    encrypted = Row(
        name=f"{name}, encrypted at rest",
        cases=ctx.dataset.cases,
        samples=[r["seconds"] * 1000 for r in runs["encrypted"]],
        floor="the same export, not encrypted",
        floor_samples=product,
        target=Target(max_ratio=1.2, max_peak_mb=150),
        peak_mb=peak["encrypted"],
        note=f"records and ZIP stored with AES-GCM (issue 18); peak memory "
        f"{peak['encrypted']:.0f} MB above a Django process",
    )
    to_s3 = (
        Row(
            name=f"{name}, to S3 object storage",
            cases=ctx.dataset.cases,
            samples=[r["seconds"] * 1000 for r in runs["s3"]],
            floor="the same export, encrypted on local disk",
            floor_samples=[r["seconds"] * 1000 for r in runs["encrypted"]],
            target=Target(max_peak_mb=150),
            peak_mb=peak["s3"],
            note=f"records and ZIP up to moto's S3 server as multipart uploads, the records "
            f"and then the ZIP streamed back down; peak memory {peak['s3']:.0f} MB above a "
            f"Django process (on local disk: {peak['encrypted']:.0f} MB)",
        )
        if "s3" in runs
        else Row.pending(
            f"{name}, to S3 object storage", ctx.dataset.cases, "skipped: moto_server missing"
        )
    )
    return [
        encrypted,
        to_s3,
        *(
            Row(
                name=name,
                cases=ctx.dataset.cases,
                samples=product,
                floor=labels[mode],
                floor_samples=[r["seconds"] * 1000 for r in runs[mode]],
                target=Target(max_ratio=2, max_peak_mb=150) if mode == "plain" else None,
                peak_mb=peak["product"],
                note=f"peak memory {peak['product']:.0f} MB above a Django process of "
                f"{baseline:.0f} MB (floor {peak[mode]:.0f} MB); ZIP {size:.1f} MB",
            )
            for mode in floors
        ),
    ]
