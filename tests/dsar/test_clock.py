"""Issue 13: the clock cannot be bent (Art 12A pauses, extensions, identity, fees, limits),
and every change to it is told to the requester in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from dsar import clock, deadlines, services
from dsar.choices import ReplyChannel, Right, Role, Status
from dsar.errors import CaseActionError, TransitionError
from dsar.models import Case, Controller, OutgoingEmail
from exports.models import Document
from identity.tokens import make_status_token
from tests.factories import CaseFactory, api_client_for, officer_of

pytestmark = pytest.mark.django_db


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def travel(day: str):
    return time_machine.travel(f"{day} 10:00 +00:00", tick=False)


def post_case(controller, **fields) -> Case:
    """A requester who asked for replies by post."""
    return CaseFactory(
        controller=controller,
        requester_email="",
        requester_address="1 Acacia Avenue\nAnytown\nAB1 2CD",
        preferred_reply=ReplyChannel.POST,
        **fields,
    )


# --- the pure rules ------------------------------------------------------------------


def test_the_last_day_to_extend_a_31_january_receipt_is_saturday_28_february():
    inp = deadlines.DeadlineInput(received=d("2026-01-31"))
    assert deadlines.compute_deadline(inp).due == d("2026-03-02")  # rolled to Monday
    assert clock.last_day_to_extend(inp) == d("2026-02-28")  # the statute's date, unrolled


def test_clarification_days_lengthen_the_time_to_extend():
    inp = deadlines.DeadlineInput(
        received=d("2026-01-31"), pauses=(deadlines.Pause(d("2026-02-02"), d("2026-02-04")),)
    )
    assert clock.last_day_to_extend(inp) == d("2026-03-03")


@pytest.mark.parametrize(
    ("rule", "days", "months", "field"),
    [
        ("days", 40, 2, "deadline_days"),
        ("calendar_month", 40, 2, "deadline_days"),  # refused whatever the rule
        ("calendar_month", 28, 5, "extension_months"),
        ("weeks", 28, 2, "deadline_rule"),
    ],
)
def test_rules_the_law_does_not_allow_are_named(rule, days, months, field):
    problems = deadlines.rule_problems(rule, days, months)
    assert list(problems) == [field]
    with pytest.raises(ValueError, match=r"at most|Choose"):
        deadlines.check_rule(rule, days, months)


def test_a_28_day_rule_and_a_two_month_extension_are_lawful():
    assert deadlines.rule_problems("days", 28, 2) == {}
    assert deadlines.rule_problems("calendar_month", 28, 0) == {}


# --- pauses: only for access, open, before the deadline, never backdated --------------


def test_pause_on_an_erasure_case_is_refused(controller, officer):
    case = CaseFactory(controller=controller, right=Right.ERASURE)
    with pytest.raises(CaseActionError, match="Only an access request"):
        services.case_pause(case=case, by=officer, reason="Which account?")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert not case.pauses.exists()
    assert not case.emails.exists()


def test_pause_after_the_deadline_is_refused(controller, officer):
    with travel("2026-03-02"):
        case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
    with travel("2026-04-03"), pytest.raises(CaseActionError, match=r"deadline .* has passed"):
        services.case_pause(case=case, by=officer, reason="Which account?")
    assert not case.pauses.exists()


@travel("2026-03-10")
def test_backdated_pause_is_refused(controller, officer):
    case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
    with pytest.raises(CaseActionError, match="cannot be backdated"):
        services.case_pause(case=case, by=officer, reason="Which?", started_on=d("2026-03-05"))
    with pytest.raises(CaseActionError, match="before the request was received"):
        services.case_pause(case=case, by=officer, reason="Which?", started_on=d("2026-03-01"))
    assert not case.pauses.exists()


def test_a_portability_request_may_be_paused_for_its_access_part(controller, officer):
    case = CaseFactory(controller=controller, right=Right.PORTABILITY)
    case = services.case_pause(case=case, by=officer, reason="Which account?")
    assert case.status == Status.AWAITING_REQUESTER


def test_a_finished_case_cannot_be_paused(controller, officer):
    case = CaseFactory(controller=controller, status=Status.CLOSED)
    with pytest.raises(TransitionError):
        services.case_pause(case=case, by=officer, reason="Which?")


def test_pausing_emails_the_question_in_the_same_transaction(controller, officer):
    case = CaseFactory(controller=controller)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_pause(case=case, by=officer, reason="Which account do you mean?")
        assert case.emails.get(template="clarification_request")  # written with the pause
        raise RuntimeError("roll back")
    assert not case.emails.exists() and not case.pauses.exists()  # nothing without the other

    case = services.case_pause(case=case, by=officer, reason="Which account do you mean?")
    email = case.emails.get(template="clarification_request")
    assert "Which account do you mean?" in email.body_text
    assert "/status/" in email.body_text
    assert case.events.get(kind="paused").data["email_id"] == email.pk


def test_pausing_a_case_answered_by_post_issues_the_letter(controller, officer):
    case = post_case(controller)
    case = services.case_pause(case=case, by=officer, reason="Which branch did you visit?")
    letter = Document.objects.get(case=case, kind="clarification_request")
    assert letter.delivery == "post"
    assert "Which branch did you visit?" in letter.source_html
    assert case.pauses.get().sent_by == "post"


def test_a_requester_with_no_address_cannot_be_paused_silently(controller, officer):
    case = CaseFactory(controller=controller, requester_email="", requester_address="")
    with pytest.raises(CaseActionError, match="cannot be told"):
        services.case_pause(case=case, by=officer, reason="Which?")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_the_answer_restarts_the_clock_on_the_day_it_arrives(controller, officer):
    with travel("2026-06-01"):
        case = CaseFactory(controller=controller, received_on=d("2026-06-01"))
        case = services.case_pause(case=case, by=officer, reason="Which account?")
    with travel("2026-06-10"):
        case = services.answer_clarification(case, text="The loyalty card.")
    pause = case.pauses.get()
    assert (pause.ended_on, pause.answer, pause.answered_by) == (
        d("2026-06-10"), "The loyalty card.", "requester",
    )  # fmt: skip
    # 1..10 June is ten days: 1 July + 10 = Saturday 11 July, rolled to Monday 13 July.
    assert (case.status, case.due_date) == (Status.IN_PROGRESS, d("2026-07-13"))


def test_an_officer_records_an_answer_that_came_by_post_with_its_date(controller, officer):
    with travel("2026-06-01"):
        case = CaseFactory(controller=controller, received_on=d("2026-06-01"))
        case = services.case_pause(case=case, by=officer, reason="Which account?")
    with travel("2026-06-12"):
        with pytest.raises(CaseActionError, match="between the day the question was sent"):
            services.case_resume(case=case, by=officer, ended_on=d("2026-05-30"))
        case = services.case_resume(case=case, by=officer, ended_on=d("2026-06-05"))
    assert case.pauses.get().answered_by == "officer"
    assert case.due_date == d("2026-07-06")  # 1 July + 5 days, Monday 6 July


# --- extensions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "allowed"),
    [("2026-02-28", True), ("2026-03-01", False), ("2026-03-02", False)],
)
def test_extension_of_a_31_january_receipt_ends_on_28_february_not_the_rolled_2_march(
    controller, officer, today, allowed
):
    with travel("2026-01-31"):
        case = CaseFactory(controller=controller, received_on=d("2026-01-31"))
    assert case.due_date == d("2026-03-02")
    with travel(today):
        if allowed:
            case = services.case_extend(case=case, by=officer, reason="Eleven systems.")
            assert case.extended and case.due_date == d("2026-04-30")
        else:
            with pytest.raises(CaseActionError, match="original period ended on Saturday 28"):
                services.case_extend(case=case, by=officer, reason="Eleven systems.")
            case.refresh_from_db()
            assert not case.extended and case.due_date == d("2026-03-02")
            assert not case.emails.filter(template="extension_notice").exists()


@travel("2026-02-10")
def test_extending_sends_the_notice_with_the_new_date_and_reasons(controller, officer):
    case = CaseFactory(controller=controller, received_on=d("2026-01-31"))
    case = services.case_extend(case=case, by=officer, reason="Call recordings to review.")
    email = case.emails.get(template="extension_notice")
    assert "Thursday 30 April 2026" in email.body_text
    assert "Call recordings to review." in email.body_text
    assert "Article 12A" in email.body_text
    assert "Information Commissioner" in email.body_text
    assert case.events.get(kind="extended").data["email_id"] == email.pk


@travel("2026-02-10")
def test_extending_a_case_answered_by_post_issues_the_extension_notice(controller, officer):
    case = post_case(controller, received_on=d("2026-01-31"))
    services.case_extend(case=case, by=officer, reason="Call recordings to review.")
    letter = Document.objects.get(case=case, kind="extension_notice")
    assert letter.delivery == "post"
    assert "30 April 2026" in letter.source_html
    assert "Article 12A" in letter.source_html


# --- identity and fees ---------------------------------------------------------------


def test_asking_again_for_identity_on_a_verified_overdue_case_keeps_its_due_date(
    controller, officer
):
    with travel("2026-01-05"):
        case = CaseFactory(
            controller=controller, status=Status.AWAITING_IDENTITY, received_on=d("2026-01-05")
        )
        case = services.case_identity_received(case=case, by=officer)
    due = case.due_date
    with travel("2026-03-20"):  # overdue
        assert case.days_left() < 0
        case = services.case_request_identity(case=case, by=officer, note="A new passport scan.")
    case.refresh_from_db()
    assert (case.status, case.due_date) == (Status.IN_PROGRESS, due)
    event = case.events.filter(kind="identity_requested").get()
    assert "clock keeps running" in event.message


def test_asking_again_through_the_identity_steps_keeps_the_clock_running(controller, officer):
    from identity import services as identity_services
    from identity.choices import Method

    with travel("2026-01-05"):
        case = CaseFactory(
            controller=controller, status=Status.AWAITING_IDENTITY, received_on=d("2026-01-05")
        )
        case = services.case_identity_received(case=case, by=officer)
    with travel("2026-02-20"):
        identity_services.step_request(case=case, method=Method.IDENTITY_DOCUMENT, by=officer)
        case.refresh_from_db()
        assert case.status == Status.IN_PROGRESS
        page = Client().get(reverse("identity:status", args=[make_status_token(case.reference)]))
    assert "the time limit keeps running while we wait" in page.content.decode()


def test_fee_request_stops_the_clock_and_fee_received_restarts_it(controller, officer):
    with travel("2026-03-02"):
        case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
    with travel("2026-03-05"):
        case = services.case_request_fee(
            case=case,
            by=officer,
            ground="manifestly_excessive",
            reason="The fourth identical request this month.",
            amount="£25.00",
            how_to_pay="By card on 0300 000 0000.",
        )
    assert case.status == Status.AWAITING_REQUESTER
    email = case.emails.get(template="fee_request")
    assert "£25.00" in email.body_text and "fourth identical request" in email.body_text
    assert case.fee_received_on is None
    with travel("2026-03-20"):
        with pytest.raises(CaseActionError, match="between the day it was asked"):
            services.case_fee_received(case=case, by=officer, received_on=d("2026-03-04"))
        case = services.case_fee_received(case=case, by=officer, received_on=d("2026-03-16"))
    assert case.fee_received_on == d("2026-03-16")
    assert (case.status, case.due_date) == (Status.IN_PROGRESS, d("2026-04-16"))


def test_a_fee_needs_a_lawful_ground(controller, officer):
    case = CaseFactory(controller=controller)
    with pytest.raises(CaseActionError, match="manifestly unfounded or excessive"):
        services.case_request_fee(
            case=case, by=officer, ground="admin_costs", reason="x", amount="£5", how_to_pay="x"
        )
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.fee_requested_on is None


def test_a_fee_request_by_post_issues_the_fee_letter(controller, officer):
    case = post_case(controller)
    services.case_request_fee(
        case=case,
        by=officer,
        ground="further_copies",
        reason="A second copy of the same records.",
        amount="£10.00",
        how_to_pay="Cheque to the address above.",
    )
    letter = Document.objects.get(case=case, kind="fee_request")
    assert letter.delivery == "post" and "£10.00" in letter.source_html


# --- limits as the law allows: model, database, admin, API ------------------------------


def test_the_model_refuses_a_40_day_rule_and_a_5_month_extension(controller):
    controller.deadline_days = 40
    controller.extension_months = 5
    with pytest.raises(ValidationError) as exc:
        controller.full_clean()
    assert "at most 28 days" in str(exc.value.message_dict["deadline_days"])
    assert "at most 2 further months" in str(exc.value.message_dict["extension_months"])


def test_the_database_refuses_a_rule_outside_the_law(controller):
    with pytest.raises(IntegrityError), transaction.atomic():
        Controller.objects.filter(pk=controller.pk).update(deadline_days=40)


def test_the_admin_refuses_a_40_day_rule_with_the_reason(controller):
    model_admin = admin.site._registry[Controller]
    request = RequestFactory().get("/")
    form_class = model_admin.get_form(request, controller)
    data = {
        f: getattr(controller, f)
        for f in form_class.base_fields
        if getattr(controller, f, None) is not None
    }
    data.update(deadline_rule="days", deadline_days=40, reminder_days="[7, 3, 1]")
    data["accepted_identity_documents"] = "[]"
    form = form_class(data=data, instance=controller)
    assert not form.is_valid()
    assert "at most 28 days" in " ".join(form.errors["deadline_days"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline_days": 40}, "deadline_days"),
        ({"deadline_rule": "calendar_month", "deadline_days": 40}, "deadline_days"),
        ({"extension_months": 5}, "extension_months"),
    ],
)
def test_the_api_refuses_a_rule_outside_the_law_with_a_clear_message(controller, change, field):
    admin_user = officer_of(controller, role=Role.ADMIN, username="ada-admin")
    response = api_client_for(admin_user).patch(
        f"/api/v1/controllers/{controller.slug}/", change, format="json"
    )
    assert response.status_code == 400, response.content
    assert "at most" in response.json()["errors"][field][0]
    controller.refresh_from_db()
    assert (controller.deadline_days, controller.extension_months) == (28, 2)


# --- HTTP: the case page, the API and the status page ----------------------------------


def act(client, case, action, data):
    return client.post(f"/api/v1/cases/{case.reference}/{action}/", data, format="json")


def test_the_api_refuses_a_pause_on_an_erasure_case(controller, officer):
    case = CaseFactory(controller=controller, right=Right.ERASURE)
    response = act(api_client_for(officer), case, "pause", {"reason": "Which?"})
    assert response.status_code == 400
    assert "Only an access request" in response.json()["detail"]


@travel("2026-03-10")
def test_the_api_refuses_a_backdated_pause(controller, officer):
    case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
    response = act(
        api_client_for(officer), case, "pause", {"reason": "Which?", "started_on": "2026-03-05"}
    )
    assert response.status_code == 400
    assert "cannot be backdated" in str(response.json())


def test_the_api_asks_for_a_fee_and_records_it_received(controller, officer):
    client = api_client_for(officer)
    with travel("2026-03-02"):
        case = CaseFactory(controller=controller, received_on=d("2026-03-02"))
        response = act(
            client,
            case,
            "request-fee",
            {
                "ground": "manifestly_unfounded",
                "amount": "£25.00",
                "reason": "Made only to disrupt, as the requester said.",
                "how_to_pay": "By card.",
            },
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "awaiting_requester"
        assert "fee-received" in response.json()["actions"]
        assert "resume" not in response.json()["actions"]
    with travel("2026-03-09"):
        response = act(client, case, "fee-received", {})
    assert response.status_code == 200, response.json()
    assert response.json()["fee_received_on"] == "2026-03-09"
    assert response.json()["due_date"] == "2026-04-09"


def test_the_case_page_offers_no_pause_for_an_objection(officer_client, controller):
    case = CaseFactory(controller=controller, right=Right.OBJECTION)
    page = officer_client.get(case.get_absolute_url()).content.decode()
    assert 'id="action-pause"' not in page
    assert 'id="action-request-fee"' in page


def test_the_status_page_shows_the_question_and_the_answer_restarts_the_clock(
    client, controller, officer
):
    with travel("2026-06-01"):
        case = CaseFactory(controller=controller, received_on=d("2026-06-01"))
        services.case_pause(case=case, by=officer, reason="Which loyalty card number?")
    token = make_status_token(case.reference)
    url = reverse("identity:status", args=[token])
    with travel("2026-06-04"):
        page = client.get(url).content.decode()
        assert "Which loyalty card number?" in page
        assert "paused from 1 June 2026" in page
        empty = client.post(reverse("identity:answer", args=[token]), {"text": " "})
        assert empty.status_code == 400
        response = client.post(
            reverse("identity:answer", args=[token]), {"text": "Card 1234."}, follow=True
        )
    page = response.content.decode()
    assert "The time limit runs again from today" in page
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.pauses.get().ended_on == d("2026-06-04")
    assert "paused from 1 June 2026 to 4 June 2026" in page


@travel("2026-02-10")
def test_the_status_page_shows_the_new_date_and_why(client, controller, officer):
    case = CaseFactory(controller=controller, received_on=d("2026-01-31"))
    services.case_extend(case=case, by=officer, reason="Call recordings to review.")
    page = client.get(reverse("identity:status", args=[make_status_token(case.reference)]))
    text = page.content.decode()
    assert "We must reply by Thursday 30 April 2026" in text
    assert "Call recordings to review." in text


def test_the_status_page_says_what_the_fee_is_for(client, controller, officer):
    case = CaseFactory(controller=controller)
    services.case_request_fee(
        case=case,
        by=officer,
        ground="further_copies",
        reason="A second copy.",
        amount="£10.00",
        how_to_pay="By card.",
    )
    page = client.get(reverse("identity:status", args=[make_status_token(case.reference)]))
    text = page.content.decode()
    assert "Waiting for the fee" in text and "£10.00" in text
    assert OutgoingEmail.objects.filter(case=case, template="fee_request").exists()


def test_the_settings_page_refuses_40_days_even_with_the_calendar_month_rule(client, controller):
    """The settings form checks the days value only for the days rule; the model's rule
    check refuses it whatever the rule, with its reason, and saves nothing."""
    from tests.dsar.configuration.conftest import organisation_data

    admin_user = officer_of(controller, role=Role.ADMIN, username="ada-admin")
    client.force_login(admin_user)
    data = organisation_data(controller, deadline_rule="calendar_month", deadline_days="40")
    response = client.post(reverse("settings:organisation", args=[controller.slug]), data)
    assert response.status_code == 400
    assert "at most 28 days" in response.content.decode()
    controller.refresh_from_db()
    assert controller.deadline_days == 28
