"""Which case changes become webhook events, once each."""

from __future__ import annotations

import pytest

from dsar import hooks
from dsar import services as case_services
from dsar.choices import Outcome, Status
from dsar.reminders import remind_due_cases
from dsar.webhooks import services
from dsar.webhooks.models import WebhookEndpoint, WebhookMessage
from tests.dsar.reminders.conftest import due_case, travel
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(controller, monkeypatch):
    """An endpoint whose deliveries are not attempted: these tests look at the messages."""
    monkeypatch.setattr(services, "_queue", lambda message_id, countdown=None: None)
    return WebhookEndpoint.objects.create(controller=controller, url="https://crm.example.com/h")


def types() -> list[str]:
    return list(WebhookMessage.objects.order_by("id").values_list("event_type", flat=True))


def test_a_status_change_is_an_event_and_closing_is_two(
    endpoint, case, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_submit_for_review(case=case, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_close(case=case, by=officer, outcome=Outcome.FULFILLED)

    assert types() == ["case.status_changed", "case.status_changed", "case.closed"]
    closed = WebhookMessage.objects.get(event_type="case.closed").payload["data"]
    assert (closed["status"], closed["previous_status"], closed["event"]) == (
        "closed",
        "ready_for_review",
        "closed",
    )


def test_a_change_without_a_status_move_is_no_event(
    endpoint, case, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_extend(case=case, by=officer, reason="Twelve systems.")

    assert types() == []


def test_nothing_is_written_before_the_change_commits(endpoint, case, officer):
    # Inside the test's transaction, with the commit never happening.
    case_services.case_submit_for_review(case=case, by=officer)

    assert types() == []


def test_an_endpoint_gets_only_the_types_it_asked_for(
    endpoint, case, officer, django_capture_on_commit_callbacks
):
    endpoint.event_types = ["case.closed"]
    endpoint.save()

    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_withdraw(case=case, by=officer, reason="Phoned.")

    assert types() == ["case.closed"]


def test_another_controllers_endpoint_hears_nothing(
    endpoint, other_controller, officer, django_capture_on_commit_callbacks
):
    case = CaseFactory(controller=other_controller)

    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_withdraw(case=case, by=officer)

    assert types() == []


def test_the_same_signal_twice_is_one_message(endpoint, case):
    signal = hooks.CaseSignal.of(case, "due_soon", key=f"due_soon:{case.pk}:{case.due_date}")

    services.enqueue_signals([signal])
    services.enqueue_signals([signal])

    assert types() == ["case.due_soon"]


def test_due_soon_is_sent_once_per_due_date_across_reminder_thresholds(
    endpoint, controller, django_capture_on_commit_callbacks
):
    case = due_case(controller, "2026-09-15")
    for day in ("2026-09-04", "2026-09-10", "2026-09-14", "2026-09-14"):
        with travel(day), django_capture_on_commit_callbacks(execute=True):
            remind_due_cases()

    assert case.notices.count() == 3  # the officers got each reminder (7, 3, 1)...
    assert types() == ["case.due_soon"]  # ...the webhook one event for the due date
    [message] = WebhookMessage.objects.all()
    assert message.payload["data"]["due_date"] == "2026-09-15"


def test_overdue_is_sent_once(endpoint, controller, django_capture_on_commit_callbacks):
    due_case(controller, "2026-09-15")
    for day in ("2026-09-16", "2026-09-16", "2026-09-17"):
        with travel(day), django_capture_on_commit_callbacks(execute=True):
            remind_due_cases()

    assert types() == ["case.overdue"]


def test_a_case_not_running_its_clock_is_not_due_soon(
    endpoint, controller, django_capture_on_commit_callbacks
):
    due_case(controller, "2026-09-15", status=Status.AWAITING_REQUESTER)
    with travel("2026-09-10"), django_capture_on_commit_callbacks(execute=True):
        remind_due_cases()

    assert types() == []


def test_an_endpoint_registered_after_a_quiet_spell_hears_the_next_change(
    controller, case, officer, monkeypatch, django_capture_on_commit_callbacks
):
    """Whether a controller has endpoints is cached; registering or switching one off
    must be seen by the very next change."""
    monkeypatch.setattr(services, "_queue", lambda message_id, countdown=None: None)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_submit_for_review(case=case, by=officer)
    assert types() == []  # no endpoint yet; the empty list is now cached

    endpoint = WebhookEndpoint.objects.create(
        controller=controller, url="https://crm.example.com/h"
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_reopen_work(case=case, by=officer, note="One more system.")
    assert types() == ["case.status_changed"]

    endpoint.is_active = False
    endpoint.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_submit_for_review(case=case, by=officer)
    assert types() == ["case.status_changed"]
