"""Celery task for the disclosure bundle: thin, the service claims and does the work."""

from celery import shared_task

from .documents import redaction_job_run


@shared_task(acks_late=True)
def make_redacted_copy(job_id: int) -> str:
    """Make a redacted copy; a job already finished (a redelivery) is left alone."""
    return redaction_job_run(job_id=job_id).status
