"""The beat schedule and the thin tasks that call the sweeps."""

from __future__ import annotations

import pytest

from config.celery import app
from dsar import tasks
from dsar.choices import Status
from tests.factories import CaseFactory

from .conftest import d, due_case, travel

SWEEP_TASKS = {
    "dsar.tasks.send_deadline_reminders",
    "dsar.tasks.send_extension_prompts",
    "dsar.tasks.send_overdue_digests",
    "dsar.tasks.chase_unconfirmed_requests",
    "dsar.tasks.purge_closed_cases",
}


def test_beat_runs_every_sweep_and_each_is_a_registered_task():
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled >= SWEEP_TASKS
    assert set(app.tasks) >= SWEEP_TASKS


@pytest.mark.django_db
def test_each_task_runs_its_sweep_and_says_how_much_it_did(controller, officer):
    due_case(controller, "2026-09-01", assignee=officer)  # overdue on 3 Sep
    due_case(controller, "2026-09-04")  # one working day left, prompt due
    CaseFactory(
        controller=controller,
        received_on=d("2019-01-07"),
        status=Status.CLOSED,
        closed_at="2019-02-01T10:00:00+00:00",
    )
    with travel("2026-09-03", "09:00"):
        assert tasks.send_deadline_reminders.delay().get() == 2
        assert tasks.send_extension_prompts.delay().get() == 1
        assert tasks.send_overdue_digests.delay().get() == 1
        assert tasks.chase_unconfirmed_requests.delay().get() == 0
        assert tasks.purge_closed_cases.delay().get() == 1
        assert tasks.send_deadline_reminders.delay().get() == 0
