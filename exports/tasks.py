"""Celery finds each app's ``tasks`` module: the two halves' tasks, imported so workers
register them. Queue them by their own module's name (dsar.jobs)."""

from .data.tasks import (  # noqa: F401
    build_export,
    collect_source,
    make_redacted_copy,
    purge_expired_download_links,
    rebuild_stuck_exports,
    remake_stuck_redactions,
    run_action_steps,
)
from .letters.tasks import email_letter, make_letter_pdf, make_stuck_letters  # noqa: F401
