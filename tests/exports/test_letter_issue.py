"""Issuing letters: stored with their SHA-256, emailed or posted, corrected, never rewritten."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core import mail

from dsar import services as case_services
from dsar.choices import RefusalGround
from dsar.errors import CaseActionError
from dsar.models import CaseEvent, OutgoingEmail
from exports.letters import LETTER_KINDS, services
from exports.letters.models import LetterDraft
from exports.models import Document
from tests.exports.conftest import ACCESS_FIELDS, flat, pdf_text, stored_bytes
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def render(case, kind: str, **fields) -> bytes:
    return services.letter_render_pdf(case=case, kind=kind, fields=fields)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- issuing ---------------------------------------------------------------------------


def test_issued_letter_is_stored_with_the_sha256_of_its_bytes(letter_case, demo_officer, issue):
    document = issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post")
    document.refresh_from_db()  # the PDF was made by the task, after commit
    assert document.status == Document.Status.READY
    data = stored_bytes(document)
    assert data.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.file.name.startswith("documents/")
    assert letter_case.reference in pdf_text(data)


def test_issuing_twice_makes_two_documents(letter_case, demo_officer, issue):
    first = issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post")
    second = issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post")
    assert first.pk != second.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.file.name != second.file.name
    assert Document.objects.filter(case=letter_case).count() == 2


def test_issuing_records_the_letter_and_its_pdf_in_the_case_trail(letter_case, demo_officer, issue):
    document = issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post")
    document.refresh_from_db()
    issued = CaseEvent.objects.get(case=letter_case, kind="letter_issued")
    assert issued.actor == demo_officer
    assert issued.data["kind"] == "acknowledgement"
    assert issued.data["document_id"] == document.pk
    assert issued.data["source_sha256"] == hashlib.sha256(document.source_html.encode()).hexdigest()
    made = CaseEvent.objects.get(case=letter_case, kind="letter_made")
    assert made.data == {
        "kind": "acknowledgement",
        "document_id": document.pk,
        "sha256": document.sha256,
        "size": document.size,
    }


def test_email_delivery_sends_the_pdf_attached_and_records_the_email(
    letter_case, demo_officer, issue
):
    document = issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="email")
    document.refresh_from_db()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zoe@example.net"]
    assert letter_case.reference in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert filename.startswith(letter_case.reference) and filename.endswith(".pdf")
    assert mimetype == "application/pdf"
    assert hashlib.sha256(content).hexdigest() == document.sha256
    email = OutgoingEmail.objects.get(case=letter_case, template="letter")
    assert email.state == OutgoingEmail.State.SENT
    assert document.email == email and document.emailed_at is not None
    assert CaseEvent.objects.filter(case=letter_case, kind="letter_emailed").exists()
    # Sending again (a retried task) sends nothing more.
    assert services.document_email(document_id=document.pk) is False
    assert len(mail.outbox) == 1


def test_post_delivery_sends_no_email(letter_case, demo_officer, issue):
    issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post")
    assert mail.outbox == []


def test_a_channel_without_an_address_is_refused(demo_controller, demo_officer):
    case = CaseFactory(controller=demo_controller, requester_address="")
    with pytest.raises(CaseActionError, match="no postal address"):
        services.letter_issue(case=case, kind="acknowledgement", by=demo_officer, delivery="post")
    assert not Document.objects.filter(case=case).exists()


def test_missing_required_parts_refuse_the_issue_and_change_nothing(letter_case, demo_officer):
    with pytest.raises(CaseActionError, match="Complete every required part") as caught:
        services.letter_issue(case=letter_case, kind="access_response", by=demo_officer)
    assert caught.value.field == "enclosures"  # the first in the letter
    assert not Document.objects.exists()
    assert not CaseEvent.objects.filter(kind="letter_issued").exists()


def test_issue_uses_the_saved_draft_and_then_discards_it(letter_case, demo_officer, issue):
    services.letter_draft_save(
        case=letter_case, kind="access_response", by=demo_officer, fields=ACCESS_FIELDS
    )
    document = issue(case=letter_case, kind="access_response", by=demo_officer, delivery="post")
    assert document.fields["purposes"] == ACCESS_FIELDS["purposes"]
    assert not LetterDraft.objects.filter(case=letter_case).exists()


def test_a_correction_is_a_new_document_and_the_original_is_untouched(
    letter_case, demo_officer, issue
):
    original = issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post")
    original.refresh_from_db()
    before = (original.sha256, original.file.name, original.source_html)
    correction = issue(
        case=letter_case,
        kind="acknowledgement",
        by=demo_officer,
        delivery="post",
        corrects=original,
        fields={"note": "Our earlier letter gave the wrong date."},
    )
    correction.refresh_from_db()
    original.refresh_from_db()
    assert (original.sha256, original.file.name, original.source_html) == before
    assert correction.corrects == original and original.superseded_by == correction
    assert correction.title.endswith("(correction)")
    assert "This letter corrects our letter of" in flat(pdf_text(stored_bytes(correction)))


def test_a_letter_from_another_case_cannot_be_corrected(letter_case, demo_officer, issue):
    other = CaseFactory(controller=letter_case.controller, requester_address="1 High St")
    theirs = issue(case=other, kind="acknowledgement", by=demo_officer)
    with pytest.raises(CaseActionError, match="same case"):
        services.letter_issue(
            case=letter_case, kind="acknowledgement", by=demo_officer, corrects=theirs
        )


def test_a_failed_pdf_is_marked_and_can_still_be_made_later(letter_case):
    from unittest import mock

    with mock.patch("exports.letters.services.html_to_pdf", side_effect=RuntimeError("no fonts")):
        document = Document.objects.create(
            case=letter_case, kind="acknowledgement", title="Ack", source_html="<p>x</p>"
        )
        with pytest.raises(RuntimeError):
            services.document_make_pdf(document_id=document.pk, final_attempt=True)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED and not document.file
    services.document_make_pdf(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.READY and document.sha256


# --- the extension notice --------------------------------------------------------------


@time_machine.travel("2026-03-02 10:00 +00:00", tick=False)
def test_extension_notice_gives_the_new_date_and_reasons(demo_controller, demo_officer, issue):
    case = CaseFactory(controller=demo_controller, received_on=dt.date(2026, 3, 2))
    case = case_services.case_extend(case=case, by=demo_officer, reason="Twelve linked requests.")
    text = flat(pdf_text(render(case, "extension_notice")))
    assert "Twelve linked requests." in text
    assert long_date(case.due_date) in text and long_date(case.original_due_date) in text
    document = issue(case=case, kind="extension_notice", by=demo_officer, delivery="email")
    assert document.pk


def test_extension_notice_is_refused_for_a_case_not_extended(letter_case, demo_officer):
    with pytest.raises(CaseActionError, match="not been extended"):
        services.letter_issue(case=letter_case, kind="extension_notice", by=demo_officer)


def test_extension_notice_is_refused_after_the_original_period(demo_controller, demo_officer):
    with time_machine.travel("2026-03-02 10:00 +00:00", tick=False):
        case = CaseFactory(controller=demo_controller, received_on=dt.date(2026, 3, 2))
        case = case_services.case_extend(case=case, by=demo_officer, reason="Complex.")
    with (
        time_machine.travel("2026-04-03 10:00 +01:00", tick=False),
        pytest.raises(CaseActionError, match="within the original period"),
    ):
        services.letter_issue(case=case, kind="extension_notice", by=demo_officer)
    assert not Document.objects.filter(case=case).exists()


def test_unknown_kind_is_a_clear_error(letter_case, demo_officer):
    with pytest.raises(CaseActionError, match="no letter called"):
        services.letter_issue(case=letter_case, kind="love_letter", by=demo_officer)


def test_every_kind_can_be_issued_once_its_parts_are_written(letter_case, demo_officer, issue):
    letter_case.outcome_reasons = "Reasons given."
    letter_case.refusal_ground = RefusalGround.MANIFESTLY_UNFOUNDED
    letter_case.save()
    with time_machine.travel(letter_case.received_on, tick=False):
        case_services.case_extend(case=letter_case, by=demo_officer, reason="Complex.")
    for key, kind in LETTER_KINDS.items():
        fields = {spec.name: f"Text for {spec.name}." for spec in kind.fields}
        with time_machine.travel(letter_case.received_on, tick=False):
            document = issue(
                case=letter_case, kind=key, by=demo_officer, fields=fields, delivery="post"
            )
        document.refresh_from_db()
        assert document.is_ready, key


# --- robustness ------------------------------------------------------------------------


def test_a_failed_email_rests_as_pending_and_a_retry_sends_it_once(letter_case, demo_officer):
    from unittest import mock

    document = services.letter_issue(
        case=letter_case, kind="acknowledgement", by=demo_officer, delivery="email"
    )
    services.document_make_pdf(document_id=document.pk)
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")),
        pytest.raises(OSError),
    ):
        services.document_email(document_id=document.pk)
    email = OutgoingEmail.objects.get(case=letter_case, template="letter")
    # The outbox's rule for every email: pending again until its attempts run out.
    assert email.state == OutgoingEmail.State.PENDING and email.attempts == 1
    assert services.document_email(document_id=document.pk) is True
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT and email.attempts == 2
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(template="letter").count() == 1


def test_the_sweep_finds_letters_whose_tasks_never_ran(letter_case, demo_officer):
    from dsar.tasks import send_pending_emails
    from exports.tasks import make_stuck_letters

    # Issued without running the after-commit callbacks: as if the broker were down.
    pdf_only = services.letter_issue(
        case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post"
    )
    to_email = services.letter_issue(
        case=letter_case, kind="acknowledgement", by=demo_officer, delivery="email"
    )
    assert services.stuck_letter_ids() == ([], [])  # too recent to be called stuck
    with time_machine.travel(dt.timedelta(minutes=11)):
        assert services.stuck_letter_ids() == ([pdf_only.pk, to_email.pk], [])
        assert make_stuck_letters() == 2  # eager in tests: the PDFs are made now
    assert not Document.objects.filter(status=Document.Status.PENDING).exists()
    # The email was written with the PDF; from there it is the outbox's to send and sweep.
    assert services.stuck_letter_ids() == ([], [])
    with time_machine.travel(dt.timedelta(minutes=22)):
        assert send_pending_emails() == 1
    assert len(mail.outbox) == 1
    assert Document.objects.get(pk=to_email.pk).emailed_at is not None


def test_purging_a_case_removes_its_letters_corrections_and_files(
    letter_case, demo_officer, issue, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    original = issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post")
    correction = issue(
        case=letter_case,
        kind="acknowledgement",
        by=demo_officer,
        delivery="post",
        corrects=original,
    )
    names = [original.file.name, correction.file.name]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        letter_case.delete()
    assert not Document.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
