"""The public request form, its confirmation link and the emails, through the HTTP layer."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dsar.choices import ClockStart, Relationship, Right, Status
from dsar.models import Case
from dsar.tokens import make_confirmation_token
from tests.factories import CaseFactory

LONDON = ZoneInfo("Europe/London")
ADDRESS = "203.0.113.7"


def form_url(controller) -> str:
    return reverse("dsar:request_form", args=[controller.slug])


def answers(**overrides) -> dict[str, str]:
    data = {
        "right": Right.ACCESS,
        "requester_name": "Ada Lovelace",
        "requester_email": "ada@example.net",
        "requester_phone": "07700 900123",
        "requester_address": "",
        "relationship": Relationship.SELF,
        "for_organisation": "no",
        "description": "Everything you hold about me",
        "customer_number": "CUST-42",
        "preferred_reply": "email",
        "declaration": "on",
        "company_website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def submit(client, controller, django_capture_on_commit_callbacks):
    """POST the form as a browser at `address` would, sending any emails it queues."""

    def _submit(to=None, address=ADDRESS, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                form_url(to or controller), answers(**overrides), REMOTE_ADDR=address
            )

    return _submit


def confirmation_path(message) -> str:
    url = re.search(r"https?://\S+/confirm/\S+/", message.body).group(0)
    return urlsplit(url).path


def follow_link(client, path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(path)


# --- pages -----------------------------------------------------------------------------


def test_home_lists_active_controllers_with_links_to_their_forms(
    client, controller, other_controller
):
    other_controller.is_active = False
    other_controller.save()
    page = client.get(reverse("dsar:home")).content.decode()
    assert form_url(controller) in page
    assert other_controller.name not in page
    assert reverse("login") in page


def test_form_is_headed_with_the_controller_and_offers_every_right(client, controller):
    response = client.get(form_url(controller))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Make a data protection request to Acme Retail</h1>" in page
    for right in Right:
        assert f'value="{right.value}"' in page
    assert "email you a link" in page
    assert "within one month" in page
    assert 'class="honeypot" aria-hidden="true"' in page


def test_form_says_letterhead_helps_but_is_never_a_condition(client, controller):
    # Issue 13.7: a controller's letterhead or form is never a condition of a valid request.
    assert "letterhead" not in client.get(form_url(controller)).content.decode()
    controller.letterhead_required_for_organisations = True
    controller.save()
    page = client.get(form_url(controller)).content.decode()
    assert "It helps us if you can also send your request on the organisation" in page
    assert "your request is valid without it" in page
    assert "needs requests made by an organisation" not in page


def test_unknown_or_inactive_controller_has_no_form(client, controller):
    assert client.get("/r/no-such-organisation/").status_code == 404
    controller.is_active = False
    controller.save()
    assert client.get(form_url(controller)).status_code == 404


# --- valid submissions -------------------------------------------------------------------


def test_access_request_is_saved_unconfirmed_and_a_confirmation_link_emailed(submit, controller):
    response = submit()
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dsar:request_sent", args=[controller.slug])
    assert case.reference not in response["Location"]
    assert (case.controller, case.right, case.channel) == (controller, Right.ACCESS, "web")
    assert case.status == Status.UNCONFIRMED
    assert case.requester_name == "Ada Lovelace"
    assert case.description == "Everything you hold about me"
    assert case.declaration_at is not None
    assert case.subject_identifiers == [
        {"kind": "email", "value": "ada@example.net"},
        {"kind": "phone", "value": "07700 900123"},
        {"kind": "customer_number", "value": "CUST-42"},
    ]
    assert case.events.get().kind == "created"
    [email] = mail.outbox
    assert email.to == ["ada@example.net"]
    assert email.subject == "Confirm your request to Acme Retail"
    assert "7 days" in email.body


def test_sent_page_asks_to_check_email_without_revealing_the_request(submit, client, controller):
    page = client.get(submit()["Location"]).content.decode()
    case = Case.objects.get()
    assert "Check your email" in page
    assert case.reference not in page
    assert "ada@example.net" not in page
    assert "Ada Lovelace" not in page


def test_rectification_is_saved_with_what_is_wrong_and_the_correction(submit):
    submit(
        right=Right.RECTIFICATION,
        rectification_inaccurate="My surname",
        rectification_correction="It is Lovelace, not Lovelance",
    )
    case = Case.objects.get()
    assert case.right == Right.RECTIFICATION
    assert case.rectification_inaccurate == "My surname"
    assert case.rectification_correction == "It is Lovelace, not Lovelance"
    assert case.description == ""  # answers for other rights are not kept


def test_rectification_without_the_correction_is_refused_on_that_field(submit):
    response = submit(right=Right.RECTIFICATION, rectification_inaccurate="My surname")
    page = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert (
        '<a href="#id_rectification_correction">Tell us what the information should say.</a>'
        in page
    )
    assert 'id="id_rectification_correction_error"' in page
    assert "My surname" in page


def test_objection_to_direct_marketing_is_saved(submit):
    submit(right=Right.OBJECTION, objection_direct_marketing="on", objection_processing="")
    case = Case.objects.get()
    assert case.right == Right.OBJECTION
    assert case.objection_direct_marketing is True


def test_objection_needs_the_processing_or_direct_marketing(submit):
    response = submit(right=Right.OBJECTION)
    assert not Case.objects.exists()
    assert "Tell us which use of your data you object to" in response.content.decode()


def test_portability_to_another_organisation_records_the_recipient(submit):
    submit(
        right=Right.PORTABILITY,
        portability_destination="organisation",
        portability_recipient_name="New Bank plc",
        portability_recipient_email="privacy@newbank.example",
    )
    case = Case.objects.get()
    assert case.portability_destination == "organisation"
    assert case.portability_recipient == "New Bank plc <privacy@newbank.example>"


def test_portability_to_an_organisation_without_its_details_is_refused(submit):
    response = submit(right=Right.PORTABILITY, portability_destination="organisation")
    page = response.content.decode()
    assert not Case.objects.exists()
    assert '<a href="#id_portability_recipient_name">' in page
    assert '<a href="#id_portability_recipient_email">' in page


def test_request_for_someone_else_identifies_them_and_needs_their_name(submit):
    response = submit(relationship=Relationship.PARENT)
    assert not Case.objects.exists()
    assert (
        "Tell us the name of the person whose data you are asking about."
        in response.content.decode()
    )

    submit(
        relationship=Relationship.PARENT,
        subject_name="Byron Lovelace",
        subject_email="byron@example.net",
        subject_address="1 St James's Square\nLondon sw1y 4jh",
    )
    case = Case.objects.get()
    assert case.acting_for_other
    assert case.subject_name == "Byron Lovelace"
    assert {"kind": "email", "value": "byron@example.net"} in case.subject_identifiers
    assert {"kind": "postcode", "value": "SW1Y 4JH"} in case.subject_identifiers
    assert {"kind": "email", "value": "ada@example.net"} not in case.subject_identifiers


def test_organisation_request_needs_the_organisation_name(submit):
    response = submit(for_organisation="yes")
    assert not Case.objects.exists()
    assert "Enter the name of the organisation" in response.content.decode()
    submit(for_organisation="yes", organisation_name="Lovelace Solicitors LLP")
    assert Case.objects.get().organisation_name == "Lovelace Solicitors LLP"


def test_reply_by_post_needs_a_postal_address(submit):
    response = submit(preferred_reply="post")
    assert not Case.objects.exists()
    assert '<a href="#id_requester_address">' in response.content.decode()


# --- invalid submissions ------------------------------------------------------------------


def test_missing_declaration_and_bad_email_show_an_error_summary_and_keep_the_input(submit):
    response = submit(declaration=None, requester_email="ada-at-example", description="My orders")
    page = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert mail.outbox == []
    assert "<title>Error:" in page
    summary = page[
        page.index('class="error-summary"') : page.index(
            "</ul>", page.index('class="error-summary"')
        )
    ]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert '<a href="#id_requester_email">Enter an email address in the correct format' in summary
    assert (
        '<a href="#id_declaration">Confirm that the information you have given is true' in summary
    )
    assert 'aria-invalid="true"' in page
    assert 'value="ada-at-example"' in page
    assert "My orders" in page
    assert 'value="Ada Lovelace"' in page


def test_email_is_required_because_the_confirmation_goes_there(submit):
    response = submit(requester_email="")
    assert not Case.objects.exists()
    assert '<a href="#id_requester_email">Enter your email address' in response.content.decode()


def test_missing_right_links_to_the_first_choice(submit):
    response = submit(right=None)
    assert (
        '<a href="#id_right_0">Choose what you would like us to do</a>' in response.content.decode()
    )


# --- spam trap and rate limit -------------------------------------------------------------


def test_filled_honeypot_looks_successful_but_saves_nothing(submit, controller):
    response = submit(company_website="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("dsar:request_sent", args=[controller.slug])
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_rate_limit_refuses_the_extra_submission_without_losing_it(submit, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 2
    assert submit().status_code == 302
    assert submit().status_code == 302
    response = submit(requester_name="Ada Third-Try")
    page = response.content.decode()
    assert response.status_code == 429
    assert Case.objects.count() == 2
    assert "Too many requests" in page
    assert 'value="Ada Third-Try"' in page
    assert "Everything you typed is still below" in page


def test_rate_limit_counts_each_address_separately(submit, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 1
    assert submit(address="203.0.113.7").status_code == 302
    assert submit(address="203.0.113.7").status_code == 429
    assert submit(address="198.51.100.20").status_code == 302
    assert Case.objects.count() == 2


def test_rate_limit_ignores_forwarded_for_headers(client, controller, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 1
    url = form_url(controller)
    assert (
        client.post(url, answers(), REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code
        == 302
    )
    assert (
        client.post(url, answers(), REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code
        == 429
    )


def test_invalid_submissions_do_not_use_up_the_rate_limit(submit, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 1
    submit(declaration=None)
    submit(requester_email="nope")
    assert submit().status_code == 302


def test_rate_limit_allows_more_in_the_next_hour(submit, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 1
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 15, tzinfo=LONDON), tick=False):
        assert submit().status_code == 302
        assert submit().status_code == 429
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 20, tzinfo=LONDON), tick=False):
        assert submit().status_code == 302


# --- the confirmation link ---------------------------------------------------------------


def test_emailed_link_confirms_the_request_and_acknowledges_it(
    submit, client, django_capture_on_commit_callbacks
):
    with time_machine.travel(dt.datetime(2026, 2, 3, 9, 30, tzinfo=LONDON), tick=False):
        submit()
        path = confirmation_path(mail.outbox[0])
        response = follow_link(client, path, django_capture_on_commit_callbacks)
    case = Case.objects.get()
    page = response.content.decode()
    assert response.status_code == 200
    assert case.status == Status.IN_PROGRESS
    assert case.reference in page
    assert "We must reply by Tuesday 3 March 2026" in page
    assert "Access (a copy of your data)" in page
    ack = mail.outbox[1]
    assert ack.to == ["ada@example.net"]
    assert case.reference in ack.subject
    assert case.reference in ack.body
    assert "Tuesday 3 March 2026" in ack.body
    assert "dpo@example.org" in ack.body


def test_following_the_link_twice_confirms_once(submit, client, django_capture_on_commit_callbacks):
    submit()
    path = confirmation_path(mail.outbox[0])
    follow_link(client, path, django_capture_on_commit_callbacks)
    again = follow_link(client, path, django_capture_on_commit_callbacks)
    case = Case.objects.get()
    assert again.status_code == 200
    assert case.reference in again.content.decode()
    assert case.events.filter(kind="confirmed").count() == 1
    assert [e.template for e in case.emails.all()] == ["confirm_request", "acknowledgement"]
    assert len(mail.outbox) == 2


def test_expired_link_says_so_and_confirms_nothing(
    submit, client, settings, django_capture_on_commit_callbacks
):
    submit()
    path = confirmation_path(mail.outbox[0])
    later = dt.datetime.now(dt.UTC) + dt.timedelta(
        days=settings.CONFIRMATION_LINK_MAX_AGE_DAYS, hours=1
    )
    with time_machine.travel(later):
        response = follow_link(client, path, django_capture_on_commit_callbacks)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert Case.objects.get().status == Status.UNCONFIRMED
    assert len(mail.outbox) == 1


def test_tampered_link_is_refused(submit, client, django_capture_on_commit_callbacks):
    submit()
    path = confirmation_path(mail.outbox[0])
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = follow_link(client, tampered, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert Case.objects.get().status == Status.UNCONFIRMED


def test_link_under_another_controllers_address_is_refused(
    submit, client, controller, other_controller, django_capture_on_commit_callbacks
):
    submit()
    path = confirmation_path(mail.outbox[0]).replace(
        f"/r/{controller.slug}/", f"/r/{other_controller.slug}/"
    )
    response = follow_link(client, path, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert Case.objects.get().status == Status.UNCONFIRMED


def test_link_for_an_unknown_controller_is_not_found(client, db):
    token = make_confirmation_token("DSAR-2026-000001")
    assert client.get(f"/r/nobody/confirm/{token}/").status_code == 404


def test_link_to_a_withdrawn_request_does_not_reopen_it(client, controller):
    case = CaseFactory(controller=controller, status=Status.WITHDRAWN)
    response = client.get(
        reverse("dsar:confirm", args=[controller.slug, make_confirmation_token(case.reference)])
    )
    assert "no longer open" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN


def test_clock_starting_on_confirmation_moves_the_due_date(
    submit, client, controller, django_capture_on_commit_callbacks
):
    controller.clock_starts = ClockStart.CONFIRMED
    controller.save()
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, 0, tzinfo=LONDON), tick=False):
        submit()
    assert Case.objects.get().received_on == dt.date(2026, 2, 2)
    with time_machine.travel(dt.datetime(2026, 2, 5, 18, 0, tzinfo=LONDON), tick=False):
        response = follow_link(
            client, confirmation_path(mail.outbox[0]), django_capture_on_commit_callbacks
        )
    case = Case.objects.get()
    assert case.received_on == dt.date(2026, 2, 5)
    assert case.due_date == dt.date(2026, 3, 5)
    assert "We must reply by Thursday 5 March 2026" in response.content.decode()
    assert "Thursday 5 March 2026" in mail.outbox[1].body


# --- several rights in one form (issue 13.7) ------------------------------------------------


def test_two_rights_make_two_linked_cases_and_one_email(submit, controller):
    response = submit(
        right=[Right.ACCESS, Right.RECTIFICATION],
        rectification_inaccurate="My date of birth",
        rectification_correction="1 April 1990",
    )
    assert response.status_code == 302
    access, rectification = Case.objects.order_by("pk")
    assert (access.right, rectification.right) == (Right.ACCESS, Right.RECTIFICATION)
    assert {access.status, rectification.status} == {Status.UNCONFIRMED}
    # Each case keeps only the answers for its own right.
    assert access.description == "Everything you hold about me"
    assert access.rectification_inaccurate == ""
    assert rectification.rectification_correction == "1 April 1990"
    assert rectification.description == ""
    # Linked as the same person, with an event on each.
    for case, other in ((access, rectification), (rectification, access)):
        event = case.events.get(kind="person_linked")
        assert event.data == {"other": other.reference}
    [email] = mail.outbox
    assert access.reference in email.body and rectification.reference in email.body
    assert "Correct" in email.body or "Rectification" in email.body


def test_one_link_confirms_every_case_of_the_submission(
    submit, client, django_capture_on_commit_callbacks
):
    submit(right=[Right.ACCESS, Right.ERASURE], description="Everything")
    path = confirmation_path(mail.outbox[0])
    response = follow_link(client, path, django_capture_on_commit_callbacks)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Requests confirmed" in page
    cases = list(Case.objects.order_by("pk"))
    assert [c.status for c in cases] == [Status.IN_PROGRESS, Status.IN_PROGRESS]
    for case in cases:
        assert case.reference in page
    # Following it again changes nothing.
    follow_link(client, path, django_capture_on_commit_callbacks)
    assert Case.objects.filter(events__kind="confirmed").count() == 2


def test_two_rights_count_once_against_the_budgets(submit, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 1
    settings.INTAKE_EMAIL_LIMIT_PER_HOUR = 1
    assert submit(right=[Right.ACCESS, Right.ERASURE]).status_code == 302
    assert Case.objects.count() == 2
    assert submit().status_code == 429
    assert Case.objects.count() == 2


def test_each_rights_questions_are_checked_and_everything_typed_is_kept(submit):
    response = submit(
        right=[Right.ACCESS, Right.RECTIFICATION, Right.PORTABILITY],
        rectification_inaccurate="My address",
        requester_name="Ada Kept",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "There is a problem" in page
    assert 'href="#id_rectification_correction"' in page
    assert 'href="#id_portability_destination_0"' in page
    assert 'value="Ada Kept"' in page
    assert "My address" in page
    # All three ticks are kept.
    assert page.count('name="right"') == len(Right.choices)
    assert len(re.findall(r'name="right"[^>]*checked', page)) == 3


def test_a_message_two_rights_share_is_shown_once(submit):
    response = submit(
        right=[Right.ERASURE, Right.RESTRICTION], description="", preferred_reply="post"
    )
    page = response.content.decode()
    assert page.count('href="#id_requester_address"') == 1
    assert page.count('href="#id_description"') == 1
    assert not Case.objects.exists()


def test_the_form_offers_checkboxes_for_the_rights(client, controller):
    page = client.get(form_url(controller)).content.decode()
    assert page.count('type="checkbox" name="right"') == len(Right.choices)
    assert "Tick all that apply" in page
