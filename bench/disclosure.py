"""Disclosure (issue 14): redacting a 100-page PDF, and the first page of reviewing a
category of 100,000 records.

- redaction: what the redaction task does (``exports.data.services.documents.redaction_job_run``:
  read the original, ``redact_pdf`` with a name and an email found on every fifth line of
  a 100-page PDF and one area on page 1, store the copy with its SHA-256, record the
  event), against its floor, PyMuPDF opening and saving the same file (garbage-collected
  and deflated, as the product saves it);
- review: ``exports.data.services.review.page`` (the first 25 of 100,000 records stored as JSON
  Lines by a search, with the withholding lookups), against the raw SQL for the same page
  of the same rows (``SELECT ... WHERE email ... ORDER BY id LIMIT 25``).

Both clean up what they made (table, file, rows).
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile

import pymupdf
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from dsar.models import Case
from exports.data import sql
from exports.data.models import BundleDocument, Collection, Redaction, RedactionJob, SourceResult
from exports.data.services import documents, review

from .runner import Context, Row, Target, count_queries, time_pair

PAGES = 100
RECORDS = 100_000
NAME = "Samira Thirlwell"
EMAIL = "samira.thirlwell@example.net"
SUBJECT = "amelia.smith@example.net"
TABLE = "bench_review_rows"


def hundred_pages(pages: int = PAGES) -> bytes:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page()
        y = 72
        for line in range(30):
            text = (
                f"Page {number + 1}, note {line + 1}: spoke to {NAME} ({EMAIL}) about the order."
                if line % 5 == 0
                else f"Page {number + 1}, note {line + 1}: the customer asked about delivery."
            )
            page.insert_text((72, y), text, fontsize=10)
            y += 22
        page.draw_rect(pymupdf.Rect(72, 740, 300, 790), color=(0, 0, 1), width=2)
    data = doc.tobytes(garbage=4, deflate=True)
    doc.close()
    return data


def redact_hundred_pages(ctx: Context) -> list[Row]:
    pages = PAGES if ctx.plan.repeat > 1 else 3  # the smoke test: every path, small
    data = hundred_pages(pages)
    case = Case.objects.order_by("id").first()
    if case is None:
        raise AssertionError("redaction: no case to add a document to")
    document = BundleDocument(
        case=case, title="Bench notes", content_type=BundleDocument.Kind.PDF,
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=pages,
    )  # fmt: skip
    document.original.save(f"{secrets.token_hex(8)}.pdf", ContentFile(data), save=False)
    document.save()
    marks = [
        Redaction(kind=Redaction.Kind.TERM, term=NAME),
        Redaction(kind=Redaction.Kind.TERM, term=EMAIL),
        Redaction(kind=Redaction.Kind.AREA, page=1, x0=0.1, y0=0.85, x1=0.6, y1=0.95),
    ]
    for mark in marks:
        mark.document, mark.ground, mark.reason = document, "third_party", "Bench."
        mark.save()
    ids = [m.pk for m in marks]

    def product() -> str:
        """What the task does: read the original, redact, store the copy, record it."""
        job = RedactionJob.objects.create(document=document, redaction_ids=ids)
        done = documents.redaction_job_run(job_id=job.pk)
        assert done.status == RedactionJob.Status.READY, done.error
        return done.sha256

    def floor() -> bytes:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            return doc.tobytes(garbage=4, deflate=True, clean=True)

    try:
        repeat = min(ctx.plan.heavy_repeat * 2, 6)
        samples, floor_samples = time_pair(product, floor, repeat=repeat, warmup=1)
        queries = count_queries(product)
    finally:
        document.delete()  # its jobs and files go with it
    return [
        Row(
            name=f"redact a {pages}-page PDF (2 terms, 1 area)",
            cases=ctx.dataset.cases,
            samples=samples,
            floor="PyMuPDF open + save of the same file",
            floor_samples=floor_samples,
            queries=queries,
            floor_queries=0,
            target=Target(max_ratio=20),
        )
    ]


def _fill_table(records: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(
            f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, email VARCHAR(254), "
            "note VARCHAR(200), amount INTEGER)"
        )
        batch = []
        for n in range(records):
            batch.append((n + 1, SUBJECT, f"Order {n + 1} for the customer, left at the door", n))
            if len(batch) == 5000:
                cursor.executemany(f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s)", batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s)", batch)


def review_first_page(ctx: Context) -> list[Row]:
    case = Case.objects.order_by("id").first()
    if case is None:
        raise AssertionError("review: no case to attach a search to")
    records = min(RECORDS, max(ctx.plan.export_rows, 100))  # the smoke test: a few hundred
    _fill_table(records)
    with tempfile.TemporaryFile() as handle:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, email, note, amount FROM {TABLE} ORDER BY id")
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                handle.write(sql.record_line(dict(zip(names, row, strict=True))))
        handle.seek(0)
        name = default_storage.save(f"bench/{secrets.token_hex(8)}.jsonl", File(handle))
    found = Collection.objects.create(case=case, status=Collection.Status.COLLECTED)
    SourceResult.objects.create(
        collection=found,
        source_name="Orders",
        status=SourceResult.Status.DONE,
        record_count=records,
        counts={"Orders": records},
        files={"Orders": name},
    )
    page_sql = (
        f"SELECT id, email, note, amount FROM {TABLE} WHERE LOWER(email) = %s ORDER BY id LIMIT 25"
    )

    def product() -> int:
        table = review.page(Collection.objects.get(pk=found.pk), source="Orders", category="Orders")
        assert len(table.rows) == 25 and table.total == records
        return len(table.rows)

    def floor() -> int:
        with connection.cursor() as cursor:
            cursor.execute(page_sql, [SUBJECT])
            return len(cursor.fetchall())

    try:
        samples, floor_samples = time_pair(
            product, floor, repeat=ctx.plan.repeat, warmup=ctx.plan.warmup
        )
        queries = count_queries(product)
    finally:
        found.delete()
        default_storage.delete(name)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    return [
        Row(
            name=f"review: first page of a {records:,}-record category",
            cases=ctx.dataset.cases,
            samples=samples,
            floor="raw SQL for the same page",
            floor_samples=floor_samples,
            queries=queries,
            floor_queries=1,
            target=Target(max_ms=200),
        )
    ]
