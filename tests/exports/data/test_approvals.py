"""The second pair of eyes: on by default; prepared by one officer, approved by another;
self-approval refused by the service, the pages and the API; erasure with care."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.choices import Right
from dsar.errors import CaseActionError
from dsar.models import Controller
from exports.data.models import ActionStep, Approval
from exports.data.services import actions, approvals, collection, erasure
from exports.data.services.approval_actions import release_or_prepare
from tests.exports.data.conftest import DATA_DB, JANE, rows, subject_case
from tests.exports.data.test_review import searched
from tests.factories import officer_of

pytestmark = DATA_DB


@pytest.fixture
def eyes(mapped_controller):
    """The controller as it comes: every switch on."""
    fresh = Controller()
    assert fresh.approve_release and fresh.approve_responses and fresh.approve_erasure
    mapped_controller.approve_release = mapped_controller.approve_responses = True
    mapped_controller.approve_erasure = True
    mapped_controller.save()
    return mapped_controller


@pytest.fixture
def second(eyes):
    return officer_of(eyes, username="sam", first_name="Sam")


def test_release_needs_another_officer_and_both_steps_are_events(
    demo_db, eyes, data_officer, second, run
):
    case = subject_case(eyes)
    found = searched(run, case, data_officer)
    with pytest.raises(CaseActionError, match="second officer"):
        collection.collection_release(collection=found, by=data_officer)
    approval = release_or_prepare(collection=found, by=data_officer, note="")
    found.refresh_from_db()
    assert approval.status == "pending" and found.status == "collected"
    with pytest.raises(approvals.SelfApproval, match="cannot approve it"):
        approvals.approval_approve(approval=approval, by=data_officer)
    run(approvals.approval_approve, approval=approval, by=second)
    found.refresh_from_db()
    approval.refresh_from_db()
    assert found.status == "released" and found.released_by == second
    assert approval.decided_by == second
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.index("approval_prepared") < kinds.index("approval_given")
    assert kinds.index("approval_given") < kinds.index("data_released")


def test_an_auditor_cannot_approve(demo_db, eyes, data_officer, run):
    case = subject_case(eyes)
    found = searched(run, case, data_officer)
    approval = release_or_prepare(collection=found, by=data_officer)
    auditor = officer_of(eyes, role="auditor", username="audrey")
    with pytest.raises(approvals.NotApprover):
        approvals.approval_approve(approval=approval, by=auditor)


def test_self_approval_is_refused_on_the_page_and_the_api(
    client, demo_db, eyes, data_officer, second, run
):
    case = subject_case(eyes)
    found = searched(run, case, data_officer)
    client.force_login(data_officer)
    response = client.post(
        reverse("exports:search_release", args=[case.reference, found.pk]), {"note": ""}
    )
    assert response.status_code == 302
    approval = Approval.objects.get(case=case)
    page = client.post(reverse("exports:approval_approve", args=[case.reference, approval.pk]))
    assert page.status_code == 403
    assert b"another officer" in page.content
    api = client.post(f"/api/v1/cases/{case.reference}/data/approvals/{approval.pk}/approve/")
    assert api.status_code == 403
    assert "another officer" in api.json()["detail"]
    client.force_login(second)
    case_page = client.get(case.get_absolute_url())
    assert b"Approve" in case_page.content
    ok = client.post(f"/api/v1/cases/{case.reference}/data/approvals/{approval.pk}/approve/")
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "approved"
    found.refresh_from_db()
    assert found.status == "released"


def test_the_access_response_is_prepared_then_issued_on_approval(
    demo_db, eyes, data_officer, second, run
):
    from exports.data.services.approval_actions import prepare_letter
    from exports.letters import services as letters

    case = subject_case(eyes, status="in_progress")
    fields = dict(letters.letter_preview(case=case, kind="access_response").values)
    fields.update({k: v or "Nothing." for k, v in fields.items()})
    with pytest.raises(CaseActionError, match="second officer"):
        letters.letter_issue(
            case=case, kind="access_response", by=data_officer, fields=fields, delivery="email"
        )
    message = prepare_letter(case=case, kind="access_response", by=data_officer, fields=fields,
                             delivery="email")  # fmt: skip
    assert "prepared" in message
    assert not case.documents.filter(kind="access_response").exists()
    approval = Approval.objects.get(case=case, action="access_response")
    run(approvals.approval_approve, approval=approval, by=second)
    document = case.documents.get(kind="access_response")
    assert document.produced_by == second


def test_erasure_without_a_completed_search_is_refused(demo_db, mapped_controller, data_officer):
    case = subject_case(mapped_controller, right=Right.ERASURE)
    with pytest.raises(CaseActionError, match="Search every source"):
        actions.action_run_start(case=case, by=data_officer, confirmation="Jane Doe")


def test_erasure_needs_the_subjects_name_typed(demo_db, mapped_controller, data_officer, run):
    case = subject_case(mapped_controller, right=Right.ERASURE)
    searched(run, case, data_officer)
    with pytest.raises(CaseActionError, match="type Jane Doe"):
        actions.action_run_start(case=case, by=data_officer, confirmation="Janet Doe")
    with pytest.raises(CaseActionError, match="Type the subject's name"):
        actions.action_run_start(case=case, by=data_officer)
    assert not case.action_runs.exists()


def test_the_dry_run_preview_matches_the_rows_then_erased(demo_db, eyes, data_officer, second, run):
    case = subject_case(eyes, right=Right.ERASURE)
    searched(run, case, data_officer)
    before = rows("SELECT COUNT(*) FROM marketing_preferences")[0][0]
    preview = erasure.preview(case)
    # The preview changed nothing.
    assert rows("SELECT COUNT(*) FROM marketing_preferences")[0][0] == before
    assert rows("SELECT email FROM customers WHERE email = %s", [JANE["email"]])
    counted = {(r.source, r.category): r.rows for r in preview if r.rows is not None}
    assert counted and all(n >= 0 for n in counted.values()) and sum(counted.values()) > 0

    approval = approvals.approval_prepare(
        case=case, action="erasure", by=data_officer, payload={"confirmation": "Jane Doe"}
    )
    assert "row" in approval.summary
    run(approvals.approval_approve, approval=approval, by=second)
    run_ = case.action_runs.get()
    done = {
        (s.source_name, s.category_name): s.rows_affected
        for s in run_.steps.filter(status=ActionStep.Status.DONE)
    }
    assert done == counted


def test_the_erasure_page_shows_the_preview_and_names_the_subject(
    client, demo_db, mapped_controller, data_officer, run
):
    case = subject_case(mapped_controller, right=Right.ERASURE)
    client.force_login(data_officer)
    url = reverse("exports:erasure", args=[case.reference])
    assert b"Search every source" in client.get(url).content
    searched(run, case, data_officer)
    page = client.get(url)
    assert b"would be affected" in page.content and b"Jane Doe" in page.content
    wrong = client.post(url, {"confirmation": "someone"})
    assert wrong.status_code == 400 and b"type Jane Doe" in wrong.content
    assert not case.action_runs.exists()
