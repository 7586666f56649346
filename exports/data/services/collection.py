"""Finding a subject's data: one search of every active source, reviewed before release.

``collection_start`` writes the collection, a pending result per source and the case
event in one transaction, then queues one Celery task per SQL source after commit. Each
task claims its result (pending -> running, a conditional update, so a retried or
duplicated task never runs a source twice), writes the rows to JSON Lines files in
storage and records the outcome; a source that fails records its error and leaves the
others alone. Manual sources wait for an officer's upload. The officer then releases the
collection (every source searched, a note where one failed) before anything is exported.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from dsar.choices import Status
from dsar.errors import CaseActionError
from dsar.formats import plural
from dsar.jobs import queue_after_commit
from dsar.models import Case
from dsar.services import lock_case, record_event

from .. import manual, sql
from ..bundle import slug
from ..identifiers import case_identifiers
from ..models import Approval, ApprovalAction, Collection, DataSource, SourceResult
from .approvals import require_approval
from .erasure import describe_error

log = logging.getLogger(__name__)
User = AbstractBaseUser

SEARCHABLE_STATUSES = frozenset(
    {Status.IN_PROGRESS, Status.AWAITING_REQUESTER, Status.READY_FOR_REVIEW}
)


def _check_searchable(case: Case) -> None:
    if case.status not in SEARCHABLE_STATUSES:
        if case.status in {Status.UNCONFIRMED, Status.AWAITING_IDENTITY}:
            raise CaseActionError(
                "Confirm the request and the requester's identity before searching for data."
            )
        raise CaseActionError("Only an open case can have its data searched for.")


@transaction.atomic
def collection_start(*, case: Case, by: User | None) -> Collection:
    """Search every active source for the case's subject (SQL sources by Celery tasks)."""
    case = lock_case(case)
    _check_searchable(case)
    identifiers = case_identifiers(case)
    if not identifiers:
        raise CaseActionError(
            "The case has no identifiers to search with: add the subject's email, phone or "
            "customer number to the case first."
        )
    sources = list(DataSource.objects.filter(controller=case.controller, is_active=True))
    if not sources:
        raise CaseActionError(
            f"{case.controller} has no data sources yet: add them to its data map in the admin."
        )
    if case.collections.filter(status=Collection.Status.COLLECTING).exists():
        raise CaseActionError("A search is already under way for this case.")
    kinds = sorted({ident.kind for ident in identifiers})
    collection = Collection.objects.create(case=case, started_by=by, identifier_kinds=kinds)
    results = SourceResult.objects.bulk_create(
        SourceResult(collection=collection, source=source, source_name=source.name)
        for source in sources
    )
    record_event(
        case,
        "data_search_started",
        by=by,
        message=f"Searching {plural(len(sources), 'source')} "
        f"by {', '.join(k.replace('_', ' ') for k in kinds)}.",
        data={"collection_id": collection.pk, "sources": [s.name for s in sources]},
    )
    queued = [r.pk for r, s in zip(results, sources, strict=True) if s.kind == DataSource.Kind.SQL]
    for result_id in queued:  # broker down: the officer sees "waiting" and searches again
        queue_after_commit("exports.data.tasks.collect_source", result_id)
    return collection


def _store(case: Case, records: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Write records to one JSON Lines file per category; returns files and counts."""
    token = secrets.token_hex(12)
    handles: dict[str, IO[bytes]] = {}
    counts: dict[str, int] = {}
    files: dict[str, str] = {}
    try:
        for category, record in records:
            handle = handles.get(category)
            if handle is None:
                handle = handles[category] = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
                counts[category] = 0
            handle.write(sql.record_line(record))
            counts[category] += 1
        for category, handle in handles.items():
            handle.seek(0)
            name = f"collections/{case.pk}/{token}/{slug(category)}.jsonl"
            files[category] = default_storage.save(name, File(handle))
    except BaseException:
        for name in files.values():
            default_storage.delete(name)
        raise
    finally:
        for handle in handles.values():
            handle.close()
    return {"files": files, "counts": counts}


def _sql_records(source: DataSource, case: Case) -> Iterable[tuple[str, dict[str, Any]]]:
    identifiers = case_identifiers(case)
    for query in source.queries.select_related("category"):
        if not sql.can_match(query.match_columns, identifiers):
            continue
        for row in sql.find_rows(source.database_alias, query, identifiers):
            yield query.category.name, row


def _finish(result: SourceResult, **fields: Any) -> None:
    """Record a source's outcome and its event; the collection is collected once every
    source has finished."""
    SourceResult.objects.filter(pk=result.pk).update(finished_at=timezone.now(), **fields)
    collection = result.collection
    case = collection.case
    if fields["status"] == SourceResult.Status.DONE:
        counts = fields.get("counts", {})
        total = sum(counts.values())
        found = ", ".join(f"{n} {c}" for c, n in counts.items()) or "nothing"
        record_event(
            case,
            "data_found",
            message=f"{result.source_name}: {plural(total, 'record')} ({found}).",
            data={"collection_id": collection.pk, "source": result.source_name, "counts": counts},
        )
    else:
        record_event(
            case,
            "data_search_failed",
            message=f"{result.source_name}: the search failed. {fields.get('error', '')}",
            data={"collection_id": collection.pk, "source": result.source_name},
        )
    unfinished = collection.results.filter(
        status__in=[SourceResult.Status.PENDING, SourceResult.Status.RUNNING]
    )
    if not unfinished.exists():
        Collection.objects.filter(pk=collection.pk, status=Collection.Status.COLLECTING).update(
            status=Collection.Status.COLLECTED
        )


def source_result_run(*, result_id: int) -> SourceResult:
    """Search one SQL source for a collection. Claimed first, so it runs at most once."""
    claimed = SourceResult.objects.filter(
        pk=result_id, status=SourceResult.Status.PENDING, source__kind=DataSource.Kind.SQL
    ).update(status=SourceResult.Status.RUNNING, started_at=timezone.now())
    result = SourceResult.objects.select_related("collection__case", "source").get(pk=result_id)
    if not claimed:
        return result
    case = result.collection.case
    try:
        stored = _store(case, _sql_records(result.source, case))
    except Exception as exc:
        # The message names tables and columns, never the subject's identifiers (they are
        # parameters); the log has neither.
        log.warning("Searching source result %s failed: %s", result_id, type(exc).__name__)
        error = describe_error(exc)[:1000]
        with transaction.atomic():
            _finish(result, status=SourceResult.Status.FAILED, error=error)
    else:
        with transaction.atomic():
            _finish(
                result,
                status=SourceResult.Status.DONE,
                error="",
                files=stored["files"],
                counts=stored["counts"],
                record_count=sum(stored["counts"].values()),
            )
    result.refresh_from_db()
    return result


def manual_upload(
    *,
    result: SourceResult,
    by: User,
    handle: IO[bytes] | None,
    filename: str = "",
    size: int = 0,
    category: str | None = None,
    note: str = "",
) -> SourceResult:
    """An officer's findings for a manual source (a file, or ``handle=None``: nothing
    found). Checked before anything is kept; UploadRejected says what is wrong."""
    collection = result.collection
    case = collection.case
    if result.source is None or result.source.kind != DataSource.Kind.MANUAL:
        raise CaseActionError("Only manual sources take uploads.")
    if collection.status == Collection.Status.RELEASED:
        raise CaseActionError("This search has been released: start a new one to add data.")
    stored: dict[str, Any] = {"files": {}, "counts": {}}
    if handle is not None:
        categories = list(case.controller.data_categories.values_list("name", flat=True))
        records = manual.parse_upload(
            handle, filename=filename, size=size, category=category, categories=categories
        )
        stored = _store(case, records)
    elif not note.strip():
        raise CaseActionError(
            "Say where you looked, to record that nothing was found.", field="note"
        )
    old_files = list((result.files or {}).values())
    with transaction.atomic():
        locked = SourceResult.objects.select_for_update().get(pk=result.pk)
        if locked.collection.status == Collection.Status.RELEASED:
            raise CaseActionError("This search has been released: start a new one to add data.")
        locked.uploaded_by = by
        locked.save(update_fields=["uploaded_by"])
        _finish(
            locked,
            status=SourceResult.Status.DONE,
            error="",
            files=stored["files"],
            counts=stored["counts"],
            record_count=sum(stored["counts"].values()),
        )
        if note.strip():
            record_event(case, "data_search_note", by=by, message=note.strip())
        transaction.on_commit(lambda: [default_storage.delete(n) for n in old_files])
    result.refresh_from_db()
    return result


def release_check(collection: Collection, note: str) -> tuple[list[SourceResult], list[str]]:
    """Refuse a release that cannot happen; the results and the failed sources' names."""
    if collection.status == Collection.Status.RELEASED:
        raise CaseActionError("This search has already been released.")
    results = list(collection.results.all())
    waiting = [r.source_name for r in results if not r.finished]
    if waiting:
        raise CaseActionError(f"Still waiting for: {', '.join(waiting)}.")
    failed = [r.source_name for r in results if r.status == SourceResult.Status.FAILED]
    if failed and not note.strip():
        raise CaseActionError(
            f"{', '.join(failed)} failed: search again, or say why the data can be released "
            "without it.",
            field="note",
        )
    return results, failed


@transaction.atomic
def collection_release(
    *, collection: Collection, by: User, note: str = "", approval: Approval | None = None
) -> Collection:
    """The officer has reviewed what was found: exports may now be made from it. Where
    the controller asks for it, only with a second officer's approval (``release``)."""
    case = lock_case(collection.case)
    require_approval(case, ApprovalAction.RELEASE, approval)
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    results, failed = release_check(collection, note)
    collection.status = Collection.Status.RELEASED
    collection.released_by, collection.released_at = by, timezone.now()
    collection.release_note = note.strip()
    collection.save(update_fields=["status", "released_by", "released_at", "release_note"])
    total = sum(r.record_count for r in results)
    record_event(
        collection.case,
        "data_released",
        by=by,
        message=f"Reviewed and released {plural(total, 'record')}."
        + (f" {note.strip()}" if note.strip() else ""),
        data={"collection_id": collection.pk, "records": total, "failed_sources": failed},
    )
    return collection


def forget_collected(case: Case) -> int:
    """Delete the collected copies of the subject's data (after erasure): the files go
    after commit; the results keep their counts as the record of what was found."""
    results = [r for r in SourceResult.objects.filter(collection__case=case) if r.files]
    names = [n for r in results for n in r.files.values()]
    SourceResult.objects.filter(pk__in=[r.pk for r in results]).update(files={})
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])
    return len(names)
