"""On PostgreSQL: sweeps racing from two threads send once; the sweep reads its index.

These run when the suite runs on PostgreSQL (``DATABASE_URL=postgres://...``; CI does).
On SQLite they skip: SQLite takes one writer at a time, so there is no race to lose.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dsar.choices import Right, Status
from dsar.models import Case, Notice, OutgoingEmail
from dsar.reminders import SweepResult, digest, due, remind_due_cases, send_overdue_digests
from tests.factories import ControllerFactory

from .conftest import d, due_case, travel

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("Needs the suite on PostgreSQL (set DATABASE_URL); CI runs it there too.")


def race(step, monkeypatch, module) -> list[SweepResult]:
    """Run ``step`` in two threads that both find the work before either claims it."""
    barrier = threading.Barrier(2, timeout=20)
    real_claim = module.claim

    def claim_together(notices):
        barrier.wait()  # both have read the same cases owed something
        return real_claim(notices)

    monkeypatch.setattr(module, "claim", claim_together)
    results: list[SweepResult] = []
    errors: list[BaseException] = []

    def run():
        try:
            results.append(step())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_send_each_reminder_once(monkeypatch):
    controller = ControllerFactory(slug="race")
    cases = [due_case(controller, "2026-09-01") for _ in range(20)]
    with travel("2026-08-28"):
        results = race(remind_due_cases, monkeypatch, due)
    won = [a.reference for r in results for a in r.done]
    assert sorted(won) == sorted(c.reference for c in cases)  # each once, by one sweep
    assert Notice.objects.count() == OutgoingEmail.objects.count() == len(mail.outbox) == 20
    assert {e.case_id for e in OutgoingEmail.objects.all()} == {c.pk for c in cases}


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_racing_send_one_digest(monkeypatch):
    controller = ControllerFactory(slug="race")
    due_case(controller, "2026-09-01")
    with travel("2026-09-02", "09:00"):
        results = race(send_overdue_digests, monkeypatch, digest)
    assert sum(len(r.done) for r in results) == 1
    assert len(mail.outbox) == 1


def test_the_sweep_reads_the_partial_index_of_open_cases_by_due_date(controller):
    """With years of closed cases in the table, the plan reads the due-date range from
    case_open_due_idx (the planner picks a plain or a bitmap scan), never the whole table."""
    closed = timezone.make_aware(dt.datetime(2025, 1, 1))
    history = [
        Case(
            controller=controller,
            reference=f"DSAR-2025-{i:06d}",
            right=Right.ACCESS,
            requester_name="Someone",
            received_on=d("2024-12-01"),
            original_due_date=d("2025-01-01"),
            due_date=d("2025-01-01") + dt.timedelta(days=i % 365),
            status=Status.CLOSED,
            closed_at=closed,
        )
        for i in range(3000)
    ]
    Case.objects.bulk_create(history)
    for i in range(100):
        due_case(controller, (d("2026-09-15") + dt.timedelta(days=i % 60)).isoformat())
    due_case(controller, "2026-09-01")
    with travel("2026-08-28"), connection.cursor() as cursor:
        cursor.execute("ANALYZE dsar_case")
        with CaptureQueriesContext(connection) as ctx:
            remind_due_cases()
        sql = next(q["sql"] for q in ctx.captured_queries if 'FROM "dsar_case"' in q["sql"])
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan on case_open_due_idx" in plan or "Index Scan using case_open_due_idx" in plan
    assert "Seq Scan on dsar_case" not in plan, plan
