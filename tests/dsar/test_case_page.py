"""The case page and its actions: allowed moves, refused moves, conflicts and permissions."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dsar import services
from dsar.choices import Outcome, RefusalGround, Right, Status
from dsar.models import Case, CaseEvent
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def page(client, case: Case):
    return client.get(reverse("dsar:case_detail", args=[case.reference]))


def act(client, case: Case, action: str, follow: bool = True, **data):
    """Post an action form as the page would, with the case's current version."""
    case.refresh_from_db()
    data.setdefault("version", case.version)
    url = reverse("dsar:case_action", args=[case.reference, action])
    return client.post(url, data, follow=follow)


def snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.status, case.due_date, case.extended, case.assignee_id, case.version,
            CaseEvent.objects.filter(case=case).count())  # fmt: skip


def html(response) -> str:
    return response.content.decode()


# --- seeing the case -----------------------------------------------------------------


@time_machine.travel("2026-03-10 10:00 +00:00", tick=False)
def test_officer_sees_the_deadline_requester_and_what_was_asked(officer_client, controller):
    case = CaseFactory(
        controller=controller,
        received_on=d("2026-03-02"),
        requester_name="Ada Lovelace",
        relationship="solicitor",
        subject_name="Mary Shelley",
        organisation_name="Byron & Co Solicitors",
        subject_identifiers=[{"kind": "customer_number", "value": "C-1816"}],
        description="Everything you hold about my client.",
    )
    text = html(page(officer_client, case))
    assert "Due Thu 2 Apr 2026" in text
    assert "23 days left" in text
    assert "Received</dt><dd>Mon 2 Mar 2026" in text
    assert "How this date was worked out" in text
    assert "Byron &amp; Co Solicitors" in text
    assert "Solicitor or legal representative" in text and "Mary Shelley" in text
    assert "Customer number: C-1816" in text
    assert "Everything you hold about my client." in text


def test_outsider_gets_404_for_a_case_of_another_controller(client, outsider, case):
    client.force_login(outsider)
    assert page(client, case).status_code == 404
    assert act(client, case, "extend", reason="Complex").status_code == 404
    assert Case.objects.get(pk=case.pk).extended is False


def test_anonymous_user_is_sent_to_login_from_a_case(client, case):
    response = page(client, case)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_unknown_case_reference_is_404(officer_client):
    assert officer_client.get("/cases/DSAR-2026-999999/").status_code == 404


def test_timeline_shows_who_did_what_in_the_controllers_time_zone(
    officer_client, officer, second_officer, case
):
    with time_machine.travel("2026-07-01 09:30 +00:00", tick=False):
        services.case_assign(case=case, assignee=second_officer, by=officer)
    text = html(page(officer_client, case))
    # 09:30 UTC is 10:30 in London in summer.
    assert "Wed 1 Jul 2026, 10:30" in text
    assert "Assigned to Sam Second." in text
    assert "by Olivia Officer" in text


def test_auditor_reads_the_case_without_any_action_forms(client, auditor, case):
    client.force_login(auditor)
    text = html(page(client, case))
    assert case.reference in text
    assert "read-only access" in text
    assert '<form method="post" action="/cases/' not in text


def test_only_actions_the_status_allows_are_offered(officer_client, controller):
    in_progress = html(page(officer_client, CaseFactory(controller=controller)))
    assert 'id="action-pause"' in in_progress and 'id="action-extend"' in in_progress
    assert 'id="action-close"' not in in_progress and 'id="action-resume"' not in in_progress

    review = html(
        page(officer_client, CaseFactory(controller=controller, status=Status.READY_FOR_REVIEW))
    )
    assert 'id="action-close"' in review and 'id="action-return-for-work"' in review
    assert 'id="action-pause"' not in review

    closed = html(page(officer_client, CaseFactory(controller=controller, status=Status.CLOSED)))
    assert 'class="action"' not in closed
    assert "nothing more to do" in closed


# --- actions that work ---------------------------------------------------------------


def test_assign_to_another_officer_and_unassign(officer_client, second_officer, case):
    response = act(officer_client, case, "assign", assignee=second_officer.pk)
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "Assigned to Sam Second." in html(response)
    case.refresh_from_db()
    assert case.assignee == second_officer

    response = act(officer_client, case, "assign", assignee="")
    assert "Unassigned" in html(response)
    case.refresh_from_db()
    assert case.assignee is None


def test_cannot_assign_to_someone_outside_the_controller(officer_client, outsider, auditor, case):
    for user in (outsider, auditor):
        response = act(officer_client, case, "assign", assignee=user.pk)
        assert response.status_code == 400
        assert "Choose one of this controller&#x27;s officers." in html(response)
    case.refresh_from_db()
    assert case.assignee is None


def test_pause_then_resume_moves_the_due_date_by_the_paused_days(
    officer_client, controller, time_machine
):
    time_machine.move_to("2026-03-05 10:00 +00:00", tick=False)
    case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
    assert case.due_date == d("2026-04-02")

    response = act(officer_client, case, "pause", reason="Which account do you mean?")
    assert "Question sent: the clock is stopped" in html(response)
    case.refresh_from_db()
    assert case.status == Status.AWAITING_REQUESTER
    assert "Which account do you mean?" in html(response)

    time_machine.move_to("2026-03-09 10:00 +00:00", tick=False)
    response = act(officer_client, case, "resume", ended_on="2026-03-09")
    # Paused 5-9 March, both days included: 5 days. 2 April + 5 = Tuesday 7 April.
    assert "Answer recorded: the clock runs again, now due Tuesday 7 April 2026." in html(response)
    case.refresh_from_db()
    assert (case.status, case.due_date) == (Status.IN_PROGRESS, d("2026-04-07"))
    assert "Thu 5 Mar 2026 to Mon 9 Mar 2026" in html(response)


@time_machine.travel("2026-03-10 10:00 +00:00", tick=False)
def test_extend_shows_the_new_due_date_before_and_after(officer_client, controller):
    case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
    assert "Extending makes this case due <strong>Tuesday 2 June 2026</strong>" in html(
        page(officer_client, case)
    )

    response = act(
        officer_client, case, "extend", reason="Twelve years of records.", ground="complex"
    )
    assert "Extended and the requester told: now due Tuesday 2 June 2026." in html(response)
    case.refresh_from_db()
    assert (case.extended, case.due_date, case.original_due_date) == (
        True, d("2026-06-02"), d("2026-04-02"),
    )  # fmt: skip
    assert "Twelve years of records." in html(response)
    assert 'id="action-extend"' not in html(response)


def test_identity_actions_are_left_to_the_identity_app(officer_client, controller):
    """With verification steps installed, the bare 'request identity' and 'identity
    received' actions would skip the steps: the page neither offers nor accepts them."""
    case = CaseFactory(controller=controller, status=Status.IN_PROGRESS)
    page = html(officer_client.get(case.get_absolute_url()))
    for action in ("request-identity", "identity-received"):
        assert reverse("dsar:case_action", args=[case.reference, action]) not in page
    assert reverse("dsar:case_action", args=[case.reference, "pause"]) in page
    response = act(officer_client, case, "request-identity", note="Passport please.")
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_send_for_review_then_back_for_work(officer_client, case):
    act(officer_client, case, "submit-for-review", note="Bundle ready.")
    case.refresh_from_db()
    assert case.status == Status.READY_FOR_REVIEW
    response = act(officer_client, case, "return-for-work", note="Redact the third parties.")
    assert "Sent back for more work." in html(response)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_close_a_case_ready_for_review_with_an_outcome(officer_client, controller):
    case = CaseFactory(controller=controller, status=Status.READY_FOR_REVIEW)
    response = act(officer_client, case, "close", outcome=Outcome.NO_DATA_HELD)
    assert "Closed: no data held." in html(response)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.NO_DATA_HELD)


def test_closing_as_partly_fulfilled_needs_the_exemptions(officer_client, controller):
    case = CaseFactory(controller=controller, status=Status.READY_FOR_REVIEW)
    before = snapshot(case)
    response = act(officer_client, case, "close", outcome=Outcome.PARTLY_FULFILLED)
    assert response.status_code == 400
    assert "Give the exemptions applied" in html(response)
    assert snapshot(case) == before


def test_refuse_with_a_ground_and_reasons(officer_client, case):
    reasons = "The fourth identical request this month."
    response = act(
        officer_client, case, "refuse", ground=RefusalGround.MANIFESTLY_EXCESSIVE, reasons=reasons
    )
    assert "Refused: manifestly excessive." in html(response)
    case.refresh_from_db()
    assert (case.status, case.refusal_ground) == (
        Status.REFUSED,
        RefusalGround.MANIFESTLY_EXCESSIVE,
    )
    assert case.outcome_reasons == "The fourth identical request this month."


def test_withdraw_with_a_reason(officer_client, case):
    response = act(officer_client, case, "withdraw", reason="Phoned to say it is settled.")
    assert "Withdrawn" in html(response)
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert case.events.last().message == "Phoned to say it is settled."


# --- actions refused, with a clear message and nothing changed -----------------------


def test_closing_a_case_still_in_progress_is_refused(officer_client, case):
    before = snapshot(case)
    response = act(officer_client, case, "close", outcome=Outcome.FULFILLED)
    assert response.status_code == 400
    assert "A case that is in progress cannot become closed." in html(response)
    assert snapshot(case) == before


@time_machine.travel("2026-03-10 10:00 +00:00", tick=False)
def test_extending_twice_is_refused(officer_client, controller):
    case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
    act(officer_client, case, "extend", reason="Complex.", ground="complex")
    before = snapshot(case)
    response = act(officer_client, case, "extend", reason="Even more complex.", ground="complex")
    assert response.status_code == 400
    assert "This case has already been extended." in html(response)
    assert snapshot(case) == before


def test_extension_after_the_original_deadline_is_refused(officer_client, controller, time_machine):
    time_machine.move_to("2026-03-02 10:00 +00:00", tick=False)
    case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
    time_machine.move_to("2026-04-03 10:00 +01:00", tick=False)  # original due 2 April
    assert 'id="action-extend"' not in html(page(officer_client, case))
    before = snapshot(case)
    response = act(officer_client, case, "extend", reason="Too late now.", ground="complex")
    assert response.status_code == 400
    assert "The original period ended on Thursday 2 April 2026" in html(response)
    assert snapshot(case) == before


def test_extension_needs_its_ground_and_the_page_shows_it(officer_client, case):
    before = snapshot(case)
    refused = act(officer_client, case, "extend", reason="Eleven years of orders.")
    assert refused.status_code == 400
    assert "Choose why the request needs longer." in html(refused)
    assert snapshot(case) == before

    done = act(officer_client, case, "extend", reason="Eleven years of orders.", ground="both")
    case.refresh_from_db()
    assert case.extension_ground == "both"
    assert "Both: complex, and numerous requests. Eleven years of orders." in html(done)


def test_extension_without_a_reason_is_refused_next_to_the_field(officer_client, case):
    before = snapshot(case)
    response = act(officer_client, case, "extend", reason="  ")
    assert response.status_code == 400
    text = html(response)
    message = "Give the reason for extending: the requester must be told it."
    assert f'<a href="#id_extend_reason">{message}</a>' in text
    assert 'id="id_extend_reason_error"' in text
    assert snapshot(case) == before


def test_pause_of_an_erasure_request_is_refused_with_the_reason(officer_client, controller):
    case = CaseFactory(controller=controller, right=Right.ERASURE)
    assert 'id="action-pause"' not in html(page(officer_client, case))
    before = snapshot(case)
    response = act(officer_client, case, "pause", reason="Which account?")
    assert response.status_code == 400
    assert "Only an access request" in html(response)
    assert snapshot(case) == before


def test_a_stale_form_gets_the_conflict_message_and_changes_nothing(
    officer_client, officer, second_officer, case
):
    seen_version = case.version
    services.case_assign(case=case, assignee=second_officer, by=second_officer)  # someone else
    before = snapshot(case)
    response = act(officer_client, case, "assign", assignee=officer.pk, version=seen_version)
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "Someone else changed this case while you were looking at it." in html(response)
    assert snapshot(case) == before
    assert case.assignee == second_officer


def test_a_form_without_its_version_is_refused(officer_client, officer, case):
    before = snapshot(case)
    url = reverse("dsar:case_action", args=[case.reference, "assign"])
    response = officer_client.post(url, {"assignee": officer.pk})
    assert response.status_code == 400
    assert "This page is out of date" in html(response)
    assert snapshot(case) == before


def test_auditor_cannot_act_and_gets_403(client, auditor, case):
    client.force_login(auditor)
    before = snapshot(case)
    response = act(client, case, "extend", reason="I am only an auditor.")
    assert response.status_code == 403
    assert "read only" in html(response)
    assert snapshot(case) == before


def test_get_on_an_action_is_not_allowed(officer_client, case):
    url = reverse("dsar:case_action", args=[case.reference, "extend"])
    assert officer_client.get(url).status_code == 405


def test_unknown_action_is_404(officer_client, case):
    before = snapshot(case)
    assert act(officer_client, case, "delete-everything").status_code == 404
    assert snapshot(case) == before
