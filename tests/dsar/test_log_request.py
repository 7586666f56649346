"""Logging a request taken by post, phone, email or in person, with its real received date."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dsar.choices import Channel, Relationship, ReplyChannel, Right, Status
from dsar.models import Case
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LOG = reverse("dsar:log_request")


@pytest.fixture(autouse=True)
def _pinned_today():
    with time_machine.travel("2026-03-12 10:00 +00:00", tick=False):
        yield


def form_data(controller, **overrides):
    return {
        "controller": controller.pk,
        "channel": Channel.PHONE,
        "received_on": "2026-03-02",
        "right": Right.ACCESS,
        "description": "A copy of my loyalty card history.",
        "requester_name": "Ada Lovelace",
        "requester_email": "ada@example.net",
        "preferred_reply": ReplyChannel.EMAIL,
        "relationship": Relationship.SELF,
        **overrides,
    }


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(LOG)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={LOG}"


def test_phone_request_received_ten_days_ago_is_due_from_that_day(
    officer_client, officer, controller
):
    response = officer_client.post(
        LOG, form_data(controller, received_on="2026-03-02"), follow=True
    )

    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    # Received Monday 2 March: due Thursday 2 April, not a month from today (12 March).
    assert (case.received_on, case.due_date) == (dt.date(2026, 3, 2), dt.date(2026, 4, 2))
    assert (case.channel, case.status) == (Channel.PHONE, Status.IN_PROGRESS)
    assert case.requester_name == "Ada Lovelace"
    assert f"Logged {case.reference}: due Thursday 2 April 2026." in response.content.decode()
    event = case.events.get()
    assert (event.kind, event.actor) == ("created", officer)


def test_a_received_date_in_the_future_is_refused_with_a_field_error(officer_client, controller):
    response = officer_client.post(LOG, form_data(controller, received_on="2026-03-13"))
    assert response.status_code == 400
    text = response.content.decode()
    assert '<a href="#id_received_on">The received date cannot be in the future.</a>' in text
    assert 'id="id_received_on_error"' in text
    assert not Case.objects.exists()


def test_a_user_cannot_log_for_a_controller_they_are_not_granted(
    officer_client, controller, other_controller
):
    response = officer_client.get(LOG)
    assert "Other Group" not in response.content.decode()

    response = officer_client.post(LOG, form_data(other_controller))
    assert response.status_code == 400
    assert "Choose one of the controllers you are an officer of." in response.content.decode()
    assert not Case.objects.exists()


def test_an_auditor_cannot_log_requests(client, auditor, controller):
    client.force_login(auditor)
    assert "you are not an officer of any controller" in client.get(LOG).content.decode()
    response = client.post(LOG, form_data(controller))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_the_only_controller_is_preselected_and_several_are_offered(
    officer_client, officer, controller, other_controller
):
    text = officer_client.get(LOG).content.decode()
    assert f'<option value="{controller.pk}" selected>Acme Retail</option>' in text

    MembershipFactory(user=officer, controller=other_controller)
    text = officer_client.get(LOG).content.decode()
    assert f'<option value="{other_controller.pk}">Other Group</option>' in text
    assert "selected>" not in text.split('id="id_controller"')[1].split("</select>")[0]


def test_request_on_someone_elses_behalf_keeps_subject_and_identifiers(officer_client, controller):
    data = form_data(
        controller,
        channel=Channel.POST,
        relationship=Relationship.PARENT,
        subject_name="Ada Junior",
        preferred_reply=ReplyChannel.POST,
        requester_address="1 St James's Square\nLondon SW1Y 4JU",
        subject_identifiers="Customer number: 12345\nold-account-ref",
    )
    officer_client.post(LOG, data)
    case = Case.objects.get()
    assert (case.channel, case.relationship, case.subject_name) == (
        Channel.POST, Relationship.PARENT, "Ada Junior",
    )  # fmt: skip
    assert case.subject_identifiers == [
        {"kind": "customer_number", "value": "12345"},
        {"kind": "other", "value": "old-account-ref"},
    ]


def test_missing_details_are_listed_and_typed_answers_kept(officer_client, controller):
    data = form_data(
        controller, requester_name="", requester_email="", relationship=Relationship.SOLICITOR
    )
    response = officer_client.post(LOG, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert '<a href="#id_requester_name">Give the requester&#x27;s name.</a>' in text
    assert "Give an email address, or choose to reply by post." in text
    assert "Give the name of the person whose data it is." in text
    assert "A copy of my loyalty card history." in text
    assert not Case.objects.exists()
