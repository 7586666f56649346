"""Celery tasks: thin wrappers that load ids and call services."""

from celery import shared_task

from . import emails, reminders
from .webhooks.tasks import deliver_webhook, requeue_stuck_webhooks  # noqa: F401 (registers them)


@shared_task(autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=3600, max_retries=4)
def send_email(email_id: int) -> bool:
    return emails.deliver(email_id)


@shared_task
def send_pending_emails() -> int:
    """Beat: sends whose worker was lost go back to pending; pending ones are sent."""
    emails.reclaim_lost_sends()
    ids = emails.due_email_ids()
    for email_id in ids:
        send_email.delay(email_id)
    return len(ids)


# Scheduled work (beat, config/celery.py). Each is safe to run twice or concurrently: every
# email is claimed by a unique row first (see dsar.reminders). Each returns how many
# things it did.


@shared_task
def send_deadline_reminders() -> int:
    return len(reminders.drain(reminders.remind_due_cases))


@shared_task
def send_extension_prompts() -> int:
    return len(reminders.drain(reminders.prompt_extensions))


@shared_task
def send_overdue_digests() -> int:
    return len(reminders.send_overdue_digests().done)


@shared_task
def send_monthly_reports() -> int:
    """Issue 16: each DPO's report on the previous month (dsar.reports.monthly)."""
    from .reports.monthly import send_monthly_reports as send

    return len(send().done)


@shared_task
def chase_unconfirmed_requests() -> int:
    chased = reminders.drain(reminders.chase_unconfirmed)
    return len(chased) + len(reminders.drain(reminders.discard_unconfirmed))


@shared_task
def purge_closed_cases() -> int:
    return len(reminders.drain(reminders.purge_closed_cases))


@shared_task
def sweep_orphan_files() -> int:
    """Daily: files no row refers to, older than a day (dsar.files); returns how many."""
    from .files import sweep_orphan_files as sweep

    return sweep()


# Issue 15: requests by email. One task per mailbox, so one slow server holds up no other.


@shared_task
def poll_mailboxes() -> int:
    from .mailbox.models import Mailbox

    ids = list(Mailbox.objects.filter(is_active=True).values_list("pk", flat=True))
    for mailbox_id in ids:
        poll_mailbox.delay(mailbox_id)
    return len(ids)


@shared_task
def poll_mailbox(mailbox_id: int) -> int:
    from .mailbox.models import Mailbox
    from .mailbox.services import poll_mailbox as poll

    mailbox = Mailbox.objects.filter(pk=mailbox_id, is_active=True).first()
    return poll(mailbox).imported if mailbox else 0


@shared_task
def rotate_file_keys() -> int:
    """``manage.py rotate_keys --background``: the rotation, on a worker; logs the counts."""
    import logging

    from config.encryption import keyring

    from .files import rotate_all_files
    from .management.commands.rotate_keys import rotation_summary

    counts, failed = rotate_all_files()
    logging.getLogger(__name__).info(
        "rotate_keys: %s", rotation_summary(keyring().current, counts, failed)
    )
    return sum(counts.values())
