"""A worker killed with SIGKILL in the middle of an export: nothing half-made is ever
visible; the beat's sweeps rebuild the export as its own ZIP (or mark it failed with a
reason), and it is never served as anything else, such as a letter's PDF.

A real ``celery worker`` process builds the export (its progress read from the cache it
writes to) and is killed as the kernel's OOM killer would; a second worker takes over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import zipfile

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

from config.celery import app as celery_app
from dsar import progress
from exports.data.services import delivery, exporting
from exports.models import Document
from tests.exports.data.conftest import ALIAS, JANE, search_and_release

pytestmark = pytest.mark.django_db(databases=["default", ALIAS], transaction=True)
EXTRA_ORDERS = 120_000  # enough for the ZIP to take seconds to write


def add_orders(count: int) -> None:
    """Many more orders for Jane, so the export is still being written when killed."""
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT customer_number FROM customers WHERE email = %s", [JANE["email"]])
        (number,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO orders SELECT 100000 + i, %s, %s, 'ORD-X' || i, "
            "TIMESTAMP '2024-01-01' + (i || ' minutes')::interval, 'Socks', 999, 'paid' "
            "FROM generate_series(1, %s) AS i",
            [number, JANE["email"], count],
        )


def stored_files() -> list[str]:
    root = str(settings.MEDIA_ROOT)
    return sorted(
        os.path.relpath(os.path.join(d, n), root) for d, _, names in os.walk(root) for n in names
    )


def run_beat_sweeps(at: dt.datetime) -> None:
    """Every stuck-work sweep the beat runs, at ``at``; their tasks go to the broker."""
    with time_machine.travel(at):
        for entry in celery_app.conf.beat_schedule.values():
            if "stuck" in entry["task"]:
                import_string(entry["task"])()


def test_an_export_killed_mid_write_is_rebuilt_as_its_own_zip_and_served_as_that(
    worker, demo_db, jane_case, data_officer, run, client
):
    add_orders(EXTRA_ORDERS)
    celery_app.conf.task_always_eager = True  # the search, here; the export, by the worker
    search_and_release(run, jane_case, data_officer)
    celery_app.conf.task_always_eager = False
    files_before = stored_files()

    export = run(exporting.export_create, case=jane_case, purpose="access", by=data_officer)
    document = export.document
    worker.wait_for(lambda: (progress.read("export", document.pk) or {}).get("done", 0) > 0)
    worker.kill()  # mid-write: SIGKILL, no clean-up of any kind
    at_kill = progress.read("export", document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING  # killed before it was made
    assert 0 < at_kill["done"] < at_kill["total"]
    assert not document.file
    assert stored_files() == files_before  # nothing half-written became visible
    counts = (
        f"cases=1 export documents=1 ({document.status}, {at_kill['done']} of "
        f"{at_kill['total']} records written) files={len(files_before)}"
    )

    worker.start()  # a new worker; the lost task is not redelivered (acks late, killed)
    run_beat_sweeps(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11))
    worker.wait_for(
        lambda: Document.objects.get(pk=document.pk).status != Document.Status.PENDING, 120
    )
    run_beat_sweeps(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=22))  # a later tick

    document.refresh_from_db()
    assert document.category == Document.Category.EXPORT
    if document.status == Document.Status.FAILED:  # allowed: failed, with the reason
        export.refresh_from_db()
        assert export.error and not document.file
        return
    assert document.status == Document.Status.READY
    with document.file.open("rb") as handle:
        data = handle.read()
    assert not data.startswith(b"%PDF")
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["case_reference"] == jane_case.reference
    assert manifest["rows"] > EXTRA_ORDERS  # all of them, the demo rows too
    assert hashlib.sha256(data).hexdigest() == document.sha256
    files_after = stored_files()
    assert len(files_after) == len(files_before) + 1  # the ZIP, once, and no partial file

    link = run(delivery.download_link_create, document=document, by=data_officer)
    response = client.get(delivery.link_path(link))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    served = b"".join(response.streaming_content)
    assert hashlib.sha256(served).hexdigest() == document.sha256  # its own ZIP
    print(
        f"counts: before {counts}; after cases=1 export documents=1 ({document.status}, "
        f"{manifest['rows']} records) files={len(files_after)}"
    )
