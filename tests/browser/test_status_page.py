"""A requester opens their status link and uploads a PDF; an officer passes the check; the
requester's page then shows the new due date."""

import re
from datetime import timedelta

import pytest

from dsar import deadlines, services
from dsar.choices import Channel, Right, Status
from identity.demo import sample_pdf
from tests.browser.conftest import assert_accessible, assert_no_third_party_requests, screenshot
from tests.factories import PASSWORD
from tests.identity.factories import EXE, PolicyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expected_due(controller, received, identity_received) -> str:
    result = deadlines.compute_deadline(
        deadlines.DeadlineInput(
            received=received,
            **controller.deadline_options(),
            identity_received=identity_received,
        )
    )
    return f"{result.due:%A} {result.due.day} {result.due:%B %Y}"


def test_requester_uploads_a_pdf_and_sees_the_new_due_date_once_an_officer_passes_it(
    page, browser, live_server, controller, officer, tmp_path
):
    controller.accepted_identity_documents = ["Colour copy of passport", "Driving licence"]
    controller.save()
    PolicyFactory(controller=controller, right=Right.ACCESS, require_email_ownership=False)
    today = controller.today()
    received = today - timedelta(days=10)
    case = services.case_create(
        controller=controller,
        right=Right.ACCESS,
        channel=Channel.EMAIL,
        fields={"requester_name": "Ada Lovelace", "requester_email": "ada@example.net"},
        received_on=received,
        by=officer,
    )
    assert case.status == Status.AWAITING_IDENTITY
    body = case.emails.get(template="identity_request").body_text
    link = re.search(r"https?://\S+?(/status/\S+/)", body).group(1)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    # The requester opens the link: what is needed, and no due date yet.
    page.goto(link)
    assert page.get_by_role("heading", name="What we need from you").is_visible()
    assert "The time limit starts when we have what we need" in page.content()
    assert_accessible(page)
    screenshot(page, "status-page")

    # An executable renamed .pdf is refused, with the document choice kept.
    exe = tmp_path / "passport.pdf"
    exe.write_bytes(EXE)
    page.get_by_label("Colour copy of passport").check()
    page.get_by_label("Choose a file").set_input_files(str(exe))
    page.get_by_role("button", name="Send this file").click()
    summary = page.locator(".error-summary")
    assert "not a PDF, JPEG or PNG" in summary.inner_text()
    assert page.get_by_label("Colour copy of passport").is_checked()
    assert_accessible(page)
    screenshot(page, "status-page-upload-refused")

    # A real PDF is taken.
    pdf = tmp_path / "passport-scan.pdf"
    pdf.write_bytes(sample_pdf())
    page.get_by_label("Choose a file").set_input_files(str(pdf))
    page.get_by_role("button", name="Send this file").click()
    page.get_by_text("Thank you: we have your file.").wait_for()
    assert "We have 1 file from you for this" in page.content()

    # An officer opens the evidence and passes the check.
    officer_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    officer_page = officer_context.new_page()
    officer_page.goto(f"/cases/{case.reference}/")
    officer_page.get_by_label("Username").fill(officer.username)
    officer_page.get_by_label("Password").fill(PASSWORD)
    officer_page.get_by_role("button", name="Sign in").click()
    officer_page.wait_for_url(re.compile(rf"/cases/{case.reference}/$"))
    panel = officer_page.locator("#identity")
    assert panel.get_by_text("Pending").first.is_visible()
    # Issue 18: a PDF of evidence is sent sandboxed, as a download, so fetch it as the
    # officer's browser does rather than opening a tab.
    href = panel.get_by_role("link", name=re.compile("View evidence file")).get_attribute("href")
    fetched = officer_page.request.get(href)
    assert fetched.ok
    assert fetched.headers["content-security-policy"] == "sandbox"
    panel.get_by_text("Review this check").click()
    panel.get_by_label("Passed: the evidence checks out").check()
    panel.get_by_label("Reason or notes").fill("Passport matches the account name.")
    assert_accessible(officer_page)
    screenshot(officer_page, "case-identity-panel")
    panel.get_by_role("button", name="Save the decision").click()
    officer_page.get_by_text("Every check is done").wait_for()
    assert case.events.filter(kind="evidence_viewed").count() == 1
    officer_context.close()

    # The requester's page now shows the due date, counted from today's evidence.
    page.reload()
    due = expected_due(controller, received, today)
    assert f"We must reply by {due}" in page.content()
    assert expected_due(controller, received, None) != due
    assert "Proof of your identity: checked, thank you." in page.content()
    assert_accessible(page)
    screenshot(page, "status-page-verified")
    assert_no_third_party_requests(requests, live_server.url)


def test_the_new_link_page_is_accessible_and_never_says_whether_a_request_exists(page, controller):
    page.goto("/status/")
    assert_accessible(page)
    page.get_by_role("button", name="Email me a link").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    screenshot(page, "status-ask-for-link-errors")
    page.get_by_label("Organisation you made the request to").select_option(controller.slug)
    page.get_by_label("Email address").fill("nobody@example.net")
    page.get_by_role("button", name="Email me a link").click()
    page.wait_for_url(re.compile(r"/status/sent/$"))
    assert "If we hold a request for that address, we have emailed you a link." in page.content()
    assert_accessible(page)
    screenshot(page, "status-link-sent")
