"""Scheduled work: reminders, the overdue digest, the extension prompt, chasers and
purges. Celery beat (config/celery.py) calls the thin tasks in dsar.tasks; they call these.

Every email here is sent at most once per case, kind, threshold and due date: a sweep
first inserts a Notice row on that unique key and writes the email (an OutgoingEmail row,
sent after commit with retries) only for the rows its own insert won, in one transaction.
Beat firing twice, a retried task or two workers racing therefore send nothing twice.
Each sweep function handles one bounded batch and says whether more remains.
"""

from __future__ import annotations

from .base import Action, SweepResult, drain
from .chasers import chase_unconfirmed, discard_unconfirmed
from .digest import send_overdue_digest, send_overdue_digests
from .due import prompt_extensions, remind_due_cases
from .purge import purge_closed_cases

__all__ = [
    "Action",
    "SweepResult",
    "chase_unconfirmed",
    "discard_unconfirmed",
    "drain",
    "prompt_extensions",
    "purge_closed_cases",
    "remind_due_cases",
    "send_all",
    "send_overdue_digest",
    "send_overdue_digests",
]


def send_all() -> list[Action]:
    """Every email owed now: what ``manage.py send_reminders`` runs.

    Deadline and overdue reminders, extension prompts, the digests due by now and the
    chasers. Discarding unconfirmed requests and purging closed cases delete data, so
    they run only from their own scheduled tasks.
    """
    return [
        *drain(remind_due_cases),
        *drain(prompt_extensions),
        *send_overdue_digests().done,
        *drain(chase_unconfirmed),
    ]
