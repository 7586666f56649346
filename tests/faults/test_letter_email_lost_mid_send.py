"""A letter's email lost mid-send: the worker is killed while the mail server holds the
message; once the claim is old enough to be called lost, the beat's sweeps send it again,
exactly once, with the letter's PDF attached.

A real ``celery worker`` makes the PDF and sends the email to a mail server that accepts
the connection and never answers (the send hangs, as on a stalled SMTP relay); the worker
is SIGKILLed there, and a second worker, writing emails to files, takes over.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import socket
import threading

import pytest
import time_machine
from django.utils.module_loading import import_string

from config.celery import app as celery_app
from dsar.models import OutgoingEmail
from exports.letters import services
from exports.models import Document
from tests.servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)


class SilentMailServer:
    """Accepts connections and never says a word: an SMTP client waits forever."""

    def __init__(self) -> None:
        self.port = free_port()
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._held.append(conn)
            self.accepted += 1

    def close(self) -> None:
        self._listener.close()
        for conn in self._held:
            conn.close()


@pytest.fixture
def silent_mail_server():
    server = SilentMailServer()
    yield server
    server.close()


def run_beat_sweeps(at: dt.datetime) -> int:
    """The outbox sweep and every stuck-work sweep, at ``at``, as the beat would run them
    (their tasks go to the broker); returns how many emails the outbox sweep queued."""
    queued = 0
    with time_machine.travel(at):
        for entry in celery_app.conf.beat_schedule.values():
            if "stuck" in entry["task"] or entry["task"] == "dsar.tasks.send_pending_emails":
                done = import_string(entry["task"])()
                if entry["task"] == "dsar.tasks.send_pending_emails":
                    queued = done
    return queued


def letter_messages(messages: list[str], to: str) -> list[email.message.Message]:
    parsed = [email.message_from_string(m) for m in messages]
    return [m for m in parsed if m["To"] == to]


def test_a_letter_email_lost_mid_send_goes_once_with_its_pdf(
    idle_worker, silent_mail_server, letter_case, demo_officer, django_capture_on_commit_callbacks
):
    idle_worker.env["EMAIL_URL"] = f"smtp://127.0.0.1:{silent_mail_server.port}"
    idle_worker.start()
    with django_capture_on_commit_callbacks(execute=True):  # the PDF task, to the worker
        document = services.letter_issue(
            case=letter_case, kind="acknowledgement", by=demo_officer, delivery="email"
        )

    def sending() -> bool:
        found = OutgoingEmail.objects.filter(case=letter_case, template="letter").first()
        claimed = found is not None and found.state == OutgoingEmail.State.SENDING
        return claimed and silent_mail_server.accepted > 0

    idle_worker.wait_for(sending, 120)  # the PDF made, its email claimed, the send hanging
    idle_worker.kill()
    document.refresh_from_db()
    letter_email = OutgoingEmail.objects.get(case=letter_case, template="letter")
    assert document.status == Document.Status.READY
    assert letter_email.state == OutgoingEmail.State.SENDING  # claimed, then lost
    assert idle_worker.emails() == []
    counts = "cases=1 letters=1 (PDF ready) letter emails=1 (sending, lost) emails sent=0"

    del idle_worker.env["EMAIL_URL"]  # the new worker's mail goes to files
    idle_worker.start()
    now = dt.datetime.now(dt.UTC)
    run_beat_sweeps(now + dt.timedelta(minutes=61))  # the claim is old: called lost
    idle_worker.wait_for(
        lambda: OutgoingEmail.objects.get(pk=letter_email.pk).state == OutgoingEmail.State.SENT
    )
    assert run_beat_sweeps(now + dt.timedelta(hours=3)) == 0  # later ticks: nothing owed

    sent = letter_messages(idle_worker.emails(), letter_case.requester_email)
    assert len(sent) == 1  # once
    pdfs = [p for p in sent[0].walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1, sent[0].as_string()[:2000]  # with its PDF
    assert pdfs[0].get_filename().endswith(".pdf")
    assert hashlib.sha256(pdfs[0].get_payload(decode=True)).hexdigest() == document.sha256
    emails = OutgoingEmail.objects.filter(case=letter_case)
    print(
        f"counts: before {counts}; after cases=1 letters=1 letter emails="
        f"{emails.filter(template='letter').count()} (sent) emails sent={len(sent)} to the "
        f"requester with the PDF"
    )
