"""Identity services: the confirmation router, each step transition and the clock rule."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from dsar import services as case_services
from dsar.choices import Channel, RefusalGround, Relationship, Status
from dsar.errors import CaseActionError
from identity import evidence_services, services
from identity.choices import Method, StepStatus
from identity.models import VerificationStep
from tests.factories import CaseFactory
from tests.identity.factories import PolicyFactory, StepFactory, new_case, upload

pytestmark = pytest.mark.django_db


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def kinds(case) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


def steps(case) -> list[tuple[str, str]]:
    return list(case.verification_steps.values_list("method", "status"))


# --- the router ------------------------------------------------------------------------


def test_a_confirmed_web_request_waits_for_the_document_with_its_email_already_proved(
    controller, policy
):
    controller.accepted_identity_documents = ["Colour copy of passport", "Driving licence"]
    controller.save()
    case = new_case(controller, channel=Channel.WEB)
    case = case_services.case_confirm(case=case)
    assert case.status == Status.AWAITING_IDENTITY
    assert steps(case) == [
        (Method.EMAIL_OWNERSHIP, StepStatus.PASSED),
        (Method.IDENTITY_DOCUMENT, StepStatus.PENDING),
    ]
    email = case.emails.get(template="identity_request")
    assert "/status/" in email.body_text
    assert "one of colour copy of passport or driving licence" in email.body_text
    assert "confirm your email" not in email.body_text.lower()
    assert {"verification_required", "status_changed"} <= set(kinds(case))


def test_a_web_request_needing_only_the_email_link_goes_straight_to_work(controller):
    PolicyFactory(controller=controller, require_identity_document=False)
    case = case_services.case_confirm(case=new_case(controller, channel=Channel.WEB))
    assert case.status == Status.IN_PROGRESS
    assert steps(case) == [(Method.EMAIL_OWNERSHIP, StepStatus.PASSED)]
    assert not case.emails.filter(template="identity_request").exists()


def test_without_a_policy_a_request_for_oneself_needs_no_checks(controller, officer):
    case = new_case(controller, by=officer)
    assert case.status == Status.IN_PROGRESS
    assert not case.verification_steps.exists()


def test_a_logged_request_for_someone_else_waits_for_authority(controller, officer):
    case = new_case(
        controller, by=officer, relationship=Relationship.PARENT, subject_name="Ellie Kavanagh"
    )
    assert case.status == Status.AWAITING_IDENTITY
    assert steps(case) == [(Method.AUTHORITY, StepStatus.PENDING)]
    email = case.emails.get(template="identity_request")
    assert "that you can act for Ellie Kavanagh" in email.body_text
    assert "act for Ellie Kavanagh" in email.body_html


def test_letterhead_never_blocks_an_organisations_request_from_starting(controller, officer):
    # Issue 13.7: the controller's flag only says letterhead helps; the clock starts anyway.
    controller.letterhead_required_for_organisations = True
    controller.save()
    case = new_case(controller, by=officer, organisation_name="Harbourside Lettings Ltd")
    case.refresh_from_db()
    assert steps(case) == []
    assert case.status == Status.IN_PROGRESS
    assert not case.emails.filter(template="identity_request").exists()


def test_a_postal_request_without_an_email_waits_but_emails_nobody(controller, officer, policy):
    case = new_case(
        controller, channel=Channel.POST, by=officer, requester_email="", preferred_reply="post",
        requester_address="1 High Street",
    )  # fmt: skip
    assert case.status == Status.AWAITING_IDENTITY
    assert steps(case) == [(Method.IDENTITY_DOCUMENT, StepStatus.PENDING)]
    assert not case.emails.exists()


# --- step transitions ------------------------------------------------------------------


@time_machine.travel("2026-06-05 11:00 +01:00", tick=False)
def test_passing_the_last_step_starts_the_clock_and_records_who_and_when(controller, officer):
    case = CaseFactory(
        controller=controller, status=Status.AWAITING_IDENTITY, received_on=d("2026-06-01")
    )
    step = StepFactory(case=case)
    services.step_pass(step=step, by=officer, note="Passport matches the account name.")
    step.refresh_from_db()
    assert (step.status, step.reviewed_by, step.decision_note) == (
        StepStatus.PASSED, officer, "Passport matches the account name.",
    )  # fmt: skip
    assert step.reviewed_at.isoformat().startswith("2026-06-05T10:00")
    case = step.case
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.identity_received_on == d("2026-06-05")
    assert case.due_date == d("2026-07-06")  # 5 July is a Sunday
    event = case.events.get(kind="verification_passed")
    assert event.actor == officer
    assert event.message == "Identity document: passed. Passport matches the account name."
    assert case.events.filter(kind="identity_verified").exists()


def test_a_step_is_decided_once(officer, second_officer, step):
    services.step_pass(step=step, by=officer)
    with pytest.raises(CaseActionError, match="already passed"):
        services.step_fail(step=step, by=second_officer, reason="Blurred")
    step.refresh_from_db()
    assert step.status == StepStatus.PASSED


def test_the_case_waits_until_every_step_is_done(officer, waiting_case, step):
    other = StepFactory(case=waiting_case, method=Method.AUTHORITY)
    services.step_pass(step=step, by=officer)
    waiting_case.refresh_from_db()
    assert waiting_case.status == Status.AWAITING_IDENTITY
    services.step_pass(step=other, by=officer)
    waiting_case.refresh_from_db()
    assert waiting_case.status == Status.IN_PROGRESS


def test_failing_needs_a_reason_and_leaves_the_case_waiting(officer, waiting_case, step):
    with pytest.raises(CaseActionError, match="Give a reason"):
        services.step_fail(step=step, by=officer, reason="  ")
    services.step_fail(step=step, by=officer, reason="The name does not match the account.")
    step.refresh_from_db()
    waiting_case.refresh_from_db()
    assert step.status == StepStatus.FAILED
    assert waiting_case.status == Status.AWAITING_IDENTITY
    assert waiting_case.events.get(kind="verification_failed").message.endswith(
        "The name does not match the account."
    )


def test_failing_with_refusal_refuses_as_identity_not_verified_and_tells_the_requester(
    officer, waiting_case, step
):
    services.step_fail(step=step, by=officer, reason="The passport is not theirs.", refuse=True)
    waiting_case.refresh_from_db()
    assert waiting_case.status == Status.REFUSED
    assert waiting_case.refusal_ground == RefusalGround.IDENTITY_NOT_VERIFIED
    assert waiting_case.outcome_reasons == "The passport is not theirs."
    email = waiting_case.emails.get(template="closed_unverified")
    assert "The passport is not theirs." in email.body_text
    assert "Information Commissioner" in email.body_text


def test_failing_and_refusing_happen_together_or_not_at_all(
    monkeypatch, officer, waiting_case, step
):
    def broken_refuse(**kwargs):
        raise CaseActionError("refusal failed")

    monkeypatch.setattr(services.case_services, "case_refuse", broken_refuse)
    with pytest.raises(CaseActionError):
        services.step_fail(step=step, by=officer, reason="Not theirs.", refuse=True)
    step.refresh_from_db()
    assert step.status == StepStatus.PENDING
    assert not waiting_case.events.filter(kind="verification_failed").exists()


def test_waiving_needs_a_reason_and_can_complete_the_checks(officer, waiting_case, step):
    with pytest.raises(CaseActionError):
        services.step_waive(step=step, by=officer, reason="")
    services.step_waive(step=step, by=officer, reason="Known customer, met in branch.")
    waiting_case.refresh_from_db()
    assert waiting_case.status == Status.IN_PROGRESS
    # Nothing was received: the wait for the waived document does not move the start.
    assert waiting_case.identity_received_on == waiting_case.received_on


def test_asking_again_after_a_failure_adds_a_new_step_and_emails(officer, waiting_case, step):
    services.step_fail(step=step, by=officer, reason="Blurred.")
    services.step_request(
        case=waiting_case, method=Method.IDENTITY_DOCUMENT, by=officer,
        note="The last photo was blurred: please send a sharper one.",
    )  # fmt: skip
    assert steps(waiting_case) == [
        (Method.IDENTITY_DOCUMENT, StepStatus.FAILED),
        (Method.IDENTITY_DOCUMENT, StepStatus.PENDING),
    ]
    email = waiting_case.emails.get(template="identity_request")
    assert "The last photo was blurred" in email.body_text
    with pytest.raises(CaseActionError, match="already waiting"):
        services.step_request(case=waiting_case, method=Method.IDENTITY_DOCUMENT, by=officer)


def test_asking_for_a_check_on_a_case_in_progress_stops_its_clock(controller, officer):
    case = CaseFactory(controller=controller)
    services.step_request(case=case, method=Method.KNOWLEDGE_CHECK, by=officer)
    case.refresh_from_db()
    assert case.status == Status.AWAITING_IDENTITY
    assert "identity_requested" in kinds(case)


def test_nothing_can_be_asked_of_a_paused_or_closed_case(controller, officer):
    for status in (Status.AWAITING_REQUESTER, Status.CLOSED):
        case = CaseFactory(controller=controller, status=status)
        with pytest.raises(CaseActionError, match="cannot wait for identity"):
            services.step_request(case=case, method=Method.IDENTITY_DOCUMENT, by=officer)
        assert not case.verification_steps.exists()


def test_more_evidence_is_asked_by_email_with_the_officers_message(officer, waiting_case):
    services.evidence_request_more(case=waiting_case, by=officer, message="Both sides, please.")
    email = waiting_case.emails.get(template="identity_request")
    assert "We still need the following" in email.body_text
    assert "Both sides, please." in email.body_text
    assert waiting_case.events.get(kind="evidence_requested").actor == officer


def test_more_evidence_needs_a_pending_step_and_an_email_address(controller, officer):
    with pytest.raises(CaseActionError, match="Nothing is waiting"):
        services.evidence_request_more(case=CaseFactory(controller=controller), by=officer)
    case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY, requester_email="")
    StepFactory(case=case)
    with pytest.raises(CaseActionError, match="by post"):
        services.evidence_request_more(case=case, by=officer)


def test_closing_as_unverified_needs_reasons(officer, waiting_case):
    with pytest.raises(CaseActionError, match="Give a reason"):
        services.case_close_unverified(case=waiting_case, by=officer, reasons="")
    services.case_close_unverified(case=waiting_case, by=officer, reasons="No reply.")
    waiting_case.refresh_from_db()
    assert waiting_case.refusal_ground == RefusalGround.IDENTITY_NOT_VERIFIED


def test_a_case_waiting_without_steps_gets_the_policys_steps(controller, officer, policy):
    case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
    made = services.steps_from_policy(case=case, by=officer)
    assert [s.method for s in made] == [Method.EMAIL_OWNERSHIP, Method.IDENTITY_DOCUMENT]
    assert services.steps_from_policy(case=case, by=officer) == []  # only once
    assert case.emails.filter(template="identity_request").count() == 1


# --- the clock rule ----------------------------------------------------------------------


def test_a_case_that_waited_ten_days_for_a_passport_is_due_ten_days_later(controller, officer):
    """Received Wed 3 June 2026: due Fri 3 July. The passport arrives Sat 13 June, ten days
    later (a day of receipt counts whether or not it is a working day): due Mon 13 July,
    ten days later too. Neither date is a weekend or bank holiday, so no roll interferes."""
    PolicyFactory(controller=controller, require_email_ownership=False)
    with time_machine.travel("2026-06-03 09:30 +01:00", tick=False):
        without_wait = new_case(controller, by=None, channel=Channel.PHONE)
        case_services.case_identity_received(case=without_wait, by=officer)
        waited = new_case(controller, by=officer, channel=Channel.PHONE)
    without_wait.refresh_from_db()
    assert without_wait.due_date == d("2026-07-03")
    assert waited.status == Status.AWAITING_IDENTITY
    step = waited.verification_steps.get()
    with time_machine.travel("2026-06-13 20:15 +01:00", tick=False):
        evidence_services.evidence_add(step=step, upload=upload())
    with time_machine.travel("2026-06-15 10:00 +01:00", tick=False):
        services.step_pass(step=step, by=officer)  # reviewed two days later
    waited.refresh_from_db()
    assert waited.status == Status.IN_PROGRESS
    assert waited.identity_received_on == d("2026-06-13")
    assert waited.due_date == d("2026-07-13")
    assert (waited.due_date - without_wait.due_date).days == 10


def test_evidence_by_post_starts_the_clock_on_the_day_it_arrived(controller, officer, step):
    case = step.case
    with time_machine.travel("2026-06-15 10:00 +01:00", tick=False):
        case.received_on = d("2026-06-01")
        case.save()
        with pytest.raises(CaseActionError, match="between"):
            services.step_pass(step=step, by=officer, evidence_received_on=d("2026-06-16"))
        services.step_pass(step=step, by=officer, evidence_received_on=d("2026-06-10"))
    case.refresh_from_db()
    assert case.identity_received_on == d("2026-06-10")
    assert case.due_date == d("2026-07-10")


def test_the_latest_evidence_of_the_passed_steps_starts_the_clock(controller, officer):
    with time_machine.travel("2026-06-20 10:00 +01:00", tick=False):
        case = CaseFactory(
            controller=controller, status=Status.AWAITING_IDENTITY, received_on=d("2026-06-01")
        )
        first = StepFactory(case=case, method=Method.IDENTITY_DOCUMENT)
        second = StepFactory(case=case, method=Method.AUTHORITY)
        services.step_pass(step=first, by=officer, evidence_received_on=d("2026-06-04"))
        services.step_pass(step=second, by=officer, evidence_received_on=d("2026-06-09"))
    case.refresh_from_db()
    assert case.identity_received_on == d("2026-06-09")


def test_a_case_no_longer_waiting_is_not_moved_by_a_late_pass(controller, officer, step):
    case = step.case
    case_services.case_identity_received(case=case, by=officer)
    case_services.case_submit_for_review(case=case, by=officer)
    services.step_pass(step=step, by=officer)
    case.refresh_from_db()
    assert case.status == Status.READY_FOR_REVIEW


def test_every_change_is_one_transaction_with_its_event(officer, step):
    """A service that fails part way leaves neither the step change nor its event."""
    try:
        with transaction.atomic():
            services.step_pass(step=step, by=officer)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    step.refresh_from_db()
    assert step.is_pending
    assert not VerificationStep.objects.filter(status=StepStatus.PASSED).exists()
    assert not step.case.events.filter(kind="verification_passed").exists()
