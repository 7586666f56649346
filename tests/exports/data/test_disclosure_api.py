"""Issue 14's API, as another system would use it: review the records with what is
withheld, add a document to the bundle, follow a suggestion, mark, redact, read the job;
auditors read only and other controllers' officers see nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from dsar.choices import Role
from tests.exports.data.conftest import DATA_DB
from tests.exports.data.pdfs import THIRD, THIRD_EMAIL, contains, letter_pdf
from tests.exports.data.test_review import searched
from tests.factories import ControllerFactory, api_client_for, officer_of

pytestmark = DATA_DB


def test_review_and_withhold_through_the_api(demo_db, jane_case, data_officer, run):
    searched(run, jane_case, data_officer)
    api = api_client_for(data_officer)
    base = f"/api/v1/cases/{jane_case.reference}/data"

    tabs = api.get(f"{base}/review/").json()["tabs"]
    identity = next(t for t in tabs if t["category"] == "Identity")
    assert identity["count"] == 1 and identity["withheld"] is False
    query = {"source": identity["source"], "category": "Identity"}
    page = api.get(f"{base}/review/records/", query).json()
    assert "first_name" in page["columns"] and page["count"] == 1
    assert page["results"][0]["record"]["first_name"] == "Jane"

    made = api.post(
        f"{base}/withholdings/",
        {
            "scope": "field", "source": identity["source"], "category": "Identity",
            "record": 0, "field": "first_name", "exemption": "third_party",
            "reason": "Names her partner.",
        },
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["exemption_label"].startswith("Third-party data (DPA 2018 Sch 2 para 16)")
    row = api.get(f"{base}/review/records/", query).json()["results"][0]
    assert row["fields_withheld"] == {"first_name": "third_party"}

    refused = api.post(
        f"{base}/withholdings/",
        {"scope": "record", "category": "Identity", "exemption": "third_party"},
        format="json",
    )
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]


def test_bundle_suggestion_marks_and_redaction_job_through_the_api(
    demo_db, jane_case, data_officer, run
):
    searched(run, jane_case, data_officer)
    api = api_client_for(data_officer)
    base = f"/api/v1/cases/{jane_case.reference}/data"

    added = api.post(
        f"{base}/bundle/",
        {"title": "Call notes", "file": SimpleUploadedFile("notes.pdf", letter_pdf())},
        format="multipart",
    )
    assert added.status_code == 201, added.content
    document = added.json()
    assert document["content_type"] == "application/pdf" and not document["redacted_copy_ready"]

    bad = api.post(
        f"{base}/bundle/",
        {"title": "Program", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 renamed")},
        format="multipart",
    )
    assert bad.status_code == 400 and "not a PDF" in bad.json()["errors"]["file"][0]

    suggestions = {s["value"] for s in api.get(f"{base}/suggestions/").json()}
    assert THIRD_EMAIL in suggestions
    marked = api.post(
        f"{base}/bundle/{document['id']}/redactions/",
        {"term": THIRD, "exemption": "third_party", "reason": "A colleague's name."},
        format="json",
    )
    assert marked.status_code == 201 and marked.json()["kind"] == "term"
    follow = api.post(
        f"{base}/suggestions/redact/",
        {"term": THIRD_EMAIL, "exemption": "third_party", "reason": "A colleague's email."},
        format="json",
    )
    assert follow.status_code in (200, 201), follow.content

    with_marks = api.get(f"{base}/bundle/{document['id']}/").json()
    assert {m["term"] for m in with_marks["redactions"]} >= {THIRD, THIRD_EMAIL}
    job = run(lambda: api.post(f"{base}/bundle/{document['id']}/jobs/"))
    assert job.status_code == 202
    jobs = api.get(f"{base}/bundle/{document['id']}/jobs/").json()
    assert jobs[0]["status"] == "ready"
    assert api.get(f"{base}/bundle/{document['id']}/").json()["redacted_copy_ready"] is True

    with jane_case.bundle_documents.get().jobs.get().file.open("rb") as handle:
        copy = handle.read()
    assert not contains(copy, THIRD) and not contains(copy, THIRD_EMAIL)


def test_auditors_read_and_strangers_see_nothing(demo_db, jane_case, data_officer, run):
    searched(run, jane_case, data_officer)
    base = f"/api/v1/cases/{jane_case.reference}/data"
    auditor = api_client_for(officer_of(jane_case.controller, role=Role.AUDITOR, username="aud"))
    assert auditor.get(f"{base}/review/").status_code == 200
    body = {"scope": "category", "category": "Identity", "exemption": "other", "reason": "x"}
    assert auditor.post(f"{base}/withholdings/", body, format="json").status_code == 403
    stranger = api_client_for(officer_of(ControllerFactory(), username="stranger"))
    assert stranger.get(f"{base}/review/").status_code == 404
    assert stranger.get(f"{base}/bundle/").status_code == 404
