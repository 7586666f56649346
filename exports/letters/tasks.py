"""Celery tasks for letters: thin wrappers that load ids and call services.

The letters' stuck sweep (``make_stuck_letters``) sees letters only; exports and redacted
copies have their own (exports.data.tasks). None ever makes a document of another kind.
"""

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


@shared_task
def email_letter(document_id: int) -> bool:
    """Write a letter's email to the outbox and try it now (the outbox retries it)."""
    return services.document_email(document_id=document_id)


@shared_task
def make_stuck_letters() -> int:
    """Beat: letters whose PDF task never ran, and (made before the outbox carried their
    PDF) letters whose email was never written. Letters only."""
    pdfs, emails = services.stuck_letter_ids()
    for document_id in pdfs:
        make_letter_pdf.delay(document_id)
    for document_id in emails:
        email_letter.delay(document_id)
    return len(pdfs) + len(emails)
