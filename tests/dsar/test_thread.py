"""The message thread: officer writes, requester reads and answers on the status page."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from dsar import services
from dsar.choices import ActorKind, Status
from dsar.models import Case, CaseEvent, Message, MessageFile
from exports.models import Document
from identity.tokens import make_status_token, status_path
from tests.factories import CaseFactory
from tests.identity.factories import EXE, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def message_url(case) -> str:
    return reverse("identity:message", args=[make_status_token(case.reference)])


def send_url(case) -> str:
    return reverse("dsar:message_send", args=[case.reference])


@pytest.fixture
def letter(case):
    return Document.objects.create(
        case=case,
        kind="acknowledgement",
        title="Acknowledgement of your request",
        status=Document.Status.READY,
        file=default_storage.save("documents/test/ack.pdf", ContentFile(PDF)),
        sha256="a" * 64,
        size=len(PDF),
    )


def test_officer_message_is_an_event_and_emails_the_status_link(
    officer_client, case, officer, letter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            send_url(case), {"body": "Which account do you mean?", "documents": [letter.pk]}
        )
    assert response.status_code == 302
    message = Message.objects.get(case=case)
    assert (message.author, message.author_kind, message.body) == (
        officer,
        ActorKind.OFFICER,
        "Which account do you mean?",
    )
    assert [(f.name, f.document_id) for f in message.files.all()] == [
        ("Acknowledgement of your request", letter.pk)
    ]
    event = CaseEvent.objects.get(case=case, kind="message_sent")
    assert event.actor == officer and event.data["documents"] == [letter.pk]
    (email,) = mail.outbox
    assert email.to == [case.requester_email]
    assert "/status/" in email.body and "Which account" not in email.body


def test_requester_reads_the_message_and_downloads_the_attached_letter(client, case, officer):
    from dsar.thread.services import message_to_requester

    message_to_requester(case=case, by=officer, body="Here is our letter.", document_ids=[])
    html = client.get(status_path(case)).content.decode()
    assert "Here is our letter." in html
    assert 'id="messages"' in html


def test_requester_answers_with_text_and_a_file(
    client, case, officer, django_capture_on_commit_callbacks
):
    case.assignee = officer
    case.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            message_url(case),
            {
                "body": "The account ending 4411.",
                "files": [upload(PNG, "statement.png", "image/png")],
            },
        )
    assert response.status_code == 302
    message = Message.objects.get(case=case)
    assert message.author_kind == ActorKind.REQUESTER and message.author is None
    (stored,) = message.files.all()
    assert stored.name == "statement.png" and stored.content_type == "image/png"
    assert default_storage.open(stored.file.name).read() == PNG
    event = CaseEvent.objects.get(case=case, kind="message_received")
    assert event.actor_kind == ActorKind.REQUESTER
    (email,) = mail.outbox
    assert email.to == [officer.email] and case.reference in email.subject
    case.refresh_from_db()
    assert case.requester_replied_at is not None

    # The requester downloads their file from their own page only.
    url = reverse("identity:message_file", args=[make_status_token(case.reference), stored.pk])
    download = client.get(url)
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    other = CaseFactory(controller=case.controller)
    wrong = reverse("identity:message_file", args=[make_status_token(other.reference), stored.pk])
    assert client.get(wrong).status_code == 404


def test_an_executable_renamed_pdf_is_refused(client, case):
    response = client.post(
        message_url(case), {"body": "My ID", "files": [upload(EXE, "passport.pdf")]}
    )
    assert response.status_code == 400
    assert "Your message was not sent" in response.content.decode()
    assert not Message.objects.exists() and not MessageFile.objects.exists()
    assert not CaseEvent.objects.filter(kind="message_received").exists()


def test_an_empty_message_is_refused_with_a_clear_error(client, case):
    response = client.post(message_url(case), {"body": "  "})
    assert response.status_code == 400
    assert "Write your message or choose a file to send." in response.content.decode()


def test_queue_shows_requester_replied_until_an_officer_answers(
    client, officer_client, case, officer
):
    client.post(message_url(case), {"body": "Any news?"})
    queue = officer_client.get(reverse("dsar:queue")).content.decode()
    assert "Requester replied" in queue.split("<tbody>", 1)[1]
    officer_client.post(send_url(case), {"body": "We are on it."})
    queue = officer_client.get(reverse("dsar:queue")).content.decode()
    assert "Requester replied" not in queue.split("<tbody>", 1)[1]


def test_a_reply_restarts_a_paused_clock_from_the_replys_day(client, controller, officer):
    with time_machine.travel("2026-03-02 10:00 +00:00", tick=False):
        case = CaseFactory(controller=controller, received_on=dt.date(2026, 3, 2))
        due_before = case.due_date
        services.case_pause(case=case, by=officer, reason="Which account?")
    with time_machine.travel("2026-03-11 10:00 +00:00", tick=False):
        response = client.post(message_url(case), {"body": "The one ending 4411."})
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.IN_PROGRESS
    pause = case.pauses.get()
    assert (pause.started_on, pause.ended_on) == (dt.date(2026, 3, 2), dt.date(2026, 3, 11))
    assert case.due_date > due_before
    assert CaseEvent.objects.filter(case=case, kind="resumed").exists()


def test_a_closed_case_takes_no_more_messages(client, controller):
    case = CaseFactory(controller=controller, status=Status.CLOSED)
    assert 'action="' + message_url(case) not in client.get(status_path(case)).content.decode()
    assert client.post(message_url(case), {"body": "Hello?"}).status_code == 400
    assert not Message.objects.exists()


def test_auditor_cannot_write_and_outsider_gets_404(client, auditor, outsider, case):
    client.force_login(auditor)
    assert client.post(send_url(case), {"body": "Hi"}).status_code == 403
    client.force_login(outsider)
    assert client.post(send_url(case), {"body": "Hi"}).status_code == 404
    assert not Message.objects.exists()


def test_messages_and_their_files_are_purged_with_the_case(
    client, case, django_capture_on_commit_callbacks
):
    from dsar.reminders.purge import purge_closed_cases

    client.post(message_url(case), {"body": "x", "files": [upload(PDF, "a.pdf")]})
    name = MessageFile.objects.get().file.name
    assert default_storage.exists(name)
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED, closed_at=timezone.now() - dt.timedelta(days=10 * 365)
    )
    with django_capture_on_commit_callbacks(execute=True):
        purge_closed_cases()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Message.objects.exists() and not default_storage.exists(name)


def test_the_case_page_shows_the_thread_and_a_form_to_write(officer_client, case, officer):
    from dsar.thread.services import message_to_requester

    message_to_requester(case=case, by=officer, body="Which account do you mean?")
    page = officer_client.get(reverse("dsar:case_detail", args=[case.reference])).content.decode()
    assert "Messages with the requester" in page
    assert "Which account do you mean?" in page
    assert reverse("dsar:message_send", args=[case.reference]) in page
