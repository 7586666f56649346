"""POST /api/v1/requests/: the public intake."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from dsar.choices import Channel, Status
from dsar.models import Case
from tests.factories import ControllerFactory

URL = "/api/v1/requests/"


def body(**overrides):
    data = {
        "controller": "acme",
        "right": "access",
        "requester_name": "Ada Lovelace",
        "requester_email": "ada@example.net",
        "description": "Everything you hold about me.",
        "declaration": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def throttle_rates(settings):
    """Set the intake budgets (per address, per email) for one test."""

    def set_rates(*, intake: int, intake_email: int):
        settings.INTAKE_RATE_LIMIT_PER_HOUR = intake
        settings.INTAKE_EMAIL_LIMIT_PER_HOUR = intake_email

    return set_rates


def test_request_is_saved_unconfirmed_and_a_confirmation_link_is_emailed(
    api_client, controller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(URL, body(), format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    case = Case.objects.get()
    assert data["reference"] == case.reference
    assert data["reference"].startswith("DSAR-")
    assert data["status"] == "unconfirmed"
    assert case.reference in data["message"]
    assert case.controller == controller
    assert case.channel == Channel.WEB
    assert case.status == Status.UNCONFIRMED
    assert case.declaration_at is not None
    assert [m.to for m in mail.outbox] == [["ada@example.net"]]
    assert "/r/acme/confirm/" in mail.outbox[0].body


def test_optional_case_fields_are_kept(api_client, controller):
    response = api_client.post(
        URL,
        body(
            right="portability",
            relationship="parent",
            subject_name="Bea Lovelace",
            portability_destination="organisation",
            portability_recipient="New Bank plc, data@newbank.example",
            subject_identifiers=[{"kind": "customer_number", "value": "C-1234"}],
            preferred_reply="email",
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert case.subject_name == "Bea Lovelace"
    assert case.relationship == "parent"
    assert case.portability_recipient == "New Bank plc, data@newbank.example"
    assert case.subject_identifiers == [{"kind": "customer_number", "value": "C-1234"}]


def test_missing_fields_come_back_as_json_field_errors(api_client, controller):
    response = api_client.post(URL, {}, format="json")

    assert response.status_code == 400
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"]
    assert {"controller", "right", "requester_name", "requester_email", "declaration"} <= set(
        data["errors"]
    )
    assert all(isinstance(messages, list) for messages in data["errors"].values())
    assert not Case.objects.exists()


def test_the_declaration_must_be_made(api_client, controller):
    response = api_client.post(URL, body(declaration=False), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["declaration"]


def test_rectification_needs_the_inaccurate_data_and_the_correction(api_client, controller):
    response = api_client.post(URL, body(right="rectification"), format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "rectification_inaccurate",
        "rectification_correction",
    }

    response = api_client.post(
        URL,
        body(
            right="rectification",
            rectification_inaccurate="My surname is spelt Lovelance.",
            rectification_correction="Lovelace",
        ),
        format="json",
    )
    assert response.status_code == 201


def test_portability_to_another_organisation_needs_the_recipient(api_client, controller):
    response = api_client.post(
        URL, body(right="portability", portability_destination="organisation"), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["portability_recipient"]

    response = api_client.post(
        URL, body(right="portability", portability_destination="requester"), format="json"
    )
    assert response.status_code == 201


def test_someone_acting_for_another_person_must_name_them(api_client, controller):
    response = api_client.post(URL, body(relationship="solicitor"), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["subject_name"]


def test_unknown_controller_is_a_field_error(api_client, controller):
    response = api_client.post(URL, body(controller="no-such-org"), format="json")

    assert response.status_code == 400
    assert "no-such-org" in response.json()["errors"]["controller"][0]


def test_inactive_controller_takes_no_requests(api_client, db):
    ControllerFactory(slug="closed-down", is_active=False)

    response = api_client.post(URL, body(controller="closed-down"), format="json")

    assert response.status_code == 400
    assert "controller" in response.json()["errors"]


def test_intake_needs_no_csrf_token_even_from_a_signed_in_browser(controller, officer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post(URL, body(), format="json")

    assert response.status_code == 201


def test_one_address_is_limited(api_client, controller, throttle_rates):
    throttle_rates(intake=2, intake_email=100)

    for n in range(2):
        response = api_client.post(URL, body(requester_email=f"p{n}@example.net"), format="json")
        assert response.status_code == 201
    response = api_client.post(URL, body(requester_email="p3@example.net"), format="json")

    assert response.status_code == 429
    assert "detail" in response.json()
    assert Case.objects.count() == 2
    other_address = api_client.post(
        URL, body(requester_email="p4@example.net"), format="json", REMOTE_ADDR="192.0.2.7"
    )
    assert other_address.status_code == 201


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_limit(
    api_client, controller, throttle_rates
):
    throttle_rates(intake=1, intake_email=100)

    first = api_client.post(URL, body(requester_email="a@example.net"), format="json")
    forged = api_client.post(
        URL,
        body(requester_email="b@example.net"),
        format="json",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )

    assert first.status_code == 201
    assert forged.status_code == 429


def test_one_email_is_limited_whatever_the_address_and_letter_case(
    api_client, controller, throttle_rates
):
    throttle_rates(intake=100, intake_email=2)

    for n, email in enumerate(["ada@example.net", "ADA@Example.net"]):
        response = api_client.post(
            URL, body(requester_email=email), format="json", REMOTE_ADDR=f"192.0.2.{n + 1}"
        )
        assert response.status_code == 201
    response = api_client.post(
        URL, body(requester_email=" Ada@example.NET"), format="json", REMOTE_ADDR="192.0.2.50"
    )

    assert response.status_code == 429
    assert Case.objects.count() == 2
    another = api_client.post(
        URL, body(requester_email="bob@example.net"), format="json", REMOTE_ADDR="192.0.2.51"
    )
    assert another.status_code == 201


def test_an_objection_says_what_it_objects_to(api_client, controller):
    response = api_client.post(URL, body(right="objection"), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["objection_processing"]

    response = api_client.post(
        URL, body(right="objection", objection_direct_marketing=True), format="json"
    )
    assert response.status_code == 201


def test_a_controller_without_the_minimum_settings_takes_no_requests_here_either(
    api_client, controller
):
    """Issue 19: as its public form is not published, the API refuses, saving nothing."""
    controller.team_email = controller.dpo_email = ""
    controller.save()

    response = api_client.post(URL, body(), format="json")

    assert response.status_code == 400
    assert "Acme Retail does not take requests yet" in response.json()["errors"]["controller"][0]
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_a_website_may_send_requests_with_the_products_web_form_switched_off(
    api_client, controller
):
    controller.accepts_web = False
    controller.save()

    assert api_client.post(URL, body(), format="json").status_code == 201
