"""A letter's email goes through the one outbox: claimed, retried and swept like every
email, and never sent again without its PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
from unittest import mock

import pytest
import time_machine
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
