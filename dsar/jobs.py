"""The one way to hand work to Celery: by task name, after commit, never failing the change.

Services name a task (its dotted path, which is its Celery name) instead of importing it:
tasks import services, never the reverse, so there is no import circle to hide inside a
function. A job queued here is either found again by its beat sweep when the broker was
unreachable, or asked for again by the person waiting for it (a status link), so a
failed queueing is logged and never fails the change.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def queue(task: str, *args: int | str) -> bool:
    """Queue ``task`` now; False (logged) when the broker cannot be reached. The log
    names ids only: any other argument may be personal data (an email address).
    A name that is no task is a bug, and raises."""
    job = import_string(task)
    try:
        job.delay(*args)
    except Exception:  # broker down: the work stays pending and its sweep picks it up
        ids = tuple(a if isinstance(a, int) else "…" for a in args)
        log.warning("Could not queue %s%s.", task, ids, exc_info=True)
        return False
    return True


def queue_after_commit(task: str, *args: int) -> None:
    """Queue ``task`` once the current transaction commits (never if it rolls back)."""
    transaction.on_commit(lambda: queue(task, *args))
