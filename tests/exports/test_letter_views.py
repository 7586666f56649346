"""The letter pages: preview, drafts, issue and download, and who may do each."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from exports.letters.models import LetterDraft
from exports.models import Document
from tests.exports.conftest import pdf_text
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def compose_url(case, kind="acknowledgement") -> str:
    return reverse("exports:letter", args=[case.reference, kind])


def preview_url(case, kind="acknowledgement") -> str:
    return reverse("exports:letter_preview", args=[case.reference, kind])


def download_url(document) -> str:
    return reverse("exports:document_download", args=[document.case.reference, document.pk])


@pytest.fixture
def issued(case, officer, issue):
    """An acknowledgement on the shared `case`, issued for post, its PDF made."""
    case.requester_address = "1 High Street\nTown\nAB1 2CD"
    case.save()
    return issue(case=case, kind="acknowledgement", by=officer, delivery="post")


def post_letter(client, case, kind="acknowledgement", action="issue", **fields):
    data = {"delivery": "post", "action": action, **fields}
    return client.post(compose_url(case, kind), data)


@pytest.fixture
def post_issue(client, django_capture_on_commit_callbacks):
    def _post(case, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return post_letter(client, case, **fields)

    return _post


# --- officers --------------------------------------------------------------------------


def test_officer_sees_the_written_parts_beside_a_preview(officer_client, case):
    response = officer_client.get(compose_url(case))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="next_steps"' in text
    assert f'src="{preview_url(case)}"' in text
    assert "Issue the letter" in text


def test_preview_is_the_letter_as_html_and_may_be_framed_by_our_pages(officer_client, case):
    response = officer_client.get(preview_url(case))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    text = response.content.decode()
    assert case.reference in text and case.controller.ico_registration in text


def test_saving_a_draft_updates_the_preview_and_issues_nothing(officer_client, case):
    response = post_letter(officer_client, case, action="preview", note="Said on the phone.")
    assert response.status_code == 302
    assert LetterDraft.objects.get(case=case, kind="acknowledgement").fields["note"] == (
        "Said on the phone."
    )
    assert "Said on the phone." in officer_client.get(preview_url(case)).content.decode()
    assert not Document.objects.exists()


def test_the_preview_lists_required_parts_still_to_complete(officer_client, case):
    case.right = "access"
    case.save()
    text = officer_client.get(compose_url(case, "access_response")).content.decode()
    assert "To be completed before issuing" in text
    assert 'href="#id_purposes"' in text


def test_officer_issues_a_letter_and_downloads_its_pdf(client, officer, case, post_issue):
    client.force_login(officer)
    case.requester_address = "1 High Street\nTown\nAB1 2CD"
    case.save()
    response = post_issue(case, next_steps="We are on it.", note="Thank you for your patience.")
    assert response.status_code == 302
    assert response["Location"].endswith(f"{case.get_absolute_url()}#documents")
    document = Document.objects.get(case=case)
    assert document.produced_by == officer and document.delivery == "post"

    download = client.get(download_url(document))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    download.close()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert "Thank you for your patience." in pdf_text(data)


def test_a_refused_issue_shows_why_and_keeps_the_text(officer_client, case):
    case.right = "access"
    case.save()
    response = post_letter(officer_client, case, "access_response", purposes="Billing.")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Complete every required part before issuing" in text
    assert "Billing." in text
    assert not Document.objects.exists()


def test_case_page_lists_documents_and_letters_to_write(officer_client, case, issued):
    text = officer_client.get(case.get_absolute_url()).content.decode()
    assert "Letters and documents" in text
    assert download_url(issued) in text
    assert compose_url(case, "access_response") in text
    assert f"{compose_url(case)}?corrects={issued.pk}" in text


def test_a_correction_form_names_the_letter_it_corrects(officer_client, case, issued):
    text = officer_client.get(f"{compose_url(case)}?corrects={issued.pk}").content.decode()
    assert "This letter will correct" in text
    assert f'name="corrects" value="{issued.pk}"' in text


def test_unknown_letters_and_other_cases_documents_are_not_found(officer_client, case, issued):
    other = CaseFactory(controller=case.controller)
    assert officer_client.get(compose_url(case, "love_letter")).status_code == 404
    wrong_case = reverse("exports:document_download", args=[other.reference, issued.pk])
    assert officer_client.get(wrong_case).status_code == 404
    assert officer_client.get(f"{compose_url(other)}?corrects={issued.pk}").status_code == 404


# --- auditors, outsiders, anonymous ------------------------------------------------------


def test_auditor_may_preview_and_download_but_not_issue(client, auditor, case, issued):
    client.force_login(auditor)
    page = client.get(compose_url(case))
    assert page.status_code == 200
    assert "Issue the letter" not in page.content.decode()
    assert client.get(preview_url(case)).status_code == 200
    assert client.get(download_url(issued)).status_code == 200
    assert post_letter(client, case).status_code == 403
    assert post_letter(client, case, action="preview").status_code == 403
    assert Document.objects.count() == 1 and not LetterDraft.objects.exists()


def test_outsider_gets_not_found_everywhere(client, outsider, case, issued):
    client.force_login(outsider)
    assert client.get(compose_url(case)).status_code == 404
    assert client.get(preview_url(case)).status_code == 404
    assert client.get(download_url(issued)).status_code == 404
    assert post_letter(client, case).status_code == 404
    assert Document.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, case, issued):
    for url in (compose_url(case), preview_url(case), download_url(issued)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert post_letter(client, case).status_code == 302
    assert Document.objects.count() == 1


def test_the_documents_panel_costs_the_same_queries_however_many_letters(
    officer_client, case, officer, issue
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case.requester_address = "1 High Street"
    case.save()
    first = issue(case=case, kind="acknowledgement", by=officer, delivery="post")
    with CaptureQueriesContext(connection) as one:
        officer_client.get(case.get_absolute_url())
    for _ in range(3):
        issue(case=case, kind="acknowledgement", by=officer, delivery="post", corrects=first)
    with CaptureQueriesContext(connection) as four:
        text = officer_client.get(case.get_absolute_url()).content.decode()
    assert len(four) == len(one)
    assert "Corrected by a later letter" in text
