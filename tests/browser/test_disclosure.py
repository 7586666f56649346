"""An officer reviews the records and withholds one, adds a letter to the bundle and
redacts it (a term, and an area dragged on the page preview), prepares the release; a
second officer approves it; the requester downloads the ZIP with the redacted PDF."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pymupdf
import pytest

from dsar.choices import Status
from exports.data.models import DownloadLink
from exports.data.services import collection
from exports.data.services.delivery import link_path
from tests.browser.conftest import assert_accessible, screenshot
from tests.exports.data import conftest as data_fixtures
from tests.exports.data.conftest import subject_case
from tests.exports.data.pdfs import SUBJECT, THIRD, THIRD_EMAIL, contains, letter_pdf
from tests.exports.data.test_redaction import blue_pixels, signature_area
from tests.factories import PASSWORD, officer_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "subject_data"]),
]


def sign_in(context, user, path: str):
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(path)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    return page


# The data map's fixtures (tests/exports/data/conftest.py), available to this module.
demo_db = data_fixtures.demo_db
mapped_controller = data_fixtures.mapped_controller


def test_review_redact_approve_and_download(browser, live_server, request, tmp_path):
    request.getfixturevalue("demo_db")
    controller = request.getfixturevalue("mapped_controller")
    controller.approve_release = controller.approve_responses = controller.approve_erasure = True
    controller.save()
    dana = officer_of(controller, username="dana", first_name="Dana", last_name="Reviewer")
    sam = officer_of(controller, username="sam", first_name="Sam", last_name="Approver")
    case = subject_case(controller, status=Status.IN_PROGRESS)
    found = collection.collection_start(case=case, by=dana)
    for result in found.results.filter(source__kind="manual"):
        collection.manual_upload(result=result, by=dana, handle=None, note="Looked: nothing.")
    for result in found.results.filter(source__kind="sql"):
        collection.source_result_run(result_id=result.pk)

    officer = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = sign_in(officer, dana, f"/cases/{case.reference}/")

    # Review: the records as a table; withhold the first call record.
    page.get_by_role("link", name="Review the records found").click()
    page.get_by_role("link", name=re.compile(r"Call recordings \(")).click()
    assert page.get_by_role("columnheader", name="recording_ref").is_visible()
    assert_accessible(page)
    row = page.locator("#record-0")
    row.get_by_text("Withhold").first.click()
    row.get_by_label("Exemption").select_option("legal_privilege")
    row.get_by_label("Reason").fill("Recorded advice from our solicitors.")
    row.get_by_role("button", name="Withhold").click()
    page.get_by_text("Withheld: Call recordings, record 1").first.wait_for()
    screenshot(page, "disclosure-review")

    # The bundle: add the call notes, mark the third party by term, the signature by area.
    page.goto(f"/cases/{case.reference}/data/bundle/")
    pdf = tmp_path / "call-notes.pdf"
    pdf.write_bytes(letter_pdf())
    page.get_by_label("What it is").fill("Call notes")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("button", name="Add to the bundle").click()
    page.get_by_text("Call notes added to the disclosure bundle.").wait_for()
    assert THIRD_EMAIL in page.locator(".suggestions").inner_text()
    assert_accessible(page)
    screenshot(page, "disclosure-bundle")
    page.get_by_role("link", name="Call notes").click()
    page.get_by_label("Term to redact everywhere").fill(THIRD)
    page.get_by_label("Reason").fill("A colleague's name.")
    page.get_by_role("button", name="Add the mark").click()
    page.get_by_text("Marked for redaction").wait_for()
    # Drag across the signature on the page preview: the script fills in the area.
    frame = page.locator(".page-frame").first
    frame.scroll_into_view_if_needed()
    # The preview loads lazily: measure the frame once its image is in, or the drag
    # lands beside a frame still without height.
    page.wait_for_function(
        "img => img.complete && img.naturalHeight > 0", arg=frame.locator("img").element_handle()
    )
    sign = signature_area(pdf.read_bytes()).box  # where the signature is, as fractions
    # The loaded page is taller than the window: bring the signature into view, or the
    # pointer lands outside the window and the page never sees the drag.
    frame.evaluate(
        "(el, y) => window.scrollBy(0, el.getBoundingClientRect().top"
        " + el.offsetHeight * y - window.innerHeight / 2)",
        sign[1],
    )
    box = frame.bounding_box()
    assert 0 < box["y"] + box["height"] * sign[3] < page.viewport_size["height"]
    page.mouse.move(
        box["x"] + box["width"] * (sign[0] - 0.02), box["y"] + box["height"] * (sign[1] - 0.01)
    )
    page.mouse.down()
    page.mouse.move(
        box["x"] + box["width"] * (sign[2] + 0.02),
        box["y"] + box["height"] * (sign[3] + 0.01),
        steps=5,
    )
    page.mouse.up()
    assert page.get_by_label("Page").input_value() == "1"
    assert float(page.get_by_label("Left edge (% of the width)").input_value()) > 5
    page.get_by_label("Reason").fill("A colleague's signature.")
    page.get_by_role("button", name="Add the mark").click()
    page.get_by_text("An area of page 1").first.wait_for()
    # The copy is made by a task; wait for the POST's redirect before reloading, or the
    # reload races the form's own navigation.
    with page.expect_navigation():
        page.get_by_role("button", name="Make the redacted copy").click()
    page.reload()
    page.get_by_text("This is what the requester receives").wait_for()
    assert_accessible(page)
    screenshot(page, "disclosure-redacted-document")

    # Prepare the release; approving it yourself is not offered.
    page.goto(f"/cases/{case.reference}/")
    page.get_by_role("button", name="Release the data found").click()
    page.get_by_text("Release prepared").wait_for()
    panel = page.locator("#disclosure")
    assert panel.get_by_text("Waiting for another officer").is_visible()
    assert panel.get_by_role("button", name=re.compile("^Approve")).count() == 0
    screenshot(page, "disclosure-waiting-for-approval")

    # A second officer approves.
    second = browser.new_context(base_url=live_server.url, locale="en-GB")
    approver = sign_in(second, sam, f"/cases/{case.reference}/")
    approver.locator("#disclosure").get_by_role("button", name=re.compile("^Approve")).click()
    approver.get_by_text("Approved: releasing the data found.").wait_for()
    assert_accessible(approver)
    screenshot(approver, "disclosure-approved")
    second.close()

    # The first officer makes the export and sends the link.
    page.reload()
    page.get_by_text("Make an export").click()
    page.get_by_role("button", name="Make the export").click()
    page.get_by_text("being made").first.wait_for()
    page.reload()
    page.get_by_text("Send a download link").first.click()
    page.get_by_role("button", name="Email the link").click()
    page.get_by_text("Download link made").wait_for()
    officer.close()

    # The requester downloads the ZIP: the redacted PDF is in it, the third party is not.
    link = DownloadLink.objects.get(document__case=case)

    requester = browser.new_context(base_url=live_server.url, locale="en-GB")
    download_page = requester.new_page()
    download_page.goto("/")
    with download_page.expect_download() as info:
        download_page.evaluate(
            "path => { const a = document.createElement('a'); a.href = path; "
            "a.download = ''; document.body.appendChild(a); a.click(); }",
            link_path(link),
        )
    saved = tmp_path / "export.zip"
    info.value.save_as(saved)
    requester.close()
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    manifest = json.loads(archive.read("manifest.json"))
    redacted = archive.read("documents/01-call-notes-redacted.pdf")
    assert not contains(redacted, THIRD) and not contains(redacted, THIRD_EMAIL)
    assert blue_pixels(redacted, signature_area(pdf.read_bytes())) == 0  # signature gone
    with pymupdf.open(stream=redacted, filetype="pdf") as doc:
        assert SUBJECT in doc[0].get_text() and THIRD not in doc[0].get_text()
    assert manifest["withheld"]["legal_privilege"]["records"] == 1
    assert manifest["withheld"]["third_party"]["redactions"] == 2
    link.refresh_from_db()
    assert link.download_count == 1
