"""Issue 13, points 7 and 8: asking is never made harder (other ways to ask on every
public page), the acknowledgement and the status page say the same true thing about when
the clock starts, and retention is "not set" until an admin sets it."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from dsar import services
from dsar.choices import Channel, Right
from dsar.models import Controller
from identity.tokens import make_status_token
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_request_form_lists_the_other_ways_to_ask_from_the_settings(client, controller):
    controller.postal_address = "Privacy Team\n1 High Street\nAnytown AB1 2CD"
    controller.dpo_phone = "0300 000 0000"
    controller.accepts_phone = False
    controller.save()
    page = client.get(reverse("dsar:request_form", args=[controller.slug])).content.decode()
    assert "Other ways to ask" in page
    assert "You do not have to use this form" in page
    assert f"mailto:{controller.dpo_email}" in page
    assert "1 High Street" in page
    assert "0300 000 0000" not in page  # the controller does not take requests by phone

    controller.accepts_phone = True
    controller.save()
    page = client.get(reverse("dsar:request_form", args=[controller.slug])).content.decode()
    assert "By phone: 0300 000 0000" in page


def test_the_sent_page_and_the_status_page_also_say_the_other_ways(client, controller):
    sent = client.get(reverse("dsar:request_sent", args=[controller.slug])).content.decode()
    assert "Other ways to ask" in sent
    case = CaseFactory(controller=controller)
    status = client.get(reverse("identity:status", args=[make_status_token(case.reference)]))
    assert "Other ways to ask" in status.content.decode()


@time_machine.travel("2026-03-03 10:00 +00:00", tick=False)
def test_the_acknowledgement_and_the_status_page_say_the_same_about_the_clock(
    client, controller, django_capture_on_commit_callbacks
):
    case = services.case_create(
        controller=controller,
        right=Right.ACCESS,
        channel=Channel.WEB,
        fields={"requester_name": "Ada", "requester_email": "ada@example.net"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_confirm(case=case)
    sentence = (
        "The time limit runs from 3 March 2026, the day you sent your request; that day "
        "counts as day one."
    )
    acknowledgement = case.emails.get(template="acknowledgement")
    assert sentence in acknowledgement.body_text
    assert sentence in acknowledgement.body_html
    status = client.get(reverse("identity:status", args=[make_status_token(case.reference)]))
    assert sentence in status.content.decode()


def test_a_new_controller_has_no_retention_period_until_an_admin_sets_one(db):
    controller = Controller.objects.create(name="Silent Ltd", slug="silent")
    assert controller.closed_case_retention_days is None
