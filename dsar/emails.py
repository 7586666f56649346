"""The outbox: emails as template triplets (subject, text, HTML) in templates/emails/<name>/.

An email is written as a row in the same transaction as the change that caused it and
sent after commit by a task; see OutgoingEmail. Every email, attachments included (a
letter's PDF), goes the same way: claimed by a conditional update that records when,
retried while attempts remain, and swept when its task never ran or its worker was lost.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import hooks
from .jobs import queue_after_commit
from .models import Case, OutgoingEmail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
SEND_TASK = "dsar.tasks.send_email"
# A claim older than this is a lost send (the worker died mid-send): it is tried again.
# Longer than any SMTP exchange the mail backend allows, so a slow send is never doubled.
SEND_TIMEOUT = timedelta(minutes=10)


@dataclass(frozen=True)
class Attachment:
    """A stored file sent with an email; the row keeps the reference, never the bytes."""

    file: str  # its name in default storage (a case document's file)
    name: str  # the file name the recipient sees
    content_type: str


def build_email(
    *,
    template: str,
    to: str,
    context: dict[str, Any],
    case: Case | None = None,
    attachments: Sequence[Attachment] = (),
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
        attachments=[asdict(a) for a in attachments],
    )


def queue_email(
    *,
    template: str,
    to: str,
    context: dict[str, Any],
    case: Case | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutgoingEmail:
    """Render the triplet now (a missing template fails the change) and send after commit."""
    email = build_email(
        template=template, to=to, context=context, case=case, attachments=attachments
    )
    email.save()
    queue_after_commit(SEND_TASK, email.pk)
    return email


def queue_emails(emails: list[OutgoingEmail]) -> list[OutgoingEmail]:
    """Write many built emails in one insert (sweeps); each is sent after commit.

    bulk_create sets primary keys on PostgreSQL and SQLite 3.35+, which the tasks need.
    """
    created = OutgoingEmail.objects.bulk_create(emails)
    for email in created:
        queue_after_commit(SEND_TASK, email.pk)
    return created


def redact_case_emails(case: Case) -> int:
    """Forget recipients and bodies of a case's emails (its personal data is being removed).

    Template, subject, state and times stay as the record that the email went; an email
    not yet sent is marked failed, since it no longer has anyone to go to.
    """
    OutgoingEmail.objects.filter(
        case=case, state__in=[OutgoingEmail.State.PENDING, OutgoingEmail.State.SENDING]
    ).update(state=OutgoingEmail.State.FAILED)
    return OutgoingEmail.objects.filter(case=case).update(
        to="", body_text="", body_html="", attachments=[]
    )


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to]
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        with default_storage.open(attachment["file"], "rb") as handle:
            message.attach(attachment["name"], handle.read(), attachment["content_type"])
    return message


def deliver(email_id: int) -> bool:
    """Send one pending email. Claimed by a conditional update that records when, so it
    is sent at most once unless the claim is lost (see ``reclaim_lost_sends``)."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmail.State.PENDING).update(
        state=OutgoingEmail.State.SENDING, claimed_at=timezone.now()
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        _message(email).send()  # an attachment that cannot be read is a failed attempt too
    except Exception:
        attempts = email.attempts + 1
        state = (
            OutgoingEmail.State.FAILED if attempts >= MAX_ATTEMPTS else OutgoingEmail.State.PENDING
        )
        OutgoingEmail.objects.filter(pk=email_id).update(state=state, attempts=attempts)
        log.warning("Sending email %s (%s) failed, attempt %s.", email_id, email.template, attempts)
        raise
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email_id).update(
            state=OutgoingEmail.State.SENT, sent_at=timezone.now(), attempts=email.attempts + 1
        )
        hooks.email_sent(email)
    log.info("Sent email %s (%s).", email_id, email.template)
    return True


def reclaim_lost_sends(*, timeout: timedelta = SEND_TIMEOUT) -> int:
    """Writes: sends claimed longer ago than ``timeout`` (their worker was lost) go back
    to pending, to be tried again. Keyed on the claim, never on when the email was
    written, so an old email being sent right now is left alone. Returns how many."""
    return OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.SENDING, claimed_at__lt=timezone.now() - timeout
    ).update(state=OutgoingEmail.State.PENDING)


def due_email_ids(*, older_than: timedelta = timedelta(minutes=1), limit: int = 1000) -> list[int]:
    """Reads: pending emails whose queued task has not run (broker down, a retry due).

    A minute old, swept every minute: sent within two minutes of the broker's return. A
    task still queued is not doubled by the sweep's copy: deliver claims the row first."""
    return list(
        OutgoingEmail.objects.filter(
            state=OutgoingEmail.State.PENDING, created_at__lt=timezone.now() - older_than
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
