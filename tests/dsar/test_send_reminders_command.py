"""``manage.py send_reminders [--dry-run]``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from dsar.models import CaseEvent, Notice, OutgoingEmail
from tests.dsar.reminders.conftest import due_case, travel

pytestmark = pytest.mark.django_db


def send_reminders(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def owed(controller, officer):
    """On Thu 3 Sep 2026 at 09:00: a reminder, an overdue reminder, a prompt, a digest."""
    soon = due_case(controller, "2026-09-04", assignee=officer)
    late = due_case(controller, "2026-09-01")
    return soon, late


def test_dry_run_lists_what_would_go_and_writes_nothing(owed):
    soon, late = owed
    with travel("2026-09-03", "09:00"):
        output = send_reminders("--dry-run")
    lines = output.splitlines()
    assert (
        f"reminder           {soon.reference:<18} due in 1 working day (Fri 4 Sep 2026) -> assignee"
        in lines
    )
    assert (
        f"overdue            {late.reference:<18} 2 days late (due Tue 1 Sep 2026) -> team" in lines
    )
    assert any(line.startswith(f"extension_prompt   {soon.reference}") for line in lines)
    assert "overdue_digest     acme               1 overdue case -> dpo" in lines
    assert lines[-1] == "Dry run: would send 4 emails."
    assert not Notice.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not CaseEvent.objects.exists()
    assert mail.outbox == []


def test_a_run_sends_and_prints_and_a_second_run_sends_nothing(
    owed, django_capture_on_commit_callbacks
):
    with travel("2026-09-03", "09:00"), django_capture_on_commit_callbacks(execute=True):
        first = send_reminders()
        second = send_reminders()
    assert first.splitlines()[-1] == "Queued 4 emails to send."
    assert len(first.splitlines()) == 5
    assert second.splitlines() == ["Queued 0 emails to send."]
    assert sorted(e.template for e in OutgoingEmail.objects.all()) == [
        "extension_prompt",
        "overdue_digest",
        "reminder_due",
        "reminder_overdue",
    ]
    assert len(mail.outbox) == 4


def test_dry_run_after_a_run_shows_nothing_left(owed):
    with travel("2026-09-03", "09:00"):
        send_reminders()
        assert send_reminders("--dry-run").splitlines() == ["Dry run: would send 0 emails."]


def test_output_names_roles_never_addresses(owed, officer):
    with travel("2026-09-03", "09:00"):
        output = send_reminders()
    assert "@" not in output
    assert officer.email not in output
