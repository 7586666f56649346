"""Celery tasks for webhooks: thin, they call dsar.webhooks.services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_webhook(self, message_id: int) -> bool:
    """One attempt; on failure, retry after an exponentially growing delay until the
    message's attempts run out (then services marks it failed). True when delivered."""
    attempt = services.deliver(message_id=message_id)
    if attempt.retry_in is not None:
        raise self.retry(countdown=attempt.retry_in)
    return attempt.ok


@shared_task
def requeue_stuck_webhooks() -> int:
    """Beat: pending messages whose task never ran (broker down when they were written)."""
    return services.requeue_stuck()
