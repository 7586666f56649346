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
