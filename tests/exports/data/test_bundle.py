"""The disclosure bundle: documents checked by content, redacted by a task, their copies
in the export ZIP and manifest; suggestions of other people's details."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.urls import reverse

from dsar.errors import CaseActionError
from exports.data import selectors
from exports.data.models import Ground
from exports.data.services import collection, documents, exporting, suggestions
from tests.dsar.test_uploads import embedded_file, escaped_javascript
from tests.exports.data.conftest import DATA_DB
from tests.exports.data.pdfs import SUBJECT, THIRD, THIRD_EMAIL, contains, letter_pdf
from tests.exports.data.test_exports import open_zip
from tests.exports.data.test_review import searched

pytestmark = DATA_DB


def add(case, officer, data: bytes, title: str = "Call notes"):
    return documents.bundle_add(
        case=case, by=officer, handle=io.BytesIO(data), size=len(data), title=title
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00 a program renamed .pdf", "not a PDF, PNG, JPEG or plain text"),
        (escaped_javascript(), "contains JavaScript"),
        (embedded_file(), "contains an embedded file"),
        (b"%PDF-1.7 and then nothing", "damaged and cannot be read"),
        (b"\x89PNG\r\n\x1a\nbroken", "damaged"),
        (b"", "empty"),
    ],
)
def test_files_are_checked_by_content(jane_case, data_officer, data, message):
    with pytest.raises(CaseActionError, match=message):
        add(jane_case, data_officer, data)
    assert not jane_case.bundle_documents.exists()


def test_a_redacted_pdf_goes_into_the_export_and_the_original_does_not(
    demo_db, jane_case, data_officer, run
):
    original = letter_pdf()
    document = add(jane_case, data_officer, original)
    assert document.pages == 1 and document.sha256 == hashlib.sha256(original).hexdigest()
    documents.redaction_add(
        document=document, by=data_officer, term=THIRD, ground=Ground.THIRD_PARTY,
        reason="A colleague's name.",
    )  # fmt: skip
    # One click on the suggestion: the email is marked in every document holding it.
    found = {s.value: s for s in suggestions.suggestions(jane_case)}
    assert THIRD_EMAIL in found and found[THIRD_EMAIL].documents == ["Call notes"]
    assert not any("jane.doe" in v for v in found)  # the subject's own address is not flagged
    suggestions.suggestion_redact(
        case=jane_case, term=THIRD_EMAIL, ground=Ground.THIRD_PARTY, reason="Colleague.",
        by=data_officer,
    )  # fmt: skip
    documents.redaction_add(
        document=document, by=data_officer, page=1, box=(0.05, 0.4, 0.6, 0.6),
        ground=Ground.THIRD_PARTY, reason="A signature.",
    )  # fmt: skip
    found_search = searched(run, jane_case, data_officer)
    run(collection.collection_release, collection=found_search, by=data_officer)
    with pytest.raises(CaseActionError, match="redacted copy of Call notes"):
        exporting.export_create(case=jane_case, purpose="access", by=data_officer)

    job = run(documents.redaction_job_start, document=document, by=data_officer)
    job.refresh_from_db()
    assert job.status == "ready", job.error
    with job.file.open("rb") as handle:
        redacted = handle.read()
    assert hashlib.sha256(redacted).hexdigest() == job.sha256
    assert not contains(redacted, THIRD) and not contains(redacted, THIRD_EMAIL)
    assert jane_case.events.filter(kind="redaction_made").exists()
    # The trail never repeats what is hidden.
    assert THIRD not in json.dumps(list(jane_case.events.values_list("message", "data")))

    export = run(exporting.export_create, case=jane_case, purpose="access", by=data_officer)
    export.refresh_from_db()
    assert export.document.status == "ready", export.error
    archive = open_zip(export.document)
    manifest = json.loads(archive.read("manifest.json"))
    (entry,) = [f for f in manifest["files"] if f["name"].startswith("documents/")]
    assert entry["name"] == "documents/01-call-notes-redacted.pdf"
    assert entry["sha256"] == job.sha256 and entry["document"] == "Call notes"
    body = archive.read(entry["name"])
    assert body == redacted
    assert manifest["withheld"]["third_party"]["redactions"] == 3
    assert SUBJECT.encode() not in archive.read("manifest.json")
    assert not any(original == archive.read(n) for n in archive.namelist())


def test_changing_the_marks_makes_the_copy_out_of_date(jane_case, data_officer, run):
    document = add(jane_case, data_officer, b"Notes: call Sam on 07700 900456.")
    job = run(documents.redaction_job_start, document=document, by=data_officer)
    job.refresh_from_db()
    assert selectors.current_copy(document) == job
    documents.redaction_add(
        document=document, by=data_officer, term="07700 900456", ground=Ground.THIRD_PARTY,
        reason="Sam's number.",
    )  # fmt: skip
    assert selectors.current_copy(document) is None
    assert selectors.pending_copies(jane_case) == ["Call notes"]


def test_the_bundle_pages_work_for_officers_only(
    client, jane_case, data_officer, run, django_user_model
):
    document = add(jane_case, data_officer, letter_pdf())
    client.force_login(data_officer)
    page = client.get(reverse("exports:bundle_document", args=[jane_case.reference, document.pk]))
    assert page.status_code == 200 and b"Make the redacted copy" in page.content
    image = client.get(
        reverse("exports:bundle_preview", args=[jane_case.reference, document.pk, 1])
    )
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")
    assert image["X-Content-Type-Options"] == "nosniff"
    response = client.post(
        reverse("exports:mark_add", args=[jane_case.reference, document.pk]),
        {"page": "1", "left": "10", "top": "40", "right": "60", "bottom": "60",
         "ground": "third_party", "reason": "A signature."},
    )  # fmt: skip
    assert response.status_code == 302
    assert document.redactions.get().box == pytest.approx((0.1, 0.4, 0.6, 0.6))
    outsider = django_user_model.objects.create_user("nosy", password="x")
    client.force_login(outsider)
    assert client.get(reverse("exports:bundle", args=[jane_case.reference])).status_code == 404
