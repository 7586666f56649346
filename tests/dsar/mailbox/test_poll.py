"""Requests by email, against a real IMAP-over-TLS server (dovecot, see dovecot.py)."""

import datetime as dt
import threading
from email.message import EmailMessage

import pytest
from django.db import connection, connections
from django.urls import reverse

from dsar.choices import Channel, Right, Status
from dsar.mailbox.models import InboundEmail, Mailbox
from dsar.mailbox.services import poll_mailbox
from dsar.models import CaseEvent
from exports.models import Document
from tests.identity.factories import PDF

from . import dovecot

pytestmark = pytest.mark.django_db


def email_bytes(n: int, *, attachment: bytes | None = None, html: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Requester {n} <Requester{n}@Example.org>"
    msg["To"] = "privacy@acme.test"
    msg["Subject"] = f"Subject access request {n}"
    msg["Message-ID"] = f"<request-{n}@example.org>"
    msg["Date"] = f"Mon, 0{n} Mar 2026 09:15:00 +0000"
    if html:
        msg.set_content("<p>Please send me <b>all my data</b>.</p>", subtype="html")
    else:
        msg.set_content(f"Please send me all my data. Account {n}.")
    if attachment:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="my-id.pdf")
    return msg.as_bytes()


@pytest.fixture
def mailbox(imap, controller):
    box = Mailbox(
        controller=controller, name="privacy@", host="127.0.0.1", port=imap.port,
        username=dovecot.USER,
    )  # fmt: skip
    box.set_password(dovecot.PASSWORD)
    box.save()
    return box


@pytest.fixture
def three(imap):
    imap.deliver(email_bytes(1))
    imap.deliver(email_bytes(2, attachment=PDF))
    imap.deliver(email_bytes(3, html=True))


def test_the_password_is_stored_encrypted(mailbox):
    stored = Mailbox.objects.values_list("password_encrypted", flat=True).get()
    assert dovecot.PASSWORD not in stored
    assert Mailbox.objects.get().password() == dovecot.PASSWORD


def test_poller_imports_three_messages_once_when_run_twice(mailbox, three):
    first = poll_mailbox(mailbox)
    second = poll_mailbox(mailbox)
    assert (first.imported, first.seen, first.error) == (3, 3, "")
    assert (second.imported, second.seen) == (0, 3)
    drafts = {d.message_id: d for d in InboundEmail.objects.all()}
    assert sorted(drafts) == [f"<request-{n}@example.org>" for n in (1, 2, 3)]
    one = drafts["<request-1@example.org>"]
    assert (one.from_email, one.from_name) == ("requester1@example.org", "Requester 1")
    assert one.received_at == dt.datetime(2026, 3, 1, 9, 15, tzinfo=dt.UTC)
    assert one.body_text == "Please send me all my data. Account 1."
    assert one.state == InboundEmail.State.TO_TRIAGE and one.problem == ""
    assert "all my data" in drafts["<request-3@example.org>"].body_text


def test_the_original_and_its_attachments_are_kept(mailbox, three):
    poll_mailbox(mailbox)
    draft = InboundEmail.objects.get(message_id="<request-2@example.org>")
    files = list(draft.files.all())
    assert [(f.name, f.is_original) for f in files] == [
        ("message.eml", True),
        ("my-id.pdf", False),
    ]
    assert b"Message-ID: <request-2@example.org>" in files[0].file.open("rb").read()
    assert files[1].file.open("rb").read() == PDF


@pytest.mark.django_db(transaction=True)
def test_two_polls_at_once_import_each_message_once(imap, controller, three):
    if connection.vendor == "sqlite":
        pytest.skip("Concurrent writers need PostgreSQL (CI runs this there)")
    box = Mailbox(
        controller=controller, name="privacy@", host="127.0.0.1", port=imap.port,
        username=dovecot.USER,
    )  # fmt: skip
    box.set_password(dovecot.PASSWORD)
    box.save()
    results, barrier = [], threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            results.append(poll_mailbox(Mailbox.objects.get(pk=box.pk)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.imported for r in results) == 3 and all(not r.error for r in results)
    assert InboundEmail.objects.count() == 3
    assert InboundEmail.objects.get(message_id="<request-2@example.org>").files.count() == 2


def test_a_malformed_message_is_kept_for_triage_with_the_reason(mailbox, imap):
    imap.deliver(b"this is not an email at all\r\n\r\n\xff\xfe")
    poll_mailbox(mailbox)
    draft = InboundEmail.objects.get()
    assert draft.state == InboundEmail.State.TO_TRIAGE
    assert "No sender address could be read." in draft.problem
    assert draft.message_id.startswith("<sha256-")
    assert draft.files.get().is_original


def test_a_failing_mailbox_is_recorded_and_shown_never_raised(mailbox, officer_client):
    mailbox.set_password("wrong")
    mailbox.save()
    result = poll_mailbox(mailbox)
    mailbox.refresh_from_db()
    assert result.error and mailbox.last_error == result.error
    assert "The server refused" in mailbox.last_error and mailbox.failing_since
    page = officer_client.get(reverse("dsar:triage")).content.decode()
    assert "The privacy@ mailbox (Acme Retail) cannot be read" in page

    # Fixed: the warning goes.
    mailbox.set_password(dovecot.PASSWORD)
    mailbox.save()
    assert poll_mailbox(mailbox).error == ""
    mailbox.refresh_from_db()
    assert mailbox.last_error == "" and mailbox.failing_since is None


def test_an_unreachable_server_is_a_recorded_error(controller, settings):
    box = Mailbox(controller=controller, name="x", host="127.0.0.1", port=dovecot.free_port())
    box.set_password("p")
    box.save()
    assert "Could not connect" in poll_mailbox(box).error


def test_the_dpo_digest_names_a_failing_mailbox(mailbox, controller, mailoutbox):
    from dsar.reminders.digest import send_overdue_digest

    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_error="The server refused: authentication failed",
        failing_since=dt.datetime.now(dt.UTC),
    )
    action = send_overdue_digest(controller=controller, today=controller.today())
    assert action is not None
    from dsar.models import OutgoingEmail

    email = OutgoingEmail.objects.get(template="overdue_digest")
    assert "could not be read" in email.body_text and "privacy@" in email.body_text
    assert "authentication failed" in email.body_text


def test_an_officer_makes_a_draft_a_case_with_its_files_as_documents(
    mailbox, three, officer_client, officer
):
    poll_mailbox(mailbox)
    draft = InboundEmail.objects.get(message_id="<request-2@example.org>")
    page = officer_client.get(reverse("dsar:triage")).content.decode()
    assert "Subject access request 2" in page
    response = officer_client.post(
        reverse("dsar:triage_detail", args=[draft.pk]),
        {
            "action": "convert",
            "right": Right.ACCESS,
            "received_on": "2026-03-02",
            "requester_name": "Requester Two",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    case = draft.case
    assert draft.state == InboundEmail.State.CONVERTED and draft.decided_by == officer
    assert (case.channel, case.requester_email, case.received_on) == (
        Channel.EMAIL,
        "requester2@example.org",
        dt.date(2026, 3, 2),
    )
    assert case.status in {Status.IN_PROGRESS, Status.AWAITING_IDENTITY}
    docs = Document.objects.filter(case=case, category=Document.Category.RECEIVED)
    assert sorted(docs.values_list("kind", flat=True)) == ["email_attachment", "original_email"]
    assert docs.get(kind="email_attachment").file.open("rb").read() == PDF
    assert CaseEvent.objects.filter(case=case, kind="created_from_email").exists()
    # Deciding twice is refused.
    again = officer_client.post(
        reverse("dsar:triage_detail", args=[draft.pk]), {"action": "discard", "reason": "x"}
    )
    assert again.status_code == 400 and "already dealt with" in again.content.decode()


def test_discarding_needs_a_reason_and_keeps_the_message(mailbox, three, officer_client):
    poll_mailbox(mailbox)
    draft = InboundEmail.objects.get(message_id="<request-1@example.org>")
    url = reverse("dsar:triage_detail", args=[draft.pk])
    response = officer_client.post(url, {"action": "discard", "reason": ""})
    assert (
        response.status_code == 400 and "Say why it is not a request." in response.content.decode()
    )
    officer_client.post(url, {"action": "discard", "reason": "A newsletter."})
    draft.refresh_from_db()
    assert (draft.state, draft.discard_reason) == (InboundEmail.State.DISCARDED, "A newsletter.")
    assert draft.files.count() == 1


def test_other_controllers_never_see_the_drafts_and_auditors_cannot_decide(
    mailbox, three, client, outsider, auditor
):
    poll_mailbox(mailbox)
    draft = InboundEmail.objects.first()
    url = reverse("dsar:triage_detail", args=[draft.pk])
    client.force_login(outsider)
    assert draft.subject not in client.get(reverse("dsar:triage")).content.decode()
    assert client.get(url).status_code == 404
    client.force_login(auditor)
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "discard", "reason": "x"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.state == InboundEmail.State.TO_TRIAGE
