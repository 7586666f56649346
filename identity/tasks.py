"""Celery tasks: thin wrappers that call the identity services and reminders."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dsar.models import Controller

from . import reminders, services


@shared_task
def purge_expired_evidence() -> int:
    """Daily: delete evidence past its retention (each deletion is a case event)."""
    return reminders.purge_expired_evidence(timezone.now())


@shared_task
def chase_unverified() -> dict[str, int]:
    """Daily: chase requesters who owe identity evidence; close those past the limit."""
    return reminders.chase_unverified(timezone.now())


@shared_task
def send_status_links(controller_id: int, email: str) -> None:
    """From /status/: run off the request so the page answers alike whether or not a case
    exists. Returns nothing, so no result store ever records the answer either."""
    controller = Controller.objects.filter(pk=controller_id).first()
    if controller is not None:
        services.send_status_links(controller=controller, email=email)
