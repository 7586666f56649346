"""Abuse of the public side (issue 18 point 6): one budget per address across the web form
and the JSON intake, per requester email, per controller, and for confirmation emails."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from dsar.abuse.budgets import normalise_email
from dsar.models import Case, OutgoingEmail

ADDRESS = "203.0.113.7"


def form_answers(email: str, name: str = "Ada Lovelace") -> dict[str, str]:
    return {
        "right": "access",
        "requester_name": name,
        "requester_email": email,
        "relationship": "self",
        "for_organisation": "no",
        "description": "Everything you hold about me",
        "preferred_reply": "email",
        "declaration": "on",
        "company_website": "",
    }


def api_body(email: str, controller: str = "acme") -> dict:
    return {
        "controller": controller,
        "right": "access",
        "requester_name": "Ada Lovelace",
        "requester_email": email,
        "description": "Everything you hold about me.",
        "declaration": True,
    }


@pytest.fixture
def post(client, controller, django_capture_on_commit_callbacks):
    """One intake post through the form ("form") or the API ("api"); returns the status."""
    api = APIClient()

    def _post(via: str, email: str, address: str = ADDRESS) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            if via == "form":
                url = reverse("dsar:request_form", args=[controller.slug])
                return client.post(url, form_answers(email), REMOTE_ADDR=address).status_code
            return api.post(
                "/api/v1/requests/", api_body(email), format="json", REMOTE_ADDR=address
            ).status_code

    return _post


ACCEPTED = {302, 201}


def test_thirty_posts_from_one_address_across_form_and_api_get_at_most_the_budget(post, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 10
    settings.INTAKE_EMAIL_LIMIT_PER_HOUR = 100

    codes = [post("form" if n % 2 else "api", f"person{n}@example.net") for n in range(30)]

    accepted = [c for c in codes if c in ACCEPTED]
    assert len(accepted) == 10
    assert codes[10:] == [429] * 20
    assert Case.objects.count() == 10


def test_an_ipv6_client_is_counted_per_slash_64(post, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 2
    settings.INTAKE_EMAIL_LIMIT_PER_HOUR = 100

    assert post("api", "a@example.net", "2001:db8:1:2::1") == 201
    assert post("form", "b@example.net", "2001:db8:1:2:ffff::9") == 302
    assert post("api", "c@example.net", "2001:db8:1:2:abcd::3") == 429
    assert post("api", "d@example.net", "2001:db8:1:3::1") == 201  # another /64


def test_an_ipv4_address_written_as_ipv6_shares_its_budget(post, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 1
    settings.INTAKE_EMAIL_LIMIT_PER_HOUR = 100

    assert post("form", "a@example.net", "192.0.2.10") == 302
    assert post("api", "b@example.net", "::ffff:192.0.2.10") == 429


def test_one_email_is_limited_across_form_and_api_whatever_its_tag_or_case(post, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 100
    settings.INTAKE_EMAIL_LIMIT_PER_HOUR = 2

    assert post("form", "ada@example.net", "192.0.2.1") == 302
    assert post("api", "Ada+news@Example.NET", "192.0.2.2") == 201
    assert post("form", "ADA+other@example.net", "192.0.2.3") == 429
    assert post("api", "ada+x@example.net", "192.0.2.4") == 429
    assert post("api", "bob@example.net", "192.0.2.5") == 201
    assert Case.objects.count() == 3


def test_email_normalising_ignores_case_and_plus_tags_only():
    assert normalise_email(" Ada+News@Example.NET ") == "ada@example.net"
    assert normalise_email("a.d.a@example.net") == "a.d.a@example.net"


def test_the_controller_cap_refuses_a_flood_from_many_addresses_and_alerts_the_dpo_once(
    post, settings, controller
):
    controller.dpo_email = "dpo@acme.example"
    controller.save()
    settings.INTAKE_CONTROLLER_LIMIT_PER_HOUR = 3
    settings.CONFIRMATION_EMAILS_PER_DAY = 100

    codes = [post("api", f"p{n}@example.net", f"198.51.100.{n}") for n in range(6)]

    assert codes == [201, 201, 201, 429, 429, 429]
    assert Case.objects.count() == 3
    alerts = [m for m in mail.outbox if m.to == ["dpo@acme.example"]]
    assert len(alerts) == 1
    assert "paused for the rest of the hour" in alerts[0].subject
    assert "3 requests" in alerts[0].body


def test_a_mailbox_gets_at_most_a_few_confirmation_emails_a_day(post, settings):
    settings.CONFIRMATION_EMAILS_PER_DAY = 2
    settings.INTAKE_EMAIL_LIMIT_PER_HOUR = 100

    for n, email in enumerate(["victim@example.net", "Victim+1@example.net", "victim+2@x.org"]):
        assert post("form", email, f"192.0.2.{n}") == 302
    assert post("api", "victim+3@example.net", "192.0.2.9") == 201

    assert Case.objects.count() == 4  # every request is kept
    to_victim = [m for m in mail.outbox if "victim" in m.to[0].lower() and "example.net" in m.to[0]]
    assert len(to_victim) == 2
    assert OutgoingEmail.objects.filter(template="confirm_request").count() == 3


def test_a_refused_form_post_keeps_what_was_typed_and_says_why(client, controller, settings):
    settings.INTAKE_EMAIL_LIMIT_PER_HOUR = 1
    url = reverse("dsar:request_form", args=[controller.slug])
    client.post(url, form_answers("ada@example.net"), REMOTE_ADDR="192.0.2.1")

    response = client.post(
        url, form_answers("ada@example.net", name="Ada Again"), REMOTE_ADDR="192.0.2.2"
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "for this email address" in page
    assert 'value="Ada Again"' in page
    assert int(response["Retry-After"]) > 0


def test_a_refused_api_post_is_a_json_429_with_retry_after(post, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 1
    api = APIClient()
    api.post("/api/v1/requests/", api_body("a@example.net"), format="json", REMOTE_ADDR=ADDRESS)

    response = api.post(
        "/api/v1/requests/", api_body("b@example.net"), format="json", REMOTE_ADDR=ADDRESS
    )

    assert response.status_code == 429
    assert "from your network" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
