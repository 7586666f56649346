"""A letter's email goes through the one outbox: claimed, retried and swept like every
email, and never sent again without its PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
from unittest import mock

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core import mail

from dsar.models import OutgoingEmail
from dsar.tasks import send_pending_emails
from exports.letters import services

pytestmark = pytest.mark.django_db


class WorkerLost(BaseException):
    """The worker dies mid-send: nothing after the claim runs, not even an except block."""


def test_a_letter_email_claimed_and_lost_is_sent_again_once_with_its_pdf(letter_case, demo_officer):
    document = services.letter_issue(
        case=letter_case, kind="acknowledgement", by=demo_officer, delivery="email"
    )
    services.document_make_pdf(document_id=document.pk)
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=WorkerLost),
        pytest.raises(WorkerLost),
    ):
        services.document_email(document_id=document.pk)
    email = OutgoingEmail.objects.get(case=letter_case, template="letter")
    assert email.state == OutgoingEmail.State.SENDING  # claimed, then lost
    assert mail.outbox == []

    with time_machine.travel(dt.timedelta(minutes=61)):
        send_pending_emails()
    with time_machine.travel(dt.timedelta(hours=3)):
        send_pending_emails()

    document.refresh_from_db()
    assert len(mail.outbox) == 1
    ((filename, content, mimetype),) = mail.outbox[0].attachments
    assert mimetype == "application/pdf" and filename.endswith(".pdf")
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert OutgoingEmail.objects.get(pk=email.pk).state == OutgoingEmail.State.SENT


def test_the_migration_gives_an_unsent_letter_email_its_pdf_and_leaves_a_sent_one(
    letter_case, demo_officer
):
    """exports 0006: a letter email left 'sending' by the old letter task, without an
    attachment, becomes a pending outbox email carrying its PDF; a sent one is untouched."""
    migration = importlib.import_module("exports.migrations.0006_letter_emails_in_the_outbox")
    unsent, sent = (
        services.letter_issue(
            case=letter_case, kind="acknowledgement", by=demo_officer, delivery="email"
        )
        for _ in range(2)
    )
    for document in (unsent, sent):
        services.document_make_pdf(document_id=document.pk)
    services.document_email(document_id=sent.pk)
    sent.refresh_from_db()
    assert sent.emailed_at is not None
    unsent.refresh_from_db()
    # As the old letter task left it: claimed for sending, no attachment.
    OutgoingEmail.objects.filter(pk=unsent.email_id).update(
        state=OutgoingEmail.State.SENDING, attachments=[]
    )
    before = OutgoingEmail.objects.values().get(pk=sent.email_id)

    migration.letters_into_the_outbox(django_apps, None)

    assert OutgoingEmail.objects.values().get(pk=sent.email_id) == before
    email = OutgoingEmail.objects.get(pk=unsent.email_id)
    assert email.state == OutgoingEmail.State.PENDING and email.claimed_at is None
    (attachment,) = email.attachments
    assert attachment["file"] == unsent.file.name
    assert attachment["name"] == f"{letter_case.reference}-acknowledgement-{unsent.pk}.pdf"
    mail.outbox.clear()
    with time_machine.travel(dt.timedelta(minutes=2)):  # the sweep takes emails a minute old
        send_pending_emails()
    ((filename, content, _mimetype),) = mail.outbox[0].attachments
    assert filename == attachment["name"]
    assert hashlib.sha256(content).hexdigest() == unsent.sha256
