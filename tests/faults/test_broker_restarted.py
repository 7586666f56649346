"""The broker stopped, then restarted: requests made meanwhile are stored with their
emails; once it is back, the beat's outbox sweep hands them to a real worker within two
minutes of the broker's return, and every email goes exactly once.

A redis-server of the test's own is the broker, a ``celery worker`` process sends the
emails (to files); the sweep is the beat's task, run here at the times beat would run it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from config.celery import app as celery_app
from dsar.models import Case, OutgoingEmail
from dsar.tasks import send_pending_emails
from tests.faults.test_redis_stopped_during_intake import intake

pytestmark = pytest.mark.django_db(transaction=True)
TWO_MINUTES = dt.timedelta(minutes=2)


def recipients(messages: list[str]) -> list[str]:
    return sorted(
        line.removeprefix("To: ") for m in messages for line in m.splitlines() if line[:4] == "To: "
    )


def confirmations(state: str) -> int:
    return OutgoingEmail.objects.filter(template="confirm_request", state=state).count()


def test_emails_written_while_the_broker_is_down_go_once_within_two_minutes_of_its_return(
    worker, redis_server, client, controller
):
    api = APIClient()
    before = [intake(client, api, controller, n).status_code for n in (1, 2)]
    worker.wait_for(lambda: len(worker.emails()) == 2)  # the usual way: queued, sent

    redis_server.stop()
    during = [intake(client, api, controller, n).status_code for n in range(3, 9)]
    assert before == [302, 201]
    assert during == [302, 201] * 3  # stored and answered as usual
    assert Case.objects.count() == 8
    assert confirmations(OutgoingEmail.State.PENDING) == 6  # their tasks could not be queued
    counts = f"requests=8 cases=8 emails sent=2 pending={confirmations('pending')}"

    redis_server.start()  # an empty broker: whatever it held is gone
    returned = dt.datetime.now(dt.UTC)
    every = dt.timedelta(seconds=celery_app.conf.beat_schedule["send-pending-emails"]["schedule"])
    # Beat fires the sweep every `every`, so one tick falls in the last `every` of the two
    # minutes; from that tick on, everything written before the return is owed.
    first_sure_tick = returned + TWO_MINUTES - min(every, TWO_MINUTES)
    with time_machine.travel(first_sure_tick):
        assert send_pending_emails() == 6
    worker.wait_for(lambda: confirmations(OutgoingEmail.State.SENT) == 8)
    with time_machine.travel(returned + TWO_MINUTES):  # the next tick: nothing owed
        assert send_pending_emails() == 0

    messages = worker.emails()
    assert recipients(messages) == sorted(f"p{n}@example.net" for n in range(1, 9))  # each once
    assert len(messages) == 8
    assert every <= dt.timedelta(minutes=1)  # the sweep runs every minute
    print(f"counts: before {counts}; after requests=8 cases=8 emails sent={len(messages)}")
