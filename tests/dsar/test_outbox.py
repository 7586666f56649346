"""The outbox sweep reclaims a send only when its claim is older than the send timeout."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from dsar import emails
from dsar.models import OutgoingEmail
from dsar.tasks import send_pending_emails

pytestmark = pytest.mark.django_db


class WorkerLost(BaseException):
    """The worker dies mid-send: nothing after the claim runs, not even an except block."""


def old_email() -> OutgoingEmail:
    """An email written two hours ago (its first tries failed, say)."""
    return OutgoingEmail.objects.create(
        template="test",
        to="ada@example.net",
        subject="Hello",
        body_text="Hello.",
        created_at=timezone.now() - dt.timedelta(hours=2),
    )


def test_an_old_email_being_sent_now_is_not_sent_twice():
    email = old_email()
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=WorkerLost),
        pytest.raises(WorkerLost),
    ):
        emails.deliver(email.pk)  # claimed just now; still sending as far as anyone knows
    send_pending_emails()
    assert mail.outbox == []
    assert OutgoingEmail.objects.get(pk=email.pk).state == OutgoingEmail.State.SENDING

    with time_machine.travel(dt.timedelta(minutes=11)):  # the claim is now stale
        send_pending_emails()
        send_pending_emails()
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).state == OutgoingEmail.State.SENT
