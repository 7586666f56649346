"""Officer review on the case page, and the evidence viewer's permission matrix."""

import re

import pytest
from django.urls import reverse

from dsar.choices import RefusalGround, Status
from identity import evidence_services, services
from identity.choices import Method, StepStatus
from identity.models import EvidenceFile
from tests.identity.factories import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(step) -> EvidenceFile:
    return evidence_services.evidence_add(step=step, upload=upload(name="Ada-passport.pdf"))


def evidence_url(item) -> str:
    return reverse("identity:evidence", args=[item.pk])


def review_url(step) -> str:
    return reverse("identity:step_review", args=[step.case.reference, step.pk])


def page_text(client, case) -> str:
    return client.get(case.get_absolute_url()).content.decode()


# --- the panel -----------------------------------------------------------------------------


def test_the_case_page_lists_each_step_with_its_evidence(officer_client, evidence):
    text = page_text(officer_client, evidence.step.case)
    assert "Identity verification" in text
    assert "Identity document" in text and "Pending" in text
    assert f'href="{evidence_url(evidence)}"' in text
    assert "Review this check" in text
    assert "Ask the requester for more evidence" in text
    assert "Ada-passport" not in text


def test_an_auditor_sees_the_steps_but_no_evidence_link_or_actions(client, auditor, evidence):
    client.force_login(auditor)
    text = page_text(client, evidence.step.case)
    assert "Identity document" in text
    assert evidence_url(evidence) not in text
    assert "can be opened only by officers who may act" in text
    assert "Review this check" not in text


def test_a_case_without_checks_says_so(officer_client, case):
    assert "No checks were needed" in page_text(officer_client, case)


# --- the evidence viewer: permissions --------------------------------------------------------


def test_an_officer_gets_evidence_sandboxed_and_each_viewing_is_recorded(
    officer_client, officer, evidence
):
    for _ in range(2):
        response = officer_client.get(evidence_url(evidence))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    # issue 18: sandboxed, so a PDF downloads (a browser's viewer will not show it)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Ada" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"]
    views = evidence.step.case.events.filter(kind="evidence_viewed")
    assert views.count() == 2
    assert {e.actor for e in views} == {officer}


def test_an_image_is_shown_sandboxed(officer_client, step):
    from tests.identity.factories import PNG

    item = evidence_services.evidence_add(step=step, upload=upload(PNG, name="id.png"))
    response = officer_client.get(evidence_url(item))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_outsider_officer_gets_404_on_evidence(client, outsider, evidence):
    client.force_login(outsider)
    assert client.get(evidence_url(evidence)).status_code == 404
    assert not evidence.step.case.events.filter(kind="evidence_viewed").exists()


def test_an_auditor_may_not_open_evidence(client, auditor, evidence):
    client.force_login(auditor)
    assert client.get(evidence_url(evidence)).status_code == 403
    assert not evidence.step.case.events.filter(kind="evidence_viewed").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, evidence):
    response = client.get(evidence_url(evidence))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_with_no_role_gets_404(client, plain_user, evidence):
    client.force_login(plain_user)
    assert client.get(evidence_url(evidence)).status_code == 404


def test_purged_or_unknown_evidence_is_404(officer_client, evidence):
    evidence.file.storage.delete(evidence.file.name)
    assert officer_client.get(evidence_url(evidence)).status_code == 404
    assert officer_client.get(reverse("identity:evidence", args=[999999])).status_code == 404


# --- review actions ---------------------------------------------------------------------------


def test_passing_the_step_moves_the_case_to_work_with_its_new_due_date(officer_client, step):
    response = officer_client.post(review_url(step), {"decision": "passed"}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#identity")
    text = response.content.decode()
    assert "Identity document: passed. Every check is done: now due" in text
    step.case.refresh_from_db()
    assert step.case.status == Status.IN_PROGRESS


def test_failing_without_a_reason_changes_nothing_and_keeps_the_input(officer_client, step):
    response = officer_client.post(
        review_url(step), {"decision": "failed", "evidence_received_on": "2026-01-01"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give the reason: it goes on the case record." in text
    assert "Give a date only when the check passed." in text
    assert re.search(r'value="failed"[^>]*checked', text)
    step.refresh_from_db()
    assert step.status == StepStatus.PENDING


def test_failing_and_refusing_from_the_page(officer_client, step):
    officer_client.post(
        review_url(step), {"decision": "failed", "note": "Not their passport.", "refuse": "on"}
    )
    step.case.refresh_from_db()
    assert step.case.status == Status.REFUSED
    assert step.case.refusal_ground == RefusalGround.IDENTITY_NOT_VERIFIED


def test_a_decision_on_a_step_already_decided_is_shown_not_raised(officer_client, officer, step):
    services.step_pass(step=step, by=officer)
    response = officer_client.post(review_url(step), {"decision": "waived", "note": "x"})
    assert response.status_code == 400
    assert "already passed" in response.content.decode()


def test_asking_for_a_check_and_for_more_evidence(officer_client, step):
    case = step.case
    url = reverse("identity:step_add", args=[case.reference])
    officer_client.post(url, {"method": Method.AUTHORITY, "note": "A letter from your client."})
    assert case.verification_steps.filter(method=Method.AUTHORITY).exists()
    url = reverse("identity:request_more", args=[case.reference])
    response = officer_client.post(url, {"message": "Both pages."}, follow=True)
    assert "Emailed the requester their status link" in response.content.decode()
    assert case.emails.filter(template="identity_request").count() == 2


def test_refusing_as_unverified_needs_reasons(officer_client, step):
    url = reverse("identity:close_unverified", args=[step.case.reference])
    assert officer_client.post(url, {"reasons": ""}).status_code == 400
    officer_client.post(url, {"reasons": "Nothing received after two reminders."})
    step.case.refresh_from_db()
    assert step.case.status == Status.REFUSED


@pytest.mark.parametrize("who", ["auditor", "outsider"])
def test_auditors_get_403_and_outsiders_404_on_every_action(client, request, who, step):
    client.force_login(request.getfixturevalue(who))
    case = step.case
    urls = [
        review_url(step),
        reverse("identity:step_add", args=[case.reference]),
        reverse("identity:request_more", args=[case.reference]),
        reverse("identity:close_unverified", args=[case.reference]),
    ]
    expected = 403 if who == "auditor" else 404
    for url in urls:
        assert client.post(url, {"decision": "passed", "reasons": "x"}).status_code == expected
    step.refresh_from_db()
    assert step.status == StepStatus.PENDING
