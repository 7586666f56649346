"""The case services: transitions, the clock, the audit trail and side effects."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from dsar import services
from dsar.choices import Channel, ClockStart, Outcome, RefusalGround, Right, Status
from dsar.errors import CaseActionError, ConflictError, TransitionError
from dsar.models import AppendOnlyError, Case, CaseEvent, OutgoingEmail
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

REQUESTER = {"requester_name": "Ada Lovelace", "requester_email": "ada@example.net"}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def new_case(controller, *, channel=Channel.PHONE, received_on=None, by=None, **fields):
    return services.case_create(
        controller=controller,
        right=fields.pop("right", Right.ACCESS),
        channel=channel,
        fields={**REQUESTER, **fields},
        received_on=received_on,
        by=by,
    )


@time_machine.travel("2026-09-03 10:00 +01:00", tick=False)
def test_phone_request_starts_in_progress_with_a_reference_and_due_date(controller, officer):
    case = new_case(controller, by=officer)
    assert case.reference == "DSAR-2026-000001"
    assert case.status == Status.IN_PROGRESS
    assert case.received_on == d("2026-09-03")
    # 3 October 2026 is a Saturday: the deadline rolls to Monday 5 October.
    assert case.due_date == d("2026-10-05")
    event = case.events.get()
    assert (event.kind, event.actor, event.to_status) == ("created", officer, Status.IN_PROGRESS)


def test_references_increase_per_year_and_never_repeat(controller):
    refs = [new_case(controller).reference for _ in range(3)]
    assert len(set(refs)) == 3
    assert [int(r.rsplit("-", 1)[1]) for r in refs] == [1, 2, 3]


@time_machine.travel("2026-03-02 09:00 +00:00", tick=False)
def test_request_logged_with_past_received_date_is_due_from_that_date(controller, officer):
    case = new_case(controller, received_on=d("2026-01-31"), by=officer)
    # 28 February 2026 is a Saturday: due Monday 2 March.
    assert case.due_date == d("2026-03-02")


def test_future_received_date_is_refused(controller, officer):
    with pytest.raises(CaseActionError) as exc:
        new_case(controller, received_on=controller.today() + dt.timedelta(days=1), by=officer)
    assert exc.value.field == "received_on"
    assert not Case.objects.exists()


def test_web_request_waits_unconfirmed_and_emails_a_confirmation_link(
    controller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(controller, channel=Channel.WEB)
    assert case.status == Status.UNCONFIRMED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.net"]
    assert f"/r/{controller.slug}/confirm/" in mail.outbox[0].body
    assert case.emails.get().state == OutgoingEmail.State.SENT


def test_email_is_not_sent_when_the_change_rolls_back(
    controller, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        new_case(controller, channel=Channel.WEB)
        raise RuntimeError("boom")
    assert mail.outbox == []
    assert not Case.objects.exists()


def test_unreachable_broker_keeps_the_request_and_its_email_pending(
    controller, django_capture_on_commit_callbacks, monkeypatch
):
    from dsar import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(controller, channel=Channel.WEB)
    assert Case.objects.filter(pk=case.pk, status=Status.UNCONFIRMED).exists()
    assert case.emails.get().state == OutgoingEmail.State.PENDING
    monkeypatch.undo()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)):
        assert tasks.send_pending_emails() == 1
    assert case.emails.get().state == OutgoingEmail.State.SENT
    assert len(mail.outbox) == 1


def test_confirming_moves_to_in_progress_and_acknowledges_once(
    controller, django_capture_on_commit_callbacks
):
    case = new_case(controller, channel=Channel.WEB)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_confirm(case=case)
        services.case_confirm(case=case)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.confirmed_at is not None
    assert [e.template for e in case.emails.all()] == ["confirm_request", "acknowledgement"]
    assert case.events.filter(kind="confirmed").count() == 1


def test_confirmation_starts_the_clock_when_the_controller_says_so(controller):
    controller.clock_starts = ClockStart.CONFIRMED
    controller.save()
    with time_machine.travel("2026-04-01 12:00 +01:00", tick=False):
        case = new_case(controller, channel=Channel.WEB)
    with time_machine.travel("2026-04-06 12:00 +01:00", tick=False):
        services.case_confirm(case=case)
    case.refresh_from_db()
    assert case.received_on == d("2026-04-06")
    assert case.due_date == d("2026-05-06")


@time_machine.travel("2026-06-01 10:00 +01:00", tick=False)
def test_pause_and_resume_add_the_paused_days_both_ends_included(controller, officer):
    case = new_case(controller, by=officer)
    assert case.due_date == d("2026-07-01")
    case = services.case_pause(
        case=case, by=officer, reason="Which account?", started_on=d("2026-06-01")
    )
    assert case.due_date == d("2026-07-02")  # while paused, the pause counts up to today
    with time_machine.travel("2026-06-10 10:00 +01:00", tick=False):
        case = services.case_resume(case=case, by=officer)
    # 1..10 June is ten days: 1 July + 10 = Saturday 11 July, rolled to Monday 13 July.
    assert case.due_date == d("2026-07-13")
    assert case.status == Status.IN_PROGRESS
    resumed = case.events.get(kind="resumed")
    assert resumed.data["due_from"] == "2026-07-02"
    assert resumed.data["due_to"] == "2026-07-13"


def test_pause_needs_a_reason(controller, officer):
    case = new_case(controller, by=officer)
    with pytest.raises(CaseActionError, match="reason"):
        services.case_pause(case=case, by=officer, reason="  ")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


@time_machine.travel("2026-06-01 10:00 +01:00", tick=False)
def test_extension_adds_two_months_and_is_recorded(controller, officer):
    case = new_case(controller, by=officer)
    case = services.case_extend(case=case, by=officer, reason="Many systems to search")
    assert case.extended
    assert case.original_due_date == d("2026-07-01")
    assert case.due_date == d("2026-09-01")
    assert case.events.get(kind="extended").message == "Many systems to search"


def test_extension_twice_is_refused(controller, officer):
    case = new_case(controller, by=officer)
    services.case_extend(case=case, by=officer, reason="Complex")
    with pytest.raises(CaseActionError, match="already been extended"):
        services.case_extend(case=case, by=officer, reason="Again")


def test_extension_after_the_original_deadline_is_refused(controller, officer):
    with time_machine.travel("2026-06-01 10:00 +01:00", tick=False):
        case = new_case(controller, by=officer)
    with (
        time_machine.travel("2026-07-02 10:00 +01:00", tick=False),
        pytest.raises(CaseActionError, match="original period ended"),
    ):
        services.case_extend(case=case, by=officer, reason="Too late")
    case.refresh_from_db()
    assert not case.extended
    assert not case.events.filter(kind="extended").exists()


def test_unconfirmed_case_cannot_be_extended(controller, officer):
    case = new_case(controller, channel=Channel.WEB)
    with pytest.raises(CaseActionError):
        services.case_extend(case=case, by=officer, reason="Complex")


@time_machine.travel("2026-03-20 10:00 +00:00", tick=False)
def test_identity_evidence_replaces_the_start_date(controller, officer):
    # A case waiting for identity from the start (not yet started).
    case = CaseFactory(
        controller=controller, status=Status.AWAITING_IDENTITY, received_on=d("2026-03-02")
    )
    case = services.case_identity_received(case=case, by=officer, received_on=d("2026-03-12"))
    assert case.identity_received_on == d("2026-03-12")
    assert case.due_date == d("2026-04-13")  # 12 April 2026 is a Sunday
    assert case.status == Status.IN_PROGRESS


def test_closing_needs_review_first(controller, officer):
    case = new_case(controller, by=officer)
    with pytest.raises(TransitionError):
        services.case_close(case=case, by=officer, outcome=Outcome.FULFILLED)
    services.case_submit_for_review(case=case, by=officer)
    case = services.case_close(case=case, by=officer, outcome=Outcome.FULFILLED)
    assert case.status == Status.CLOSED
    assert case.closed_at is not None
    assert list(case.events.values_list("kind", flat=True)) == [
        "created", "submitted_for_review", "closed",
    ]  # fmt: skip


def test_partly_fulfilled_needs_the_exemptions_given(controller, officer):
    case = CaseFactory(controller=controller, status=Status.READY_FOR_REVIEW)
    with pytest.raises(CaseActionError):
        services.case_close(case=case, by=officer, outcome=Outcome.PARTLY_FULFILLED, reasons="")


def test_refusal_records_ground_and_reasons(controller, officer):
    case = new_case(controller, by=officer)
    case = services.case_refuse(
        case=case,
        by=officer,
        ground=RefusalGround.MANIFESTLY_EXCESSIVE,
        reasons="Fifth identical request",
    )
    assert case.status == Status.REFUSED
    assert case.refusal_ground == RefusalGround.MANIFESTLY_EXCESSIVE
    with pytest.raises(TransitionError):
        services.case_withdraw(case=case, by=officer)


@pytest.mark.parametrize("terminal", [Status.CLOSED, Status.WITHDRAWN, Status.REFUSED])
def test_nothing_reopens_a_finished_case(controller, officer, terminal):
    case = CaseFactory(controller=controller, status=terminal)
    for action in (
        lambda: services.case_pause(case=case, by=officer, reason="x"),
        lambda: services.case_submit_for_review(case=case, by=officer),
        lambda: services.case_request_identity(case=case, by=officer),
    ):
        with pytest.raises(TransitionError):
            action()
    assert Case.objects.get(pk=case.pk).status == terminal


def test_stale_version_is_a_conflict_and_changes_nothing(controller, officer, second_officer):
    case = new_case(controller, by=officer)
    seen_version = case.version
    services.case_assign(
        case=case, assignee=second_officer, by=second_officer, expected_version=seen_version
    )
    with pytest.raises(ConflictError):
        services.case_assign(case=case, assignee=officer, by=officer, expected_version=seen_version)
    case.refresh_from_db()
    assert case.assignee == second_officer


def test_events_cannot_be_edited_or_deleted(case):
    services.record_event(case, "note", message="first")
    event = case.events.get()
    event.message = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).update(message="rewritten")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).message == "first"
