"""/api/v1/cases/<reference>/verification/...: steps, decisions and evidence by API."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from dsar.choices import Status
from dsar.models import Case
from identity import evidence_services
from identity.choices import Method, StepStatus
from identity.models import EvidenceFile, VerificationStep
from tests.factories import CaseFactory
from tests.identity.factories import EXE, PDF, PNG, StepFactory, upload


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def base(case) -> str:
    return f"/api/v1/cases/{case.reference}/verification/"


@pytest.fixture
def officer_api(officer):
    return client_for(officer)


@pytest.fixture
def stored_evidence(step):
    return evidence_services.evidence_add(step=step, upload=upload(PNG, "id.png", "image/png"))


# --- reading ---------------------------------------------------------------------------


def test_steps_are_listed_with_their_evidence(officer_api, waiting_case, stored_evidence):
    response = officer_api.get(base(waiting_case) + "steps/")

    assert response.status_code == 200
    [step] = response.json()
    assert (step["method"], step["status"]) == ("identity_document", "pending")
    [item] = step["evidence"]
    assert item["content_type"] == "image/png"
    assert item["uploaded_by"] is None
    assert item["download_url"].endswith(
        f"{base(waiting_case)}evidence/{stored_evidence.pk}/download/"
    )


def test_one_step_and_a_step_of_another_case_is_404(officer_api, waiting_case, step, controller):
    other = StepFactory(case=CaseFactory(controller=controller))

    assert officer_api.get(base(waiting_case) + f"steps/{step.pk}/").json()["id"] == step.pk
    assert officer_api.get(base(waiting_case) + f"steps/{other.pk}/").status_code == 404


# --- asking ----------------------------------------------------------------------------


def test_asking_for_a_check_moves_the_case_to_awaiting_identity(officer_api, case, mailoutbox):
    response = officer_api.post(
        base(case) + "steps/", {"method": "identity_document", "note": "A passport."}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["case_status"] == "awaiting_identity"
    assert body["step"]["method"] == "identity_document"
    assert body["step"]["requested_by"] == "olivia"
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_IDENTITY


def test_asking_for_an_unknown_method_is_a_field_error(officer_api, case):
    response = officer_api.post(base(case) + "steps/", {"method": "dna_test"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["method"]


def test_asking_twice_for_the_same_pending_check_is_refused(officer_api, waiting_case):
    response = officer_api.post(
        base(waiting_case) + "steps/", {"method": "identity_document"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"method": [response.json()["detail"]]}
    assert "already waiting" in response.json()["detail"]


# --- deciding --------------------------------------------------------------------------


def test_passing_the_last_step_starts_the_clock(officer_api, waiting_case, step):
    received = str(waiting_case.received_on)
    response = officer_api.post(
        base(waiting_case) + f"steps/{step.pk}/pass/",
        {"note": "Passport matches.", "evidence_received_on": received},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["step"]["status"] == "passed"
    assert body["step"]["reviewed_by"] == "olivia"
    assert body["case_status"] == "in_progress"
    assert Case.objects.get(pk=waiting_case.pk).identity_received_on == waiting_case.received_on


def test_an_evidence_date_in_the_future_is_refused(officer_api, waiting_case, step):
    future = waiting_case.controller.today() + dt.timedelta(days=3)

    response = officer_api.post(
        base(waiting_case) + f"steps/{step.pk}/pass/",
        {"evidence_received_on": str(future)},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["evidence_received_on"]
    assert VerificationStep.objects.get(pk=step.pk).status == StepStatus.PENDING


def test_failing_with_refuse_refuses_the_request(officer_api, waiting_case, step):
    response = officer_api.post(
        base(waiting_case) + f"steps/{step.pk}/fail/",
        {"reason": "The photo is of someone else.", "refuse": True},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["step"]["status"] == "failed"
    assert response.json()["case_status"] == "refused"


def test_waiving_needs_a_reason(officer_api, waiting_case, step):
    response = officer_api.post(base(waiting_case) + f"steps/{step.pk}/waive/", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]


def test_a_decided_step_cannot_be_decided_again(officer_api, waiting_case, step):
    officer_api.post(base(waiting_case) + f"steps/{step.pk}/waive/", {"reason": "Known customer."})

    response = officer_api.post(base(waiting_case) + f"steps/{step.pk}/pass/", {}, format="json")

    assert response.status_code == 400
    assert "already waived" in response.json()["detail"]


def test_request_more_emails_the_status_link_again(officer_api, waiting_case, step):
    response = officer_api.post(
        base(waiting_case) + "request-more/", {"message": "The back of the card too."}
    )

    assert response.status_code == 200, response.json()
    assert [s["id"] for s in response.json()["pending"]] == [step.pk]
    assert waiting_case.events.filter(kind="evidence_requested").exists()


def test_request_more_with_nothing_pending_is_refused(officer_api, case):
    response = officer_api.post(base(case) + "request-more/", {})

    assert response.status_code == 400
    assert "Nothing is waiting" in response.json()["detail"]


def test_close_unverified_refuses_the_case(officer_api, waiting_case):
    response = officer_api.post(
        base(waiting_case) + "close-unverified/", {"reasons": "No evidence in eight weeks."}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "refused"
    assert response.json()["refusal_ground"] == "identity_not_verified"


# --- evidence --------------------------------------------------------------------------


def test_an_officer_uploads_evidence_received_by_post(officer_api, waiting_case, step):
    response = officer_api.post(
        base(waiting_case) + f"steps/{step.pk}/evidence/",
        {"file": upload(PDF), "document_kind": "Passport"},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["content_type"], body["uploaded_by"]) == ("application/pdf", "olivia")
    event = waiting_case.events.get(kind="evidence_uploaded")
    assert event.actor_kind == "officer"


def test_an_upload_that_is_not_a_pdf_jpeg_or_png_is_a_field_error(officer_api, waiting_case, step):
    response = officer_api.post(
        base(waiting_case) + f"steps/{step.pk}/evidence/",
        {"file": upload(EXE, "passport.pdf")},
        format="multipart",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
    assert not EvidenceFile.objects.exists()


def test_an_upload_without_a_file_is_a_field_error(officer_api, waiting_case, step):
    response = officer_api.post(
        base(waiting_case) + f"steps/{step.pk}/evidence/", {}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


def test_download_streams_the_file_and_records_the_viewing(
    officer_api, waiting_case, stored_evidence
):
    url = base(waiting_case) + f"evidence/{stored_evidence.pk}/download/"

    response = officer_api.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG
    assert waiting_case.events.filter(kind="evidence_viewed", actor__username="olivia").exists()


def test_evidence_is_reached_only_through_its_own_case(
    officer_api, controller, waiting_case, stored_evidence
):
    other = CaseFactory(controller=controller)

    response = officer_api.get(base(other) + f"evidence/{stored_evidence.pk}/download/")

    assert response.status_code == 404


# --- who may do what -------------------------------------------------------------------


def test_an_auditor_reads_steps_but_cannot_act_or_download(
    auditor, waiting_case, step, stored_evidence
):
    api = client_for(auditor)

    assert api.get(base(waiting_case) + "steps/").status_code == 200
    for url, body in [
        ("steps/", {"method": Method.KNOWLEDGE_CHECK}),
        (f"steps/{step.pk}/pass/", {}),
        (f"steps/{step.pk}/fail/", {"reason": "x"}),
        (f"steps/{step.pk}/waive/", {"reason": "x"}),
        ("request-more/", {}),
        ("close-unverified/", {"reasons": "x"}),
    ]:
        response = api.post(base(waiting_case) + url, body, format="json")
        assert response.status_code == 403, url
        assert "read-only" in response.json()["detail"]
    download = api.get(base(waiting_case) + f"evidence/{stored_evidence.pk}/download/")
    assert download.status_code == 403
    assert VerificationStep.objects.get(pk=step.pk).status == StepStatus.PENDING
    assert not waiting_case.events.filter(kind="evidence_viewed").exists()


def test_an_outsider_gets_404_everywhere(outsider, waiting_case, step, stored_evidence):
    api = client_for(outsider)

    assert api.get(base(waiting_case) + "steps/").status_code == 404
    assert api.get(base(waiting_case) + f"steps/{step.pk}/").status_code == 404
    assert api.post(base(waiting_case) + f"steps/{step.pk}/pass/", {}).status_code == 404
    url = base(waiting_case) + f"evidence/{stored_evidence.pk}/download/"
    assert api.get(url).status_code == 404


def test_anonymous_callers_get_401(waiting_case, step):
    api = client_for()

    assert api.get(base(waiting_case) + "steps/").status_code == 401
    assert api.post(base(waiting_case) + f"steps/{step.pk}/pass/", {}).status_code == 401
