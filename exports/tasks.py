"""Celery tasks for letters: thin wrappers that load ids and call services."""

from celery import shared_task

from . import services

MAX_RETRIES = 4


@shared_task(bind=True, max_retries=MAX_RETRIES)
def make_letter_pdf(self, document_id: int) -> int:
    """Make an issued letter's PDF; retried with backoff, marked failed after the last."""
    final = self.request.retries >= MAX_RETRIES
    try:
        services.document_make_pdf(document_id=document_id, final_attempt=final)
    except Exception as exc:
        if final:
            raise
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return document_id


@shared_task(autoretry_for=(Exception,), retry_backoff=60, retry_backoff_max=3600, max_retries=5)
def email_letter(document_id: int) -> bool:
    return services.document_email(document_id=document_id)


@shared_task
def make_stuck_letters() -> int:
    """Beat: re-queue letters whose PDF or email task never ran."""
    pdfs, emails = services.stuck_letter_ids()
    for document_id in pdfs:
        make_letter_pdf.delay(document_id)
    for document_id in emails:
        email_letter.delay(document_id)
    return len(pdfs) + len(emails)


# --- the data map: searches, exports, actions, links (services in exports.data) -------


@shared_task(acks_late=True)
def collect_source(result_id: int) -> int:
    """Search one source for a case; the service claims the row, so a redelivery is a no-op."""
    from .data.collection import source_result_run

    return source_result_run(result_id=result_id).record_count


@shared_task(bind=True, max_retries=MAX_RETRIES)
def build_export(self, document_id: int) -> int:
    """Stream an export's ZIP to storage; retried with backoff, failed after the last."""
    from .data.exporting import export_build

    final = self.request.retries >= MAX_RETRIES
    try:
        export_build(document_id=document_id, final_attempt=final)
    except Exception as exc:
        if final:
            raise
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return document_id


@shared_task(acks_late=True)
def run_action_steps(run_id: int) -> int:
    """Run an erasure, rectification or restriction's statements in order; each step is
    claimed before it runs, so a redelivered task never runs one twice."""
    from .data.actions import action_run_execute

    return action_run_execute(run_id=run_id)


@shared_task
def purge_expired_download_links() -> int:
    """Beat: remove download links that stopped working; downloads stay as case events."""
    from .data.delivery import download_links_purge_expired

    return download_links_purge_expired()


# The disclosure bundle's redaction task (exports.data), imported so workers register it.
from .data.redaction_tasks import make_redacted_copy  # noqa: E402, F401
