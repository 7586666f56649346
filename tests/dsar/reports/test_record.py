"""A case's record for a regulator: one PDF with every event and every document hash."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from dsar import services
from dsar.choices import Outcome, Role, Status
from dsar.models import AccessLog, CaseEvent
from exports.models import Document
from identity import evidence_services
from identity.choices import Method, StepStatus
from identity.models import VerificationStep
from tests.factories import CaseFactory, officer_of
from tests.identity.factories import PNG, StepFactory, upload

pytestmark = pytest.mark.django_db

LETTER_HASH = "a" * 32 + "0123456789abcdef" * 2
EXPORT_HASH = "f" * 32 + "fedcba9876543210" * 2
DRAFT_HASH = "d" * 64


@pytest.fixture
def worked_case(controller, officer):
    """A case worked through the services: paused, resumed, extended, checked, answered."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        case = services.case_create(
            controller=controller,
            right="access",
            channel="email",
            fields={"requester_name": "Ada Lovelace", "requester_email": "ada@example.net"},
            received_on=dt.date(2026, 3, 2),
            by=officer,
        )
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        services.case_pause(case=case, by=officer, reason="Which of the two loyalty accounts?")
    with time_machine.travel(dt.datetime(2026, 3, 9, 11, 0, tzinfo=dt.UTC), tick=False):
        services.case_resume(case=case, by=officer)
        services.case_extend(case=case, by=officer, reason="Complex: records in nine systems.")
    step = StepFactory(case=case, method=Method.IDENTITY_DOCUMENT)
    evidence_services.evidence_add(step=step, upload=upload(PNG, "passport.png", "image/png"))
    VerificationStep.objects.filter(pk=step.pk).update(
        status=StepStatus.PASSED,
        reviewed_by=officer,
        reviewed_at=timezone.now(),
        decision_note="Passport matches the account holder.",
    )
    Document.objects.create(
        case=case, kind="acknowledgement", title="Acknowledgement of your request",
        status=Document.Status.READY, sha256=LETTER_HASH, delivery="email",
        issued_at=timezone.now(), produced_by=officer,
    )  # fmt: skip
    Document.objects.create(
        case=case, category=Document.Category.EXPORT, kind="export", title="Your data (ZIP)",
        status=Document.Status.READY, sha256=EXPORT_HASH,
    )  # fmt: skip
    Document.objects.create(  # a draft never issued: not "sent"
        case=case, kind="refusal", title="Refusal draft", status=Document.Status.READY,
        sha256=DRAFT_HASH,
    )  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 4, 20, 15, 0, tzinfo=dt.UTC), tick=False):
        services.case_submit_for_review(case=case, by=officer, note="Checked twice.")
        services.case_close(case=case, by=officer, outcome=Outcome.FULFILLED)
    case.refresh_from_db()
    return case


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_every_event_and_every_document_hash(officer_client, worked_case):
    events = list(CaseEvent.objects.filter(case=worked_case))

    response = officer_client.get(f"/cases/{worked_case.reference}/record.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"record-{worked_case.reference}.pdf" in response["Content-Disposition"]
    text = text_of(response.content)
    assert f"Record of request {worked_case.reference}" in text
    assert len(events) >= 5
    for event in events:
        assert event.kind.replace("_", " ").capitalize() in text, event.kind
        if event.message:
            assert squash(event.message) in text, event.message
    assert LETTER_HASH in text and EXPORT_HASH in text
    assert DRAFT_HASH not in text  # never issued, so never sent


def test_the_pdf_has_the_summary_the_deadline_and_the_checks(officer_client, worked_case):
    text = text_of(officer_client.get(f"/cases/{worked_case.reference}/record.pdf").content)

    assert "Ada Lovelace" in text
    assert "Complex: records in nine systems." in text
    assert "Paused Thu 5 Mar 2026 to Mon 9 Mar 2026, both included: 5 days." in text
    for line in services.compute_case_deadline(worked_case).explanation:
        assert squash(line) in text
    assert "Identity document" in text
    assert "Passport matches the account holder." in text
    assert "1 file" in text
    assert "passport.png" not in text  # the evidence is not in the record


def test_each_download_is_an_event_and_a_logged_read(client, controller, worked_case):
    auditor = officer_of(controller, role=Role.AUDITOR, username="audrey")
    client.force_login(auditor)

    first = client.get(f"/cases/{worked_case.reference}/record.pdf")
    client.get(f"/cases/{worked_case.reference}/record.pdf")

    downloads = CaseEvent.objects.filter(case=worked_case, kind="record_downloaded")
    assert downloads.count() == 2
    assert {e.actor for e in downloads} == {auditor}
    assert downloads.first().data["sha256"] == first["X-Content-SHA256"]
    assert AccessLog.objects.filter(user=auditor, case=worked_case, kind="record").count() == 2
    # The second PDF shows the first download in its timeline.
    third = client.get(f"/cases/{worked_case.reference}/record.pdf")
    assert "Record downloaded" in text_of(third.content)


def test_an_officer_of_another_controller_gets_a_404(client, outsider, worked_case):
    client.force_login(outsider)

    response = client.get(f"/cases/{worked_case.reference}/record.pdf")

    assert response.status_code == 404
    assert not CaseEvent.objects.filter(kind="record_downloaded").exists()


def test_the_case_page_offers_the_record(officer_client, controller):
    case = CaseFactory(controller=controller, status=Status.IN_PROGRESS)

    page = officer_client.get(case.get_absolute_url()).content.decode()

    assert re.search(rf'href="/cases/{case.reference}/record.pdf"', page)
