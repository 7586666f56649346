"""A letter whose PDF cannot be stored, on its last attempt: failed, with the reason on
the case page, and made again from there (issue 20 point 3)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from dsar.choices import Role
from dsar.models import OutgoingEmail
from exports.models import Document
from tests.factories import officer_of

pytestmark = pytest.mark.django_db

REASON = "The PDF could not be stored (OSError)."


@pytest.fixture
def failed_letter(letter_case, demo_officer, issue):
    """Every attempt's storage write refused (a full disk), the last one included."""
    full = mock.patch.object(
        default_storage, "save", side_effect=OSError(28, "No space left on device")
    )
    with full:
        return issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="email")


def test_the_last_failed_attempt_marks_the_letter_failed_with_the_reason(
    failed_letter, letter_case, demo_officer, client
):
    assert failed_letter.status == Document.Status.FAILED
    assert failed_letter.failure == REASON
    assert not failed_letter.file
    assert not OutgoingEmail.objects.filter(case=letter_case, template="letter").exists()
    event = letter_case.events.get(kind="letter_failed")
    assert REASON in event.message

    client.force_login(demo_officer)
    page = client.get(letter_case.get_absolute_url()).content.decode()
    assert "The PDF could not be made" in page
    assert REASON in page
    assert reverse("exports:document_retry", args=[letter_case.reference, failed_letter.pk]) in page


def test_the_officer_makes_it_again_from_the_case_page_and_it_is_emailed_with_its_pdf(
    failed_letter, letter_case, demo_officer, client, django_capture_on_commit_callbacks
):
    client.force_login(demo_officer)
    url = reverse("exports:document_retry", args=[letter_case.reference, failed_letter.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    failed_letter.refresh_from_db()
    assert failed_letter.status == Document.Status.READY
    assert failed_letter.failure == ""
    email = OutgoingEmail.objects.get(case=letter_case, template="letter")
    assert [a["content_type"] for a in email.attachments] == ["application/pdf"]
    assert letter_case.events.filter(kind="letter_retried").count() == 1
    # Asking again for a letter that is ready changes nothing.
    client.post(url)
    assert letter_case.events.filter(kind="letter_retried").count() == 1


def test_an_auditor_cannot_make_it_again(failed_letter, letter_case, client):
    auditor = officer_of(letter_case.controller, role=Role.AUDITOR, username="audra")
    client.force_login(auditor)
    url = reverse("exports:document_retry", args=[letter_case.reference, failed_letter.pk])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    failed_letter.refresh_from_db()
    assert failed_letter.status == Document.Status.FAILED
    assert "Make the PDF again" not in client.get(letter_case.get_absolute_url()).content.decode()
