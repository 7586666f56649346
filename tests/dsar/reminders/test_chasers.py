"""Unconfirmed web requests: one chaser, then discarded (dsar.reminders.chasers)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from dsar import services
from dsar.choices import Channel, Right, Status
from dsar.models import CaseEvent, Notice, OutgoingEmail
from dsar.reminders import chase_unconfirmed, discard_unconfirmed
from tests.factories import ControllerFactory

from .conftest import travel

pytestmark = pytest.mark.django_db

PERSON = {
    "requester_name": "Ada Lovelace",
    "requester_email": "ada@example.net",
    "requester_phone": "07700 900123",
    "requester_address": "1 Analytical Row, London",
    "subject_identifiers": [{"kind": "customer_number", "value": "C-1815"}],
    "description": "Everything about my loyalty card.",
}


@pytest.fixture
def web_case(controller, django_capture_on_commit_callbacks):
    """A web request sent on Tuesday 1 September 2026 at 10:00, never confirmed."""
    with travel("2026-09-01", "10:00"), django_capture_on_commit_callbacks(execute=True):
        case = services.case_create(
            controller=controller, right=Right.ACCESS, channel=Channel.WEB, fields=dict(PERSON)
        )
    mail.outbox.clear()
    return case


def test_one_chaser_goes_after_three_days_with_a_fresh_link(web_case, sweep, client):
    with travel("2026-09-04", "09:59"):
        assert sweep(chase_unconfirmed) == []
    with travel("2026-09-04", "10:00"):
        (action,) = sweep(chase_unconfirmed)
    assert (action.kind, action.recipient) == ("unconfirmed_chaser", "requester")
    for day in ("2026-09-05", "2026-09-10"):
        with travel(day):
            assert sweep(chase_unconfirmed) == []
    (message,) = mail.outbox
    assert message.to == ["ada@example.net"]
    assert message.subject == "Please confirm your request to Acme Retail"
    # The new link lasts 7 days, to Friday 11 September; the request lapses on the 15th.
    assert "The link works until the end of Friday 11 September 2026." in message.body
    assert web_case.emails.filter(template="unconfirmed_chaser").count() == 1
    assert web_case.events.filter(kind="confirmation_reminder_sent").count() == 1
    # The first link expired after 7 days; the chaser's still works on day 9.
    link = re.search(r"http://127\.0\.0\.1:8000(/r/acme/confirm/\S+/)", message.body)[1]
    with travel("2026-09-10"):
        response = client.get(link)
    assert response.status_code == 200
    web_case.refresh_from_db()
    assert web_case.status == Status.IN_PROGRESS


def test_a_confirmed_request_is_not_chased(web_case, sweep):
    with travel("2026-09-02"):
        services.case_confirm(case=web_case)
    with travel("2026-09-05"):
        assert sweep(chase_unconfirmed) == []


def test_the_chase_delay_is_the_controllers(sweep, django_capture_on_commit_callbacks):
    controller = ControllerFactory(unconfirmed_chase_after_days=5)
    with travel("2026-09-01"):
        services.case_create(
            controller=controller, right=Right.ACCESS, channel=Channel.WEB, fields=dict(PERSON)
        )
    with travel("2026-09-05"):
        assert sweep(chase_unconfirmed) == []
    with travel("2026-09-06"):
        assert len(sweep(chase_unconfirmed)) == 1


def test_an_unconfirmed_request_is_discarded_and_its_personal_data_removed(web_case, sweep, client):
    with travel("2026-09-04"):
        sweep(chase_unconfirmed)
    with travel("2026-09-15", "09:59"):
        assert sweep(discard_unconfirmed) == []
    with travel("2026-09-15", "10:00"):
        (action,) = sweep(discard_unconfirmed)
        assert sweep(discard_unconfirmed) == []
    assert (action.kind, action.reference) == ("discarded", web_case.reference)
    case = type(web_case).objects.get(pk=web_case.pk)
    assert case.status == Status.WITHDRAWN
    assert case.outcome_reasons == "Not confirmed within 14 days."
    assert case.closed_at is not None
    for field, blank in services.UNCONFIRMED_PERSONAL_FIELDS.items():
        assert getattr(case, field) == blank, field
    # Every trace of the person goes from the email record too; that an email went stays.
    assert sorted(case.emails.values_list("template", flat=True)) == [
        "confirm_request",
        "unconfirmed_chaser",
    ]
    for email in case.emails.all():
        assert (email.to, email.body_text, email.body_html) == ("", "", "")
    event = case.events.get(kind="discarded")
    assert (event.from_status, event.to_status) == (Status.UNCONFIRMED, Status.WITHDRAWN)
    assert "personal data removed" in event.message
    # Nothing about Ada anywhere on the case's record.
    record = " ".join(
        str(v)
        for e in CaseEvent.objects.filter(case=case).values("message", "data")
        for v in e.values()
    )
    for value in ("Ada", "ada@example.net", "07700", "Analytical", "C-1815", "loyalty"):
        assert value not in record


def test_a_discarded_request_cannot_be_confirmed_later(web_case, sweep, client):
    with travel("2026-09-15", "11:00"):
        link = services.confirmation_url(web_case)  # a link still in date
        sweep(discard_unconfirmed)
        response = client.get(link)
    assert b"no longer open" in response.content
    web_case.refresh_from_db()
    assert web_case.status == Status.WITHDRAWN


def test_a_pending_email_to_a_discarded_request_is_never_sent(web_case):
    OutgoingEmail.objects.filter(case=web_case).update(state=OutgoingEmail.State.PENDING)
    with travel("2026-09-15", "11:00"):
        discard_unconfirmed()
    assert web_case.emails.get().state == OutgoingEmail.State.FAILED


def test_confirmed_cases_are_never_discarded(web_case, sweep):
    with travel("2026-09-02"):
        services.case_confirm(case=web_case)
    with travel("2026-10-30"):
        assert sweep(discard_unconfirmed) == []
    web_case.refresh_from_db()
    assert web_case.requester_name == "Ada Lovelace"


def test_the_discard_service_leaves_a_case_confirmed_meanwhile_alone(web_case):
    services.case_confirm(case=web_case)
    case = services.case_discard_unconfirmed(case=web_case, after_days=14)
    assert case.status == Status.IN_PROGRESS
    assert case.requester_email == "ada@example.net"


def test_a_chaser_is_claimed_once_however_often_the_sweep_runs(web_case, sweep):
    with travel("2026-09-04", "11:00"):
        done = sweep(chase_unconfirmed) + sweep(chase_unconfirmed)
    assert len(done) == 1
    assert Notice.objects.get().kind == Notice.Kind.UNCONFIRMED_CHASER
