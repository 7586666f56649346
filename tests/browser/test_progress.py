"""A letter's PDF finishes while the officer looks at the case: the page shows it without
being reloaded (issue 15, point 7)."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from exports.models import Document
from tests.browser.conftest import assert_accessible, screenshot
from tests.factories import PASSWORD, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documents_section_updates_itself_when_the_pdf_is_ready(page, controller, officer):
    case = CaseFactory(controller=controller)
    letter = Document.objects.create(case=case, kind="acknowledgement", title="Acknowledgement")
    page.goto(case.get_absolute_url())
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(case.get_absolute_url()) + "$"))
    documents = page.locator("#documents")
    assert documents.get_by_text("PDF being made").is_visible()
    assert_accessible(page)
    page.evaluate("window.stillTheSamePage = true")

    name = default_storage.save("documents/test/ack.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    Document.objects.filter(pk=letter.pk).update(
        status=Document.Status.READY, file=name, sha256="b" * 64, size=15
    )
    page.locator("#documents").get_by_role("link", name=re.compile("Download PDF")).wait_for()
    assert page.evaluate("window.stillTheSamePage") is True  # swapped in, not reloaded
    assert page.locator("#documents[data-busy]").count() == 0
    screenshot(page, "case-documents-updated")
