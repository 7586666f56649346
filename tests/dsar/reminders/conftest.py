"""Helpers for the scheduled-work tests: cases due on a given day, a clock, a sweep."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dsar.choices import Status
from dsar.models import Case, OutgoingEmail
from dsar.reminders import drain
from tests.factories import CaseFactory

LONDON = ZoneInfo("Europe/London")


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def at(day: str, time: str = "10:00", tz: ZoneInfo = LONDON) -> dt.datetime:
    """A moment on ``day`` at ``time`` in London (or ``tz``)."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=tz)


def travel(day: str, time: str = "10:00", tz: ZoneInfo = LONDON):
    return time_machine.travel(at(day, time, tz), tick=False)


def due_case(controller, due: str, *, status: str = Status.IN_PROGRESS, **fields) -> Case:
    """A case due at the end of ``due`` (extended=False: also its original deadline)."""
    due_date = d(due)
    return CaseFactory(
        controller=controller,
        status=status,
        received_on=due_date - dt.timedelta(days=30),
        due_date=due_date,
        original_due_date=fields.pop("original_due_date", due_date),
        **fields,
    )


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run a one-batch sweep until done, sending its emails as a commit would."""

    def run(step, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return drain(lambda: step(**kwargs))

    return run


def emails(template: str | None = None) -> list[OutgoingEmail]:
    """The outbox rows (the record of every email), oldest first."""
    qs = OutgoingEmail.objects.order_by("id")
    return list(qs.filter(template=template) if template else qs)
