"""One export per process, so its peak memory is its own: ``python -m bench.export_run``.

Modes (each prints one JSON line: seconds, bytes written, peak RSS in MB):

- ``product``: what issue 5's export does with a SQL source: ``exports.data.sql.find_rows``
  staged as JSON Lines (``record_line``, as collection stores them), then
  ``exports.data.bundle.write_bundle``: a ZIP with data.json, one CSV and a manifest;
- ``encrypted``: ``product`` with the staged records and the ZIP stored encrypted at rest
  through ``STORAGES["default"]`` (issue 18), as the product keeps them;
- ``s3``: ``encrypted`` with every file on S3-compatible object storage (issue 20; the
  bench starts moto's server and passes its bucket in ``BENCH_S3_OPTIONS``): the staged
  records and the ZIP go up as multipart uploads, the records stream back while the ZIP
  is written, and the stored ZIP is then downloaded (streamed) to the output file;
- ``plain``: the same rows read twice through a server-side cursor, written with ``json``
  and ``csv`` straight into the same two ZIP members (same compression);
- ``copy``: ``COPY (the same SELECT) TO STDOUT`` as CSV into a file (PostgreSQL only);
- ``idle``: nothing, for the peak memory of a process with Django loaded.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

TABLE = "bench_subject_rows"
COLUMNS = ["id", "email", "order_number", "placed_at", "total", "item", "channel"]
SUBJECT = "amelia.smith@example.net"
WHERE = "SUBSTR(email, 1, %s) = %s AND LOWER(email) = %s"
PARAMS = [len("amelia.smith@"), "amelia.smith@", SUBJECT]


def _select() -> str:
    return f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE {WHERE} ORDER BY id"


def product(out: Path) -> int:
    from exports.data import bundle, sql
    from exports.data.identifiers import Identifier
    from exports.data.models import SourceQuery

    query = SourceQuery(
        table=TABLE, columns=COLUMNS, match_columns={"email": "email"}, order_by="id"
    )
    rows = 0
    staged = out.with_suffix(".jsonl")  # as exports.data.services.collection stores a category
    with staged.open("wb") as handle:
        for record in sql.find_rows("default", query, [Identifier("email", SUBJECT)]):
            handle.write(sql.record_line(record))
            rows += 1
    part = bundle.Part("bench-shop", "Orders", lambda: staged.open("rb"), rows)
    meta = {"controller": "bench", "case_reference": "DSAR-BENCH", "purpose": "access"}
    with out.open("wb") as target:
        bundle.write_bundle(target, meta={**meta, "generated_at": ""}, parts=[part])
    return rows


def encrypted(out: Path) -> int:
    """``product`` with its files kept as the product keeps them (issue 18): the staged
    JSON Lines and the ZIP both stored through the encrypting storage (AES-GCM), the
    records read back decrypted while the ZIP is written."""
    import os
    import shutil

    from django.conf import settings
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = out.parent / "media"
    rows, staged, name = _stored_export()
    shutil.move(storages["files"].path(name), out)  # its stored (encrypted) size is reported
    os.remove(storages["files"].path(staged))
    return rows


def s3(out: Path) -> int:
    """``encrypted`` on object storage: every file in the moto server's bucket; the ZIP
    is then streamed back down (its stored, encrypted bytes) to ``out``."""
    import os
    import shutil

    from django.conf import settings
    from django.core.files.storage import storages

    options = json.loads(os.environ["BENCH_S3_OPTIONS"])
    backend = {"BACKEND": "config.object_storage.ObjectStorage", "OPTIONS": options}
    settings.STORAGES = {**settings.STORAGES, "files": backend}  # before any storage is used
    rows, staged, name = _stored_export()
    files = storages["files"]
    with files.open(name, "rb") as stored, out.open("wb") as target:
        shutil.copyfileobj(stored, target, 1024 * 1024)
    files.delete(name)
    files.delete(staged)
    return rows


def _stored_export() -> tuple[int, str, str]:
    """The export as the product stores it: records staged through ``default_storage``
    (encrypting into ``STORAGES["files"]``), then the ZIP written from them and stored.
    Returns the rows and the staged and stored names."""
    from django.conf import settings
    from django.core.files import File
    from django.core.files.storage import default_storage

    from config.encryption import new_key_entry
    from exports.data import bundle, sql
    from exports.data.identifiers import Identifier
    from exports.data.models import SourceQuery

    settings.FILE_ENCRYPTION_KEYS = new_key_entry("bench")
    query = SourceQuery(
        table=TABLE, columns=COLUMNS, match_columns={"email": "email"}, order_by="id"
    )
    rows = 0
    with tempfile.TemporaryFile() as handle:  # as exports.data.services.collection stages it
        for record in sql.find_rows("default", query, [Identifier("email", SUBJECT)]):
            handle.write(sql.record_line(record))
            rows += 1
        handle.seek(0)
        staged = default_storage.save("collections/1/bench/orders.jsonl", File(handle))
    part = bundle.Part("bench-shop", "Orders", lambda: default_storage.open(staged, "rb"), rows)
    meta = {"controller": "bench", "case_reference": "DSAR-BENCH", "purpose": "access"}
    with tempfile.TemporaryFile() as target:  # as exports.data.services.exporting builds it
        bundle.write_bundle(target, meta={**meta, "generated_at": ""}, parts=[part])
        target.seek(0)
        name = default_storage.save("exports/2026/bench.zip", File(target))
    return rows, staged, name


def _rows():
    from django.db import connection

    with connection.chunked_cursor() as cursor:
        cursor.execute(_select(), PARAMS)
        while batch := cursor.fetchmany(2000):
            yield from batch


def plain(out: Path) -> int:
    rows = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        with archive.open("data.json", "w", force_zip64=True) as member:
            member.write(b'{"records": [')
            for n, row in enumerate(_rows()):
                record = dict(zip(COLUMNS, row, strict=True))
                text = json.dumps(record, default=str, ensure_ascii=False)
                member.write((("," if n else "") + text).encode())
                rows += 1
            member.write(b"]}\n")
        with archive.open("orders.csv", "w", force_zip64=True) as member:
            import io

            text = io.TextIOWrapper(member, encoding="utf-8", newline="")
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            writer.writerows(_rows())
            text.flush()
            text.detach()
    return rows


def copy(out: Path) -> int:
    from django.db import connection

    sql = f"COPY ({_select()}) TO STDOUT WITH (FORMAT csv, HEADER)"
    statement = sql.replace("%s", "{}").format(*_literals())
    with (
        connection.cursor() as cursor,
        out.open("wb") as target,
        cursor.cursor.copy(statement) as stream,
    ):
        for data in stream:
            target.write(data)
    return -1


def _literals() -> list[str]:
    """COPY takes no parameters: the same values, as SQL literals (they are constants)."""
    return [str(PARAMS[0]), f"'{PARAMS[1]}'", f"'{PARAMS[2]}'"]


def idle(out: Path) -> int:
    """Nothing: the peak of a process with Django loaded, subtracted from the others'."""
    out.write_bytes(b"")
    return 0


def peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec, while
    ru_maxrss keeps the parent's size from the fork (the bench's parent holds hundreds
    of MB after generating data, which hid the export's own peak)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024  # kB


MODES = {
    "product": product,
    "encrypted": encrypted,
    "s3": s3,
    "plain": plain,
    "copy": copy,
    "idle": idle,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_run")
    parser.add_argument("mode", choices=MODES)
    args = parser.parse_args(argv)
    import django

    django.setup()
    with tempfile.TemporaryDirectory(prefix="dsar-bench-export-") as tmp:
        out = Path(tmp) / "export.zip"
        start = time.perf_counter()
        rows = MODES[args.mode](out)
        seconds = time.perf_counter() - start
        size = out.stat().st_size
    print(json.dumps({"seconds": seconds, "rows": rows, "bytes": size, "peak_mb": peak_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
