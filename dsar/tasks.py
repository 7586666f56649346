"""Celery tasks: thin wrappers that load ids and call services."""

from celery import shared_task

from . import emails


@shared_task(autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=3600, max_retries=4)
def send_email(email_id: int) -> bool:
    return emails.deliver(email_id)


@shared_task
def send_pending_emails() -> int:
    ids = emails.pending_email_ids()
    for email_id in ids:
        send_email.delay(email_id)
    return len(ids)
