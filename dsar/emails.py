"""Emails as template triplets (subject, text, HTML) in templates/emails/<name>/.

An email is written as a row in the same transaction as the change that caused it and
sent after commit by a task; see OutgoingEmail.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Case, OutgoingEmail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def build_email(
    *, template: str, to: str, context: dict[str, Any], case: Case | None = None
) -> OutgoingEmail:
    """Render the triplet into an unsaved row; a missing template is an error."""
    ctx = {"site_url": settings.SITE_URL, "case": case, **context}
    subject = " ".join(render_to_string(f"emails/{template}/subject.txt", ctx).split())
    return OutgoingEmail(
        case=case,
        template=template,
        to=to,
        subject=subject,
        body_text=render_to_string(f"emails/{template}/body.txt", ctx),
        body_html=render_to_string(f"emails/{template}/body.html", ctx),
    )


def queue_email(
    *, template: str, to: str, context: dict[str, Any], case: Case | None = None
) -> OutgoingEmail:
    """Render the triplet now (a missing template fails the change) and send after commit."""
    email = build_email(template=template, to=to, context=context, case=case)
    email.save()
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def queue_emails(emails: list[OutgoingEmail]) -> list[OutgoingEmail]:
    """Write many built emails in one insert (sweeps); each is sent after commit.

    bulk_create sets primary keys on PostgreSQL and SQLite 3.35+, which the tasks need.
    """
    created = OutgoingEmail.objects.bulk_create(emails)
    for email in created:
        transaction.on_commit(lambda pk=email.pk: _enqueue(pk))
    return created


def redact_case_emails(case: Case) -> int:
    """Forget recipients and bodies of a case's emails (its personal data is being removed).

    Template, subject, state and times stay as the record that the email went; an email
    not yet sent is marked failed, since it no longer has anyone to go to.
    """
    OutgoingEmail.objects.filter(
        case=case, state__in=[OutgoingEmail.State.PENDING, OutgoingEmail.State.SENDING]
    ).update(state=OutgoingEmail.State.FAILED)
    return OutgoingEmail.objects.filter(case=case).update(to="", body_text="", body_html="")


def _enqueue(email_id: int) -> None:
    from .tasks import send_email  # tasks import this module

    try:
        send_email.delay(email_id)
    except Exception:  # broker down: the row stays pending and the beat sweep sends it
        log.warning(
            "Could not queue email %s; it will be retried by the sweep.", email_id, exc_info=True
        )


def deliver(email_id: int) -> bool:
    """Send one pending email. Claimed by a conditional update, so it is sent at most once."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmail.State.PENDING).update(
        state=OutgoingEmail.State.SENDING
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to]
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception:
        attempts = email.attempts + 1
        state = (
            OutgoingEmail.State.FAILED if attempts >= MAX_ATTEMPTS else OutgoingEmail.State.PENDING
        )
        OutgoingEmail.objects.filter(pk=email_id).update(state=state, attempts=attempts)
        log.warning("Sending email %s (%s) failed, attempt %s.", email_id, email.template, attempts)
        raise
    OutgoingEmail.objects.filter(pk=email_id).update(
        state=OutgoingEmail.State.SENT, sent_at=timezone.now(), attempts=email.attempts + 1
    )
    log.info("Sent email %s (%s).", email_id, email.template)
    return True


def pending_email_ids(
    *, older_than: timedelta = timedelta(minutes=1), limit: int = 1000
) -> list[int]:
    """Emails whose queued task never ran (broker down, worker lost); for the beat sweep.

    A minute old, swept every minute: sent within two minutes of the broker's return. A
    task still queued is not doubled by the sweep's copy: deliver claims the row first."""
    cutoff = timezone.now() - older_than
    stuck_sending = timezone.now() - timedelta(hours=1)
    OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.SENDING, created_at__lt=stuck_sending
    ).update(state=OutgoingEmail.State.PENDING)
    return list(
        OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
