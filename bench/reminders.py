"""The deadline reminder sweep (dsar.reminders) against the raw indexed query.

The dataset keeps the same open workload at every size (bench/generate.py), so about
1,000 cases are owed a reminder whether there are 100,000 or 1,000,000 cases in all: the
sweep's cost should follow the due cases, not the table.

Two rows:
- the sweep sending everything owed (``drain(remind_due_cases)``: claim, render and
  write an email and an event for each case) against the raw query that loads those cases
  with their controller and assignee;
- the sweep when everything owed is already claimed, which is what beat runs all day,
  against the raw range scan of the due cases joined to their notices.

The emails it writes are not handed to a broker (nothing here sends mail), and what a
run adds (notices, emails, events) is removed after each repetition.
"""

from __future__ import annotations

import statistics
import time
from contextlib import nullcontext
from typing import Any
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dsar import reminders
from dsar.choices import CLOCK_RUNNING_STATUSES
from dsar.deadlines import Region
from dsar.models import Case, CaseEvent, Controller, Notice, OutgoingEmail
from dsar.reminders import schedule
from dsar.reminders.base import BATCH_SIZE

from .runner import Context, Row, Target, count_queries, time_pair

CLOCK_RUNNING = sorted(CLOCK_RUNNING_STATUSES)


def _due_condition() -> tuple[str, list[Any]]:
    """Due dates owed something, per controller: overdue, or before its last stage's end."""
    parts, params = [], []
    for controller in Controller.objects.all():
        stages = schedule.reminder_stages(
            controller.today(), controller.reminder_days, Region(controller.holiday_region)
        )
        parts.append("(c.controller_id = %s AND c.due_date < %s)")
        params += [controller.pk, max(s.end for s in stages)]
    return " OR ".join(parts) or "FALSE", params


def _tables() -> dict[str, str]:
    q = connection.ops.quote_name
    return {
        "case": q(Case._meta.db_table),
        "controller": q(Controller._meta.db_table),
        "user": q(get_user_model()._meta.db_table),
        "notice": q(Notice._meta.db_table),
    }


def due_cases() -> tuple[list[str], list[tuple[Any, ...]]]:
    """The floor of a full sweep: the cases owed a reminder, as the sweep loads them."""
    t = _tables()
    where, params = _due_condition()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.*, ctl.*, u.* FROM {t['case']} c "
            f"JOIN {t['controller']} ctl ON ctl.id = c.controller_id "
            f"LEFT JOIN {t['user']} u ON u.id = c.assignee_id "
            f"WHERE c.status IN ({', '.join(['%s'] * len(CLOCK_RUNNING))}) AND ({where}) "
            "ORDER BY c.due_date, c.id",
            [*CLOCK_RUNNING, *params],
        )
        return [d[0] for d in cursor.description], cursor.fetchall()


def due_cases_with_notices() -> list[tuple[Any, ...]]:
    """The floor of a sweep with nothing new: the due cases, each with its notices."""
    t = _tables()
    where, params = _due_condition()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, n.id FROM {t['case']} c "
            f"LEFT JOIN {t['notice']} n ON n.case_id = c.id AND n.due_date = c.due_date "
            f"WHERE c.status IN ({', '.join(['%s'] * len(CLOCK_RUNNING))}) AND ({where})",
            [*CLOCK_RUNNING, *params],
        )
        return cursor.fetchall()


def _last_id(model: type) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class Undo:
    """Removes what a sweep wrote, so each repetition starts from the generated data."""

    def __init__(self) -> None:
        self.event, self.email = _last_id(CaseEvent), _last_id(OutgoingEmail)
        if Notice.objects.exists():
            raise RuntimeError("The bench database already holds notices; regenerate it.")

    def __call__(self) -> None:
        Notice.objects.all().delete()
        OutgoingEmail.objects.filter(pk__gt=self.email).delete()
        # Events are append-only (the ORM refuses; on PostgreSQL a trigger too). The bench
        # owns its database and undoes its own sweep, so it turns the triggers off for
        # this one transaction (session_replication_role: the bench connects as owner).
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(CaseEvent._meta.db_table)} WHERE id > %s",
                [self.event],
            )


def reminder_sweep(ctx: Context) -> list[Row]:
    plan, cases = ctx.plan, ctx.dataset.cases
    undo = Undo()
    warm = min(plan.warmup, 1)
    runs = max(1, min(plan.repeat, plan.heavy_repeat)) + warm
    columns, rows = due_cases()
    expected = sorted(r[columns.index("reference")] for r in rows)
    sweep_ms: list[float] = []
    floor_ms: list[float] = []
    try:
        with mock.patch("dsar.emails.queue_after_commit"):  # written, never handed to a broker
            for i in range(runs):
                with CaptureQueriesContext(connection) if i == 0 else nullcontext() as captured:
                    start = time.perf_counter()
                    done = reminders.drain(reminders.remind_due_cases)
                    elapsed = (time.perf_counter() - start) * 1000
                if i == 0:
                    full_queries = len(captured.captured_queries)
                start = time.perf_counter()
                due_cases()
                floor_elapsed = (time.perf_counter() - start) * 1000
                if sorted(a.reference for a in done) != expected:
                    raise AssertionError(
                        f"reminder sweep: sent {len(done)}, but {len(expected)} cases are due"
                    )
                if i >= warm:
                    sweep_ms.append(elapsed)
                    floor_ms.append(floor_elapsed)
                if i < runs - 1:
                    undo()
            # Everything owed is now claimed: what every later beat tick finds.
            idle_queries = count_queries(reminders.remind_due_cases)
            idle, idle_floor = time_pair(
                reminders.remind_due_cases,
                due_cases_with_notices,
                repeat=plan.repeat,
                warmup=plan.warmup,
            )
    finally:
        undo()
    per_case = statistics.median(sweep_ms) / max(len(expected), 1)
    return [
        Row(
            name="reminder sweep sending what is owed: claim + email + event each",
            cases=cases,
            samples=sweep_ms,
            floor="raw SQL, the same due cases",
            floor_samples=floor_ms,
            queries=full_queries,
            floor_queries=1,
            note=f"{len(expected):,} cases owed a reminder; {per_case:.2f} ms per reminder "
            f"sent, in batches of {BATCH_SIZE}",
        ),
        Row(
            name="reminder sweep, all owed already claimed",
            cases=cases,
            samples=idle,
            floor="raw SQL, due cases + notices",
            floor_samples=idle_floor,
            queries=idle_queries,
            floor_queries=1,
            target=Target(max_ratio=3),
        ),
    ]
