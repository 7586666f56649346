"""Deadline reminders, overdue reminders and the extension prompt (dsar.reminders.due)."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dsar import services
from dsar.choices import Status
from dsar.deadlines import Region
from dsar.models import Notice, OutgoingEmail
from dsar.reminders import prompt_extensions, remind_due_cases
from dsar.reminders.base import BATCH_SIZE
from tests.factories import CaseFactory, ControllerFactory, UserFactory

from .conftest import d, due_case, emails, travel

pytestmark = pytest.mark.django_db


def days(first: str, last: str) -> list[str]:
    start, end = d(first), d(last)
    return [(start + dt.timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def sweep_daily(sweep, step, first: str, last: str) -> dict[str, list[str]]:
    """Sweep once a day (twice, in fact: a repeat must send nothing); what went when."""
    went = {}
    for day in days(first, last):
        with travel(day, "09:05"):
            done = sweep(step) + sweep(step)
        if done:
            went[day] = [f"{a.kind} {a.detail}" for a in done]
    return went


# --- thresholds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        # Due Tue 1 Sep 2026. In England Mon 31 Aug is a bank holiday; in Scotland it is not.
        (
            Region.ENGLAND,
            {
                "2026-08-20": ["reminder due in 7 working days (Tue 1 Sep 2026)"],
                "2026-08-26": ["reminder due in 3 working days (Tue 1 Sep 2026)"],
                # Friday before a weekend and the bank holiday: one working day left.
                "2026-08-28": ["reminder due in 1 working day (Tue 1 Sep 2026)"],
                "2026-09-02": ["overdue 1 day late (due Tue 1 Sep 2026)"],
            },
        ),
        (
            Region.SCOTLAND,
            {
                "2026-08-21": ["reminder due in 7 working days (Tue 1 Sep 2026)"],
                "2026-08-27": ["reminder due in 3 working days (Tue 1 Sep 2026)"],
                "2026-08-31": ["reminder due in 1 working day (Tue 1 Sep 2026)"],
                "2026-09-02": ["overdue 1 day late (due Tue 1 Sep 2026)"],
            },
        ),
    ],
)
def test_reminders_go_at_each_working_day_threshold_and_once_overdue(sweep, region, expected):
    controller = ControllerFactory(holiday_region=region)
    case = due_case(controller, "2026-09-01")
    assert sweep_daily(sweep, remind_due_cases, "2026-08-15", "2026-09-10") == expected
    assert [e.template for e in emails()] == ["reminder_due"] * 3 + ["reminder_overdue"]
    assert case.notices.count() == 4


def test_a_case_that_arrives_late_gets_only_the_current_reminder(controller, sweep):
    due_case(controller, "2026-09-01")
    with travel("2026-08-27"):  # 2 working days left: the 7 and 3 day stages have passed
        done = sweep(remind_due_cases)
    assert [(a.kind, a.detail) for a in done] == [
        ("reminder", "due in 2 working days (Tue 1 Sep 2026)")
    ]
    assert Notice.objects.get().threshold == 3


def test_reminder_on_the_due_day_says_today(controller, sweep):
    due_case(controller, "2026-09-01")
    with travel("2026-09-01", "08:00"):
        sweep(remind_due_cases)
    assert mail.outbox[0].subject.startswith("DSAR-")
    assert "is due today (Tue 1 Sep)" in mail.outbox[0].subject


def test_thresholds_are_the_controllers_own(sweep):
    controller = ControllerFactory(reminder_days=[10, 2])
    due_case(controller, "2026-09-15")
    went = sweep_daily(sweep, remind_due_cases, "2026-08-25", "2026-09-15")
    assert list(went) == ["2026-09-01", "2026-09-11"]
    assert went["2026-09-01"] == ["reminder due in 10 working days (Tue 15 Sep 2026)"]


@pytest.mark.parametrize(
    "status", [Status.UNCONFIRMED, Status.AWAITING_IDENTITY, Status.AWAITING_REQUESTER]
)
def test_no_reminders_while_the_clock_is_not_running(controller, sweep, status):
    due_case(controller, "2026-09-01", status=status)
    assert sweep_daily(sweep, remind_due_cases, "2026-08-20", "2026-09-05") == {}


@pytest.mark.parametrize("status", [Status.CLOSED, Status.WITHDRAWN, Status.REFUSED])
def test_no_reminders_for_finished_cases(controller, sweep, status):
    due_case(controller, "2026-09-01", status=status)
    assert sweep_daily(sweep, remind_due_cases, "2026-08-31", "2026-09-03") == {}


def test_ready_for_review_cases_are_reminded_too(controller, sweep):
    due_case(controller, "2026-09-01", status=Status.READY_FOR_REVIEW)
    with travel("2026-08-28"):
        assert len(sweep(remind_due_cases)) == 1


# --- due dates that move ---------------------------------------------------------------


def test_a_pause_moves_the_due_date_and_what_is_owed_starts_again(controller, officer, sweep):
    case = CaseFactory(controller=controller, received_on=d("2026-08-01"))
    assert case.due_date == d("2026-09-01")
    with travel("2026-08-26"):
        sweep(remind_due_cases)  # the 3-day reminder for 1 September
        services.case_pause(case=case, by=officer, reason="Which account?")
    with travel("2026-08-27"):
        case = services.case_resume(case=case, by=officer)
        assert case.due_date == d("2026-09-03")  # two paused days, both ends included
        done = sweep(remind_due_cases)
    # For the new date, 4 working days left: the 7-day stage is current again.
    assert [a.detail for a in done] == ["due in 4 working days (Thu 3 Sep 2026)"]
    keys = list(case.notices.order_by("id").values_list("threshold", "due_date"))
    assert keys == [(3, d("2026-09-01")), (7, d("2026-09-03"))]
    with travel("2026-09-01"):
        assert [a.detail for a in sweep(remind_due_cases)] == [
            "due in 2 working days (Thu 3 Sep 2026)"
        ]


def test_an_extension_gives_new_reminders_before_the_extended_deadline(controller, officer, sweep):
    case = CaseFactory(controller=controller, received_on=d("2026-08-01"))
    with travel("2026-08-26"):
        sweep(remind_due_cases)
        case = services.case_extend(case=case, by=officer, reason="Twelve systems to search.")
        assert case.due_date == d("2026-11-02")  # 1 Nov is a Sunday
        assert sweep(remind_due_cases) == []
    with travel("2026-10-30"):  # Friday; one working day left
        done = sweep(remind_due_cases)
    assert [a.detail for a in done] == ["due in 1 working day (Mon 2 Nov 2026)"]
    assert "the extended deadline" in mail.outbox[-1].body


# --- who is told ------------------------------------------------------------------------


def test_the_assignee_gets_the_reminder_by_name(controller, officer, sweep):
    case = due_case(controller, "2026-09-01", assignee=officer)
    with travel("2026-08-28"):
        sweep(remind_due_cases)
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert message.body.startswith("Hello Olivia Officer,")
    assert f"http://127.0.0.1:8000/cases/{case.reference}/" in message.body
    assert "assigned to you" in message.body
    # The reminder is about the case, not the person: no requester's details in it.
    assert case.requester_name not in message.body
    assert case.requester_email not in message.body
    assert message.alternatives[0][1] == "text/html"


def test_an_unassigned_case_is_reminded_to_the_team_address(controller, sweep):
    due_case(controller, "2026-09-01")
    with travel("2026-08-28"):
        (action,) = sweep(remind_due_cases)
    assert action.recipient == "team"
    assert mail.outbox[0].to == ["privacy-team@example.org"]
    assert "no active assignee" in mail.outbox[0].body


def test_a_deactivated_assignee_is_replaced_by_the_team(controller, officer, sweep):
    officer.is_active = False
    officer.save()
    due_case(controller, "2026-09-01", assignee=officer)
    with travel("2026-08-28"):
        sweep(remind_due_cases)
    assert mail.outbox[0].to == ["privacy-team@example.org"]


def test_without_a_team_address_the_dpo_is_told(sweep):
    controller = ControllerFactory(team_email="", dpo_email="dpo@example.org")
    due_case(controller, "2026-09-01")
    with travel("2026-08-28"):
        sweep(remind_due_cases)
    assert mail.outbox[0].to == ["dpo@example.org"]


def test_with_nobody_to_tell_the_case_records_it_once(sweep, caplog):
    controller = ControllerFactory(team_email="", dpo_email="")
    case = due_case(controller, "2026-09-01")
    with travel("2026-08-28"):
        (action,) = sweep(remind_due_cases) + sweep(remind_due_cases)
    assert action.recipient == ""
    assert mail.outbox == []
    event = case.events.get()
    assert event.kind == "reminder_not_sent"
    assert "no team or DPO address" in event.message
    assert case.reference in caplog.text


# --- exactly once -----------------------------------------------------------------------


def test_sweeping_again_sends_nothing_twice(controller, sweep):
    cases = [due_case(controller, "2026-09-01") for _ in range(3)]
    with travel("2026-08-28", "09:00"):
        first = sweep(remind_due_cases)
    for hour in ("10:00", "11:00", "23:59"):
        with travel("2026-08-28", hour):
            assert sweep(remind_due_cases) == []
    assert len(first) == len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["privacy-team@example.org"] * 3
    for case in cases:
        assert case.emails.get().template == "reminder_due"


def test_every_reminder_is_recorded_on_the_case(controller, officer, sweep):
    case = due_case(controller, "2026-09-01", assignee=officer)
    with travel("2026-08-28", "09:00"):
        sweep(remind_due_cases)
    email = case.emails.get()
    assert (email.template, email.to, email.state) == (
        "reminder_due",
        officer.email,
        OutgoingEmail.State.SENT,
    )
    assert email.sent_at is not None
    event = case.events.get()
    assert event.kind == "reminder_sent"
    assert event.message == (
        "Deadline reminder sent to Olivia Officer: due in 1 working day (Tue 1 Sep 2026)."
    )
    assert event.data == {
        "notice": "reminder",
        "threshold": 1,
        "due_date": "2026-09-01",
        "recipient": "assignee",
    }


def test_a_failed_send_is_retried_and_never_duplicated(controller, sweep, monkeypatch):
    due_case(controller, "2026-09-01")
    real_send, calls = EmailMultiAlternatives.send, []

    def flaky_send(self, *args, **kwargs):
        calls.append(self.subject)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky_send)
    with travel("2026-08-28"):
        sweep(remind_due_cases)  # the task fails once, then its retry sends
        sweep(remind_due_cases)
    assert len(calls) == 2
    assert len(mail.outbox) == 1
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts) == (OutgoingEmail.State.SENT, 2)


def test_a_claim_rolled_back_with_its_email_is_owed_again(controller, sweep):
    """The claim and its email commit together: a failed batch leaves nothing claimed."""
    due_case(controller, "2026-09-01")
    with travel("2026-08-28"), pytest.raises(RuntimeError), transaction.atomic():
        remind_due_cases()
        raise RuntimeError("worker lost mid-batch")
    assert not Notice.objects.exists() and not OutgoingEmail.objects.exists()
    with travel("2026-08-28"):
        assert len(sweep(remind_due_cases)) == 1


def test_logs_name_cases_not_people(controller, officer, sweep, caplog):
    case = due_case(controller, "2026-09-01", assignee=officer)
    caplog.set_level(logging.DEBUG)
    with travel("2026-08-28"):
        sweep(remind_due_cases)
    assert "Sent email" in caplog.text
    for secret in (officer.email, case.requester_email, case.requester_name, "Hello"):
        assert secret not in caplog.text


# --- bounded batches --------------------------------------------------------------------


def test_a_full_batch_says_more_remains_and_the_next_call_continues(controller):
    for _ in range(3):
        due_case(controller, "2026-09-01")
    with travel("2026-08-28"):
        first = remind_due_cases(limit=2)
        second = remind_due_cases(limit=2)
        third = remind_due_cases(limit=2)
    assert (len(first.done), first.more) == (2, True)
    assert (len(second.done), second.more) == (1, False)
    assert (third.done, third.more) == ([], False)


def test_a_batch_costs_the_same_queries_for_10_or_200_due_cases(controller, officer):
    def queries_for_one_batch(count: int, due: str) -> tuple[int, int]:
        for i in range(count):
            due_case(controller, due, assignee=officer if i % 2 else None)
        with travel("2026-08-28"), CaptureQueriesContext(connection) as ctx:
            result = remind_due_cases()
        return len(ctx.captured_queries), len(result.done)

    few, sent_few = queries_for_one_batch(10, "2026-09-01")
    many, sent_many = queries_for_one_batch(200, "2026-09-01")  # the first 10 are done
    assert (sent_few, sent_many) == (10, BATCH_SIZE)
    assert few == many
    assert few <= 10


# --- the extension prompt ---------------------------------------------------------------


def test_the_extension_prompt_goes_five_working_days_before_the_original_deadline(
    controller, officer, sweep
):
    case = due_case(controller, "2026-09-01", assignee=officer)
    # Mon 24 Aug: 25, 26, 27, 28 Aug and 1 Sep are the five working days left (31 Aug is
    # a bank holiday); on Fri 21 Aug there were six.
    went = sweep_daily(sweep, prompt_extensions, "2026-08-14", "2026-09-04")
    assert went == {
        "2026-08-24": [
            "extension_prompt decide on an extension: original deadline Tue 1 Sep 2026, "
            "5 working days away"
        ]
    }
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert "within the original period" in message.body
    assert case.notices.get().kind == Notice.Kind.EXTENSION_PROMPT


def test_no_extension_prompt_for_a_case_already_extended(controller, officer, sweep):
    case = CaseFactory(controller=controller, received_on=d("2026-08-01"))
    with travel("2026-08-10"):
        services.case_extend(case=case, by=officer, reason="Complex.")
    assert sweep_daily(sweep, prompt_extensions, "2026-08-20", "2026-09-02") == {}


def test_a_case_that_starts_late_is_prompted_while_extension_is_still_possible(controller, sweep):
    due_case(controller, "2026-09-01")
    with travel("2026-08-28"):
        (action,) = sweep(prompt_extensions)
    assert action.detail.endswith("1 working day away")
    with travel("2026-09-02"):  # past the original deadline: too late to extend, no prompt
        due_case(controller, "2026-09-01")
        assert sweep(prompt_extensions) == []


def test_no_extension_prompt_while_paused(controller, sweep):
    due_case(controller, "2026-09-01", status=Status.AWAITING_REQUESTER)
    assert sweep_daily(sweep, prompt_extensions, "2026-08-20", "2026-09-02") == {}


def test_a_new_original_deadline_gets_its_own_prompt(controller, officer, sweep):
    case = CaseFactory(controller=controller, received_on=d("2026-08-01"))
    with travel("2026-08-24"):
        sweep(prompt_extensions)
        services.case_pause(case=case, by=officer, reason="Which account?")
    with travel("2026-08-26"):
        case = services.case_resume(case=case, by=officer)
    assert case.original_due_date == d("2026-09-04")
    with travel("2026-08-28"):
        (action,) = sweep(prompt_extensions)
    assert "original deadline Fri 4 Sep 2026" in action.detail
    assert case.notices.count() == 2


def test_reminder_emails_render_for_every_kind(controller, officer, sweep):
    """Templates are triplets; a missing one would fail the batch, not skip the email."""
    due_case(controller, "2026-08-20", assignee=officer)
    due_case(controller, "2026-09-01", assignee=officer)
    with travel("2026-08-24"):
        sweep(remind_due_cases)
        sweep(prompt_extensions)
    templates = sorted(e.template for e in emails())
    assert templates == ["extension_prompt", "reminder_due", "reminder_overdue"]
    for email in emails():
        assert email.subject and email.body_text and email.body_html.startswith("<!doctype")
    user = UserFactory()
    assert user.email not in "".join(e.body_text for e in emails())
