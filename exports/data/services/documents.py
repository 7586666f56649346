"""The disclosure bundle: documents found by hand, their redaction marks and copies.

An officer adds a PDF, PNG, JPEG or plain-text file (checked by its content, never its
name); marks areas and terms to redact, each with its exemption and reason; then asks for
the redacted copy, which a Celery task makes (``redaction``) and stores with its SHA-256.
Only a copy made from the document's current marks goes into an export; the original is
for officers and goes when the case is purged. Redacted copies have their own stuck sweep
(``stuck_redaction_job_ids``, ``redaction_jobs_give_up``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from dsar import uploads
from dsar.errors import CaseActionError
from dsar.jobs import queue_after_commit
from dsar.models import Case
from dsar.services import lock_case, record_event

from .. import redaction
from ..models import BundleDocument, Ground, Redaction, RedactionJob

log = logging.getLogger(__name__)
User = AbstractBaseUser

MAX_BYTES = getattr(settings, "BUNDLE_MAX_BYTES", 25 * 1024 * 1024)
SIGNATURES = (
    (b"%PDF-", BundleDocument.Kind.PDF),
    (b"\xff\xd8\xff", BundleDocument.Kind.JPEG),
    (b"\x89PNG\r\n\x1a\n", BundleDocument.Kind.PNG),
)


@dataclass(frozen=True)
class Checked:
    content_type: str
    data: bytes
    sha256: str
    pages: int


def check_file(handle: IO[bytes], *, size: int) -> Checked:
    """What the file is, by its content; CaseActionError (field "file") if unacceptable."""
    if size > MAX_BYTES:
        raise CaseActionError(
            f"The file is too big: up to {MAX_BYTES // (1024 * 1024)} MB.", field="file"
        )
    data = handle.read(MAX_BYTES + 1)
    if not data:
        raise CaseActionError("The file is empty.", field="file")
    if len(data) > MAX_BYTES:
        raise CaseActionError(
            f"The file is too big: up to {MAX_BYTES // (1024 * 1024)} MB.", field="file"
        )
    kind = next((k for magic, k in SIGNATURES if data.startswith(magic)), None)
    pages = 1
    if kind is not None:
        # The one check for active content that evidence goes through too (dsar.uploads):
        # an officer's browser should never be asked to run what a document carries.
        try:
            uploads.check_upload(io.BytesIO(data), kind)
        except uploads.UnsafeUpload as error:
            raise CaseActionError(error.message, field="file") from None
        if kind == BundleDocument.Kind.PDF:
            try:
                pages = redaction.pdf_page_count(data)
            except Exception:
                raise CaseActionError(
                    "This file starts like a PDF but cannot be read as one.", field="file"
                ) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None or "\x00" in text:
            raise CaseActionError(
                "This file is not a PDF, PNG, JPEG or plain text (UTF-8), whatever its name says.",
                field="file",
            )
        kind = BundleDocument.Kind.TEXT
    return Checked(kind, data, hashlib.sha256(data).hexdigest(), pages)


def _check_open(case: Case) -> None:
    if not case.is_open:
        raise CaseActionError("The bundle changes only while the case is open.")


def bundle_add(
    *, case: Case, by: User | None, handle: IO[bytes], size: int, title: str
) -> BundleDocument:
    """Add a document found by hand to the case's disclosure bundle."""
    title = (title or "").strip()
    if not title:
        raise CaseActionError(
            "Say what the document is, e.g. 'Email of 3 May 2025'.", field="title"
        )
    checked = check_file(handle, size=size)
    name = f"{secrets.token_hex(16)}.{_extension(checked.content_type)}"
    with transaction.atomic():
        case = lock_case(case)
        _check_open(case)
        document = BundleDocument(
            case=case,
            title=title[:200],
            content_type=checked.content_type,
            sha256=checked.sha256,
            size=len(checked.data),
            pages=checked.pages,
            added_by=by,
        )
        document.original.save(name, ContentFile(checked.data), save=False)
        stored = document.original.name
        try:
            document.save()
            record_event(
                case,
                "bundle_document_added",
                by=by,
                message=f"Added to the disclosure bundle: {document.title} "
                f"({document.get_content_type_display()}, SHA-256 {checked.sha256[:12]}…).",
                data={"bundle_document_id": document.pk, "sha256": checked.sha256},
            )
        except BaseException:
            default_storage.delete(stored)
            raise
    return document


def _extension(content_type: str) -> str:
    return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        content_type, "txt"
    )


@transaction.atomic
def bundle_remove(*, document: BundleDocument, by: User | None) -> None:
    case = lock_case(document.case)
    _check_open(case)
    title, pk = document.title, document.pk
    document.delete()
    record_event(
        case,
        "bundle_document_removed",
        by=by,
        message=f"Removed from the disclosure bundle: {title}.",
        data={"bundle_document_id": pk},
    )


@transaction.atomic
def redaction_add(
    *,
    document: BundleDocument,
    by: User | None,
    ground: str,
    reason: str,
    term: str = "",
    page: int | None = None,
    box: tuple[float, float, float, float] | None = None,
) -> Redaction:
    """Mark a term (everywhere in the document) or an area of a page to redact."""
    case = lock_case(document.case)
    _check_open(case)
    if ground not in Ground.values:
        raise CaseActionError("Choose the exemption that applies.", field="ground")
    reason = (reason or "").strip()
    if not reason:
        raise CaseActionError("Say why the exemption applies.", field="reason")
    term = (term or "").strip()
    if term:
        if document.is_image:
            raise CaseActionError(
                "An image has no text to search: mark the area to paint over instead.",
                field="term",
            )
        if len(term) < 2:
            raise CaseActionError("A term needs at least two characters.", field="term")
        mark = Redaction(kind=Redaction.Kind.TERM, term=term[:200])
    elif box is not None:
        if document.content_type == BundleDocument.Kind.TEXT:
            raise CaseActionError("Plain text is redacted by terms, not areas.", field="term")
        if page is None or not 1 <= page <= document.pages:
            raise CaseActionError(f"Choose a page from 1 to {document.pages}.", field="page")
        x0, y0, x1, y1 = (float(v) for v in box)
        if not all(0.0 <= v <= 1.0 for v in (x0, y0, x1, y1)) or x0 >= x1 or y0 >= y1:
            raise CaseActionError(
                "Mark an area inside the page: left before right, top before bottom.",
                field="box",
            )
        mark = Redaction(kind=Redaction.Kind.AREA, page=page, x0=x0, y0=y0, x1=x1, y1=y1)
    else:
        raise CaseActionError("Give a term to redact, or mark an area of a page.", field="term")
    mark.document, mark.ground, mark.reason, mark.created_by = document, ground, reason, by
    mark.save()
    record_event(
        case,
        "redaction_marked",
        by=by,
        # The term itself stays out of the event: the trail must not repeat what is hidden.
        message=f"{document.title}: "
        + ("a term marked" if term else f"an area of page {page} marked")
        + f" for redaction. {Ground(ground).label}. {reason}",
        data={"bundle_document_id": document.pk, "redaction_id": mark.pk, "ground": ground},
    )
    return mark


@transaction.atomic
def redaction_remove(*, mark: Redaction, by: User | None) -> None:
    case = lock_case(mark.document.case)
    _check_open(case)
    document, pk = mark.document, mark.pk
    mark.delete()
    record_event(
        case,
        "redaction_unmarked",
        by=by,
        message=f"{document.title}: a redaction mark removed.",
        data={"bundle_document_id": document.pk, "redaction_id": pk},
    )


@transaction.atomic
def redaction_job_start(*, document: BundleDocument, by: User | None) -> RedactionJob:
    """Ask for the redacted copy from the current marks; a task makes it after commit."""
    case = lock_case(document.case)
    _check_open(case)
    if document.jobs.filter(status=RedactionJob.Status.PENDING).exists():
        raise CaseActionError("A redacted copy of this document is already being made.")
    ids = sorted(document.redactions.values_list("pk", flat=True))
    job = RedactionJob.objects.create(document=document, redaction_ids=ids, requested_by=by)
    record_event(
        case,
        "redaction_requested",
        by=by,
        message=f"{document.title}: redacted copy requested ({len(ids)} mark"
        f"{'s' if len(ids) != 1 else ''}).",
        data={"bundle_document_id": document.pk, "job_id": job.pk},
    )
    queue_after_commit("exports.data.tasks.make_redacted_copy", job.pk)
    return job


def redact_bytes(document: BundleDocument, data: bytes, marks: list[Redaction]):
    areas = [
        redaction.Area(page=m.page or 1, box=m.box) for m in marks if m.kind == Redaction.Kind.AREA
    ]
    terms = [m.term for m in marks if m.kind == Redaction.Kind.TERM]
    if document.is_pdf:
        return redaction.redact_pdf(data, areas=areas, terms=terms)
    if document.is_image:
        return redaction.redact_image(data, areas=areas, content_type=document.content_type)
    return redaction.redact_text(data, terms=terms)


def redaction_job_run(*, job_id: int) -> RedactionJob:
    """Make and store the redacted copy. A job already finished is left alone."""
    job = RedactionJob.objects.select_related("document__case").get(pk=job_id)
    if job.status != RedactionJob.Status.PENDING:
        return job
    document = job.document
    marks = list(Redaction.objects.filter(pk__in=job.redaction_ids))
    try:
        with document.original.open("rb") as handle:
            result = redact_bytes(document, handle.read(), marks)
    except redaction.RedactionError as exc:
        return _job_failed(job, exc.args[0])
    except Exception as exc:
        log.warning("Redaction job %s failed: %s", job_id, type(exc).__name__)
        return _job_failed(job, "The redacted copy could not be made from this file.")
    sha = hashlib.sha256(result.data).hexdigest()
    name = default_storage.save(
        f"bundle/{document.case_id}/redacted/{secrets.token_hex(16)}.{document.extension}",
        ContentFile(result.data),
    )
    with transaction.atomic():
        lock_case(document.case)
        claimed = RedactionJob.objects.filter(pk=job.pk, status=RedactionJob.Status.PENDING).update(
            status=RedactionJob.Status.READY,
            file=name,
            sha256=sha,
            size=len(result.data),
            areas_removed=result.removed,
            finished_at=timezone.now(),
        )
        if not claimed:
            transaction.on_commit(lambda: default_storage.delete(name))
        else:
            record_event(
                document.case,
                "redaction_made",
                message=f"{document.title}: redacted copy made, {result.removed} place"
                f"{'s' if result.removed != 1 else ''} removed (SHA-256 {sha[:12]}…).",
                data={"bundle_document_id": document.pk, "job_id": job.pk, "sha256": sha},
            )
    job.refresh_from_db()
    return job


def _job_failed(job: RedactionJob, message: str) -> RedactionJob:
    with transaction.atomic():
        lock_case(job.document.case)
        if RedactionJob.objects.filter(pk=job.pk, status=RedactionJob.Status.PENDING).update(
            status=RedactionJob.Status.FAILED, error=message, finished_at=timezone.now()
        ):
            record_event(
                job.document.case,
                "redaction_failed",
                message=f"{job.document.title}: the redacted copy could not be made. {message}",
                data={"bundle_document_id": job.document_id, "job_id": job.pk},
            )
    job.refresh_from_db()
    return job


def _pending_jobs(older_than: timedelta):
    return RedactionJob.objects.filter(
        status=RedactionJob.Status.PENDING, requested_at__lt=timezone.now() - older_than
    ).order_by("requested_at")


def stuck_redaction_job_ids(
    *, older_than: timedelta = timedelta(minutes=10), limit: int = 50
) -> list[int]:
    """Reads: redacted copies still being made after ``older_than``, to make again (their
    task never ran, or its worker was lost)."""
    return list(_pending_jobs(older_than).values_list("pk", flat=True)[:limit])


def redaction_jobs_give_up(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Writes: copies pending for longer than ``older_than`` are marked failed, so the
    officer sees why and can ask again (a pending copy blocks a new one). How many."""
    reason = "It was still not made an hour after it was asked for: ask for it again."
    jobs = _pending_jobs(older_than).select_related("document__case")
    return sum(_job_failed(job, reason).error == reason for job in jobs)
