"""Celery tasks for the subject's data: thin wrappers that load ids and call services.

Exports (``rebuild_stuck_exports``) and redacted copies (``remake_stuck_redactions``) each
have their own stuck sweep, calling their own builder; letters have theirs in
exports.letters.tasks.
"""

from celery import shared_task

from .services import actions, collection, delivery, documents, exporting
from .services.documents import redaction_job_run

MAX_RETRIES = 4


@shared_task(acks_late=True)
def make_redacted_copy(job_id: int) -> str:
    """Make a redacted copy; a job already finished (a redelivery) is left alone."""
    return redaction_job_run(job_id=job_id).status


@shared_task(acks_late=True)
def collect_source(result_id: int) -> int:
    """Search one source for a case; the service claims the row, so a redelivery is a no-op."""
    return collection.source_result_run(result_id=result_id).record_count


@shared_task(bind=True, max_retries=MAX_RETRIES)
def build_export(self, document_id: int) -> int:
    """Stream an export's ZIP to storage; retried with backoff, failed after the last."""
    final = self.request.retries >= MAX_RETRIES
    try:
        exporting.export_build(document_id=document_id, final_attempt=final)
    except Exception as exc:
        if final:
            raise
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return document_id


@shared_task
def rebuild_stuck_exports() -> int:
    """Beat: exports whose ZIP task never ran are built again; those pending for hours are
    marked failed, with the reason on the case page. Exports only."""
    failed = exporting.exports_give_up()
    ids = exporting.stuck_export_ids()
    for document_id in ids:
        build_export.delay(document_id)
    return failed + len(ids)


@shared_task
def remake_stuck_redactions() -> int:
    """Beat: redacted copies whose task never ran are made again; those pending for an
    hour are marked failed, so the officer can ask again. Redacted copies only."""
    failed = documents.redaction_jobs_give_up()
    ids = documents.stuck_redaction_job_ids()
    for job_id in ids:
        make_redacted_copy.delay(job_id)
    return failed + len(ids)


@shared_task(acks_late=True)
def run_action_steps(run_id: int) -> int:
    """Run an erasure, rectification or restriction's statements in order; each step is
    claimed before it runs, so a redelivered task never runs one twice."""
    return actions.action_run_execute(run_id=run_id)


@shared_task
def purge_expired_download_links() -> int:
    """Beat: remove download links that stopped working; downloads stay as case events."""
    return delivery.download_links_purge_expired()
