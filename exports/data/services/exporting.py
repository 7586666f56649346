"""Exports: the released data as a ZIP (JSON, CSV per category, manifest), as a Document.

An access export holds everything found; a portability export only the categories the
data map marks as provided by the subject and processed by automated means (Art 20(1)).
``export_create`` writes the Document (pending), its Export row and the event; a Celery
task then streams the ZIP to a temporary file, stores it, and records ``export_made`` with
its SHA-256. Exports have their own stuck sweep (``stuck_export_ids``, ``exports_give_up``):
a lost one is built again by ``export_build`` or marked failed with a reason the officer
reads, never made by another kind's builder.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import tempfile
from datetime import timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from dsar import progress
from dsar.choices import Right, Status
from dsar.errors import CaseActionError
from dsar.jobs import queue_after_commit
from dsar.models import Case
from dsar.services import lock_case, record_event
from exports.models import Document

from ..bundle import Attachment, Part, slug, write_bundle
from ..models import Collection, DataCategory, Export, Ground, SourceResult
from ..selectors import (
    disclosed_documents,
    pending_copies,
    redactions_by_ground,
    released_collection,
)
from .review import Filter, FilteredOpen, withheld_counts

log = logging.getLogger(__name__)
User = AbstractBaseUser

TITLES = {
    Export.Purpose.ACCESS: "Your personal data (access export, ZIP)",
    Export.Purpose.PORTABILITY: "Your data in a machine-readable format (portability, ZIP)",
}
ZIP = "application/zip"
# The export sweep: builds again an export still pending after STUCK_AFTER (its task never
# ran or its worker was lost); one still pending after GIVE_UP_AFTER is marked failed.
STUCK_AFTER = timedelta(minutes=10)
GIVE_UP_AFTER = timedelta(hours=6)


def portable_categories(case: Case) -> set[str]:
    """Art 20(1): provided by the subject, automated, on consent or contract (the map's)."""
    categories = DataCategory.objects.filter(controller=case.controller).prefetch_related(
        "purposes"
    )
    return {c.name for c in categories if c.portable}


def parts_for(collection: Collection, purpose: str) -> list[Part]:
    """The files to bundle, by source then category (the map's order), filtered for
    portability."""
    case = collection.case
    allowed = portable_categories(case) if purpose == Export.Purpose.PORTABILITY else None
    order = {
        name: i
        for i, name in enumerate(
            DataCategory.objects.filter(controller=case.controller).values_list("name", flat=True)
        )
    }
    parts = []
    withheld = Filter(collection)
    results = collection.results.filter(status=SourceResult.Status.DONE).order_by("source_name")
    for result in results:
        source = result.source_name
        for category in sorted(result.files or {}, key=lambda c: (order.get(c, 999), c)):
            if allowed is not None and category not in allowed:
                continue
            if withheld.category_withheld(source, category):
                continue
            name = result.files[category]
            parts.append(
                Part(
                    source=source,
                    category=category,
                    open=lambda name=name, s=source, c=category: FilteredOpen(name, s, c, withheld),
                    rows=int((result.counts or {}).get(category, 0))
                    - withheld.records_withheld(source, category),
                )
            )
    return parts


def withheld_summary(case: Case, export: Export) -> dict:
    """Per exemption: categories, records and fields withheld, and (access) passages
    redacted from documents. Counts only."""
    portability = export.purpose == Export.Purpose.PORTABILITY
    counts = withheld_counts(export.collection, portable_categories(case) if portability else None)
    if not portability:
        for ground, entry in redactions_by_ground(case).items():
            counts.setdefault(
                ground,
                {"exemption": Ground(ground).label, "categories": 0, "records": 0, "fields": 0},
            )["redactions"] = entry["count"]
    return counts


def attachments_for(case: Case) -> list[Attachment]:
    """The redacted copies of the bundle's documents, numbered in the order added."""
    attachments = []
    for number, (document, copy) in enumerate(disclosed_documents(case), start=1):
        if copy is None:
            raise CaseActionError(f"{document.title} has no up-to-date redacted copy.")
        attachments.append(
            Attachment(
                name=f"{number:02d}-{slug(document.title)}-redacted.{document.extension}",
                title=document.title,
                open=lambda name=copy.file.name: default_storage.open(name, "rb"),
            )
        )
    return attachments


@transaction.atomic
def export_create(*, case: Case, purpose: str, by: User | None) -> Export:
    """Make an export of the released data; the ZIP itself is made after commit."""
    case = lock_case(case)
    if purpose not in Export.Purpose.values:
        raise CaseActionError("Choose access or portability.", field="purpose")
    if case.status in {Status.WITHDRAWN, Status.REFUSED, Status.CLOSED}:
        raise CaseActionError("Exports are made for open cases only.")
    if purpose == Export.Purpose.PORTABILITY and case.right != Right.PORTABILITY:
        raise CaseActionError("A portability export is for a portability request.")
    collection = released_collection(case)
    if collection is None:
        raise CaseActionError("Search for the data and release it before making an export.")
    waiting = pending_copies(case) if purpose == Export.Purpose.ACCESS else []
    if waiting:
        raise CaseActionError(
            f"Make the redacted copy of {', '.join(waiting)} (disclosure bundle) first, or "
            "leave it out of the disclosure."
        )
    document = Document.objects.create(
        case=case,
        category=Document.Category.EXPORT,
        kind=f"{purpose}_export",
        title=TITLES[purpose],
        status=Document.Status.PENDING,
        content_type=ZIP,
        produced_by=by,
    )
    export = Export.objects.create(document=document, collection=collection, purpose=purpose)
    record_event(
        case,
        "export_requested",
        by=by,
        message=f"{document.title} requested from the data released "
        f"{collection.released_at:%d %b %Y}.",
        data={"document_id": document.pk, "purpose": purpose, "collection_id": collection.pk},
    )
    queue_after_commit("exports.data.tasks.build_export", document.pk)
    return export


def export_build(*, document_id: int, final_attempt: bool = True) -> Document:
    """Write and store the ZIP. Running it twice is harmless (the second sees it ready)."""
    document = Document.objects.select_related("case__controller", "export__collection").get(
        pk=document_id
    )
    if document.category != Document.Category.EXPORT:
        raise ValueError(f"Document {document_id} is not an export: its own builder makes it.")
    if document.status == Document.Status.READY:
        return document
    export = document.export
    case = document.case
    meta = {
        "controller": case.controller.legal_name or case.controller.name,
        "case_reference": case.reference,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "purpose": export.purpose,
        # Counted per exemption, never described: what was withheld stays withheld.
        "withheld": withheld_summary(case, export),
    }
    name = f"exports/{timezone.now():%Y}/{secrets.token_hex(16)}.zip"
    try:
        with tempfile.TemporaryFile() as handle:
            manifest = write_bundle(
                handle,
                meta=meta,
                parts=parts_for(export.collection, export.purpose),
                attachments=attachments_for(case)
                if export.purpose == Export.Purpose.ACCESS
                else [],
                on_progress=partial(progress.record, "export", document_id),
            )
            handle.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
            size = handle.tell()
            handle.seek(0)
            name = default_storage.save(name, File(handle))
    except Exception as exc:
        log.warning("Making export %s failed: %s", document_id, type(exc).__name__)
        if final_attempt:
            _export_failed(document, f"The ZIP could not be made ({type(exc).__name__}).")
        raise
    sha = digest.hexdigest()
    with transaction.atomic():
        claimed = Document.objects.filter(
            pk=document_id, status__in=[Document.Status.PENDING, Document.Status.FAILED]
        ).update(status=Document.Status.READY, file=name, sha256=sha, size=size)
        if not claimed:
            transaction.on_commit(lambda: default_storage.delete(name))
            return Document.objects.get(pk=document_id)
        Export.objects.filter(pk=export.pk).update(manifest=manifest, error="")
        record_event(
            case,
            "export_made",
            message=f"{document.title} stored: {manifest['rows']} records in "
            f"{len(manifest['files'])} files (SHA-256 {sha[:12]}…).",
            data={
                "document_id": document_id,
                "sha256": sha,
                "size": size,
                "rows": manifest["rows"],
                "categories": manifest["categories"],
            },
        )
    return Document.objects.get(pk=document_id)


def _export_failed(document: Document, reason: str) -> bool:
    """Mark a pending export failed, with the reason shown on its panel; False if it
    was no longer pending (made meanwhile)."""
    with transaction.atomic():
        if not Document.objects.filter(pk=document.pk, status=Document.Status.PENDING).update(
            status=Document.Status.FAILED
        ):
            return False
        Export.objects.filter(document=document).update(error=f"{reason} Make the export again.")
        record_event(
            document.case,
            "export_failed",
            message=f"{document.title} could not be made. {reason}",
            data={"document_id": document.pk},
        )
    return True


def _pending_exports(older_than: timedelta):
    return Document.objects.filter(
        category=Document.Category.EXPORT,
        status=Document.Status.PENDING,
        produced_at__lt=timezone.now() - older_than,
    ).order_by("produced_at")


def stuck_export_ids(*, older_than: timedelta = STUCK_AFTER, limit: int = 50) -> list[int]:
    """Reads: exports still pending after ``older_than``, to build again (their task never
    ran, or its worker was lost). Exports only: a letter's builder never sees one."""
    return list(_pending_exports(older_than).values_list("pk", flat=True)[:limit])


def exports_give_up(*, older_than: timedelta = GIVE_UP_AFTER) -> int:
    """Writes: exports pending for longer than ``older_than`` are marked failed, so the
    officer sees why and makes another instead of waiting. Returns how many."""
    hours = int(older_than.total_seconds() // 3600)
    reason = f"It was still not made {hours} hours after it was requested."
    documents = _pending_exports(older_than).select_related("case")
    return sum(_export_failed(document, reason) for document in documents)
