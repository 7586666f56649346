"""Delivering to a local receiver: signed, verified, retried, then marked failed."""

from __future__ import annotations

import json

import pytest

from dsar import services as case_services
from dsar.choices import Channel, Right
from dsar.webhooks import services, signing
from dsar.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookMessage

pytestmark = pytest.mark.django_db

REQUESTER = {"requester_name": "Ada Lovelace", "requester_email": "ada@example.net"}


def log_case(controller, officer, capture):
    """A phone request logged by an officer, with what follows the commit run (eagerly)."""
    with capture(execute=True):
        return case_services.case_create(
            controller=controller,
            right=Right.ACCESS,
            channel=Channel.PHONE,
            fields=REQUESTER,
            by=officer,
        )


def test_the_receiver_verifies_the_signature_of_a_case_created_event(
    controller, officer, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(controller, receiver, event_types=["case.created"])

    case = log_case(controller, officer, django_capture_on_commit_callbacks)

    [got] = receiver.received
    assert got.verified
    assert got.header(signing.EVENT_HEADER) == "case.created"
    body = got.json
    assert body["type"] == "case.created"
    assert body["controller"] == "acme"
    assert body["data"]["reference"] == case.reference
    assert body["data"]["url"].endswith(f"/api/v1/cases/{case.reference}/")
    message = WebhookMessage.objects.get(endpoint=endpoint)
    assert got.header(signing.ID_HEADER) == str(message.event_id) == body["id"]
    assert message.state == WebhookMessage.State.DELIVERED
    [attempt] = message.deliveries.all()
    assert (attempt.attempt, attempt.status_code, attempt.ok) == (1, 204, True)


def test_the_payload_holds_no_personal_data(
    controller, officer, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint_for(controller, receiver)

    log_case(controller, officer, django_capture_on_commit_callbacks)

    raw = receiver.received[0].body.decode()
    assert "Ada" not in raw
    assert "ada@example.net" not in raw


def test_a_failing_receiver_is_retried_then_marked_failed_without_blocking_others(
    controller, officer, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    good = endpoint_for(controller, receiver)
    bad = endpoint_for(controller, receiver, path="/broken")
    receiver.failing_paths.add("/hooks/dsar/broken")

    case = log_case(controller, officer, django_capture_on_commit_callbacks)

    assert case.pk  # the change itself went through
    good_message = WebhookMessage.objects.get(endpoint=good)
    bad_message = WebhookMessage.objects.get(endpoint=bad)
    assert good_message.state == WebhookMessage.State.DELIVERED
    assert bad_message.state == WebhookMessage.State.FAILED
    assert bad_message.attempts == 3  # WEBHOOK_MAX_ATTEMPTS in these tests
    attempts = list(bad_message.deliveries.order_by("attempt"))
    assert [(a.attempt, a.status_code, a.ok, a.error) for a in attempts] == [
        (1, 500, False, "HTTP 500"),
        (2, 500, False, "HTTP 500"),
        (3, 500, False, "HTTP 500"),
    ]
    # Each try was properly signed and carried the same event id (receivers dedupe on it).
    tries = [r for r in receiver.received if r.path == "/hooks/dsar/broken"]
    assert len(tries) == 3
    assert all(r.verified for r in tries)
    assert {r.header(signing.ID_HEADER) for r in tries} == {str(bad_message.event_id)}


def test_each_attempt_waits_twice_as_long_as_the_one_before(settings, controller, receiver):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver.status = 503
    endpoint = WebhookEndpoint.objects.create(controller=controller, url=receiver.url)
    receiver.secret = endpoint.secret
    message = WebhookMessage.objects.create(
        endpoint=endpoint, event_type="case.created", dedupe_key="k", payload={"id": "x"}
    )

    results = [services.deliver(message_id=message.pk) for _ in range(5)]

    assert [r.retry_in for r in results] == [30, 60, 120, None, None]
    assert [r.attempted for r in results] == [True, True, True, True, False]
    message.refresh_from_db()
    assert (message.state, message.attempts) == (WebhookMessage.State.FAILED, 4)
    assert WebhookDelivery.objects.filter(message=message).count() == 4


def test_a_delivered_message_is_not_sent_again(controller, receiver):
    endpoint = WebhookEndpoint.objects.create(controller=controller, url=receiver.url)
    receiver.secret = endpoint.secret
    message = WebhookMessage.objects.create(
        endpoint=endpoint, event_type="case.created", dedupe_key="k", payload={"id": "x"}
    )

    assert services.deliver(message_id=message.pk).ok
    again = services.deliver(message_id=message.pk)

    assert not again.attempted
    assert len(receiver.received) == 1


def test_an_unreachable_receiver_is_an_attempt_logged_not_an_error(controller):
    endpoint = WebhookEndpoint.objects.create(controller=controller, url="http://127.0.0.1:9/h")
    message = WebhookMessage.objects.create(
        endpoint=endpoint, event_type="case.created", dedupe_key="k", payload={"id": "x"}
    )

    result = services.deliver(message_id=message.pk)

    assert not result.ok
    assert result.retry_in is not None
    attempt = WebhookDelivery.objects.get(message=message)
    assert attempt.status_code is None
    assert attempt.error


def test_a_private_address_is_refused_at_delivery(settings, controller):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    # Saved directly: the API would have refused it when registering.
    endpoint = WebhookEndpoint.objects.create(controller=controller, url="https://10.0.0.5/h")
    message = WebhookMessage.objects.create(
        endpoint=endpoint, event_type="case.created", dedupe_key="k", payload={"id": "x"}
    )

    services.deliver(message_id=message.pk)

    assert "private" in WebhookDelivery.objects.get(message=message).error


def test_a_stuck_pending_message_is_requeued_by_the_sweep(controller, receiver, time_machine):
    import datetime as dt

    endpoint = WebhookEndpoint.objects.create(controller=controller, url=receiver.url)
    receiver.secret = endpoint.secret
    message = WebhookMessage.objects.create(
        endpoint=endpoint, event_type="case.created", dedupe_key="k", payload={"id": "x"}
    )
    assert services.stuck_message_ids() == []  # not yet overdue

    time_machine.move_to(message.next_attempt_at + dt.timedelta(minutes=11))

    assert services.requeue_stuck() == 1
    message.refresh_from_db()
    assert message.state == WebhookMessage.State.DELIVERED
    assert json.loads(receiver.received[0].body) == {"id": "x"}
