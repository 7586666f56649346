"""The Celery app. The beat schedule lives here, in code."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dsar_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Issue 15: controllers' privacy mailboxes (dsar.mailbox); idempotent by Message-ID.
    "poll-mailboxes": {
        "task": "dsar.tasks.poll_mailboxes",
        "schedule": 300.0,
    },
    # The outbox: sends whose worker was lost are reclaimed; pending emails are sent.
    # Every minute (issue 20): with the sweep's one-minute cutoff (dsar.emails), an email
    # whose task was lost with the broker goes within two minutes of the broker's return.
    "send-pending-emails": {
        "task": "dsar.tasks.send_pending_emails",
        "schedule": 60.0,
    },
    # One stuck sweep per kind of pending document, each calling its own builder
    # (exports.letters.tasks, exports.data.tasks); idempotent. Letters: PDFs whose
    # queued task never ran.
    "make-stuck-letters": {
        "task": "exports.letters.tasks.make_stuck_letters",
        "schedule": 600.0,
    },
    # Export ZIPs: built again, or marked failed once pending for hours.
    "rebuild-stuck-exports": {
        "task": "exports.data.tasks.rebuild_stuck_exports",
        "schedule": 600.0,
    },
    # Redacted copies of bundle documents: made again, or marked failed after an hour.
    "remake-stuck-redactions": {
        "task": "exports.data.tasks.remake_stuck_redactions",
        "schedule": 600.0,
    },
    # Export download links (exports.data.services.delivery): remove those that stopped working.
    "purge-expired-download-links": {
        "task": "exports.data.tasks.purge_expired_download_links",
        "schedule": crontab(hour=3, minute=45),  # daily, at night
    },
    # Identity evidence (identity.reminders): delete files past retention; chase requesters
    # who owe evidence and close as unverified past the limit. Idempotent, so daily is safe.
    "identity-purge-evidence": {
        "task": "identity.tasks.purge_expired_evidence",
        "schedule": 86400.0,  # daily
    },
    "identity-chase-unverified": {
        "task": "identity.tasks.chase_unverified",
        "schedule": 86400.0,  # daily
    },
    # Reminders, prompts, digests and chasers (dsar.reminders): safe to fire any number of
    # times, since each email is claimed by a unique row before it is written.
    "deadline-reminders": {
        "task": "dsar.tasks.send_deadline_reminders",
        "schedule": crontab(minute=5),  # hourly
    },
    "extension-prompts": {
        "task": "dsar.tasks.send_extension_prompts",
        "schedule": crontab(minute=10),
    },
    "overdue-digests": {
        # On the hour: each controller's digest goes on the first run at its digest_hour
        # (its own time zone), or the next one if beat was down.
        "task": "dsar.tasks.send_overdue_digests",
        "schedule": crontab(minute=0),
    },
    # Issue 16: the DPO's monthly report, on the first working day of the month from the
    # digest hour (dsar.reports.monthly); claimed by a unique row, so exactly once.
    "monthly-reports": {
        "task": "dsar.tasks.send_monthly_reports",
        "schedule": crontab(minute=25),
    },
    "unconfirmed-chasers": {
        "task": "dsar.tasks.chase_unconfirmed_requests",
        "schedule": crontab(minute=20),
    },
    # Webhooks (dsar.webhooks): messages whose delivery task was never queued or was lost.
    "requeue-stuck-webhooks": {
        "task": "dsar.webhooks.tasks.requeue_stuck_webhooks",
        "schedule": 600.0,
    },
    "purge-closed-cases": {
        "task": "dsar.tasks.purge_closed_cases",
        "schedule": crontab(hour=3, minute=30),  # daily, at night
    },
    # Files no row refers to, older than a day (dsar.files: a write whose row never
    # committed, a process killed mid-write); logs how many went.
    "sweep-orphan-files": {
        "task": "dsar.tasks.sweep_orphan_files",
        "schedule": crontab(hour=4, minute=15),  # daily, at night
    },
}
