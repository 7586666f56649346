"""Bulk benchmark data: controllers, officers, cases with their events and pauses.

PostgreSQL: rows go in by ``COPY ... FROM STDIN`` through psycopg 3 (``cursor.copy`` and
``write_row``), one transaction per chunk of cases. Other databases (the smoke test on
SQLite): ``bulk_create``. Either way the rows are the same.

The shape, chosen so a size says "years of history", not "a bigger backlog":

- CONTROLLERS controllers with a mix of deadline rules; OFFICERS_PER_CONTROLLER officers
  each, and the bench officer (with an API token) on the first OFFICER_CONTROLLERS.
- A fixed number of open cases (OPEN_CASES, at most half of all cases), received over the
  last weeks, so due dates spread over the coming month, a few overdue, a few extended,
  in every open status. A company's open workload does not grow with the years of closed
  cases it keeps, so the queue and the reminder sweep should cost the same at 100,000
  and at 1,000,000 cases.
- Every other case is history (closed, withdrawn or refused), received over six years.
- About five events per case, as the services write them; one open case of the bench
  officer's first controller has DETAIL_EVENTS events, for the case page benchmark.
  Paused cases have their open pause.

Satellite apps add their own rows (verification steps, documents...) by appending a
function to EXTENSIONS: it gets each chunk of case rows just written (dicts of field
values, ids included) inside the chunk's transaction, and writes its rows with
``copy_rows(Table(Model), rows)``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction

from dsar import deadlines
from dsar.choices import Role
from dsar.models import Case, CaseEvent, Controller, Membership, Pause, ReferenceCounter

from .bulk import Table, copy_rows
from .shape import DETAIL_EVENTS, FIRST, LAST, OPEN_CASES, CaseMaker, case_events, pauses

GENERATOR_VERSION = 2  # 2: cases carry the queue search's text
CONTROLLERS = 8
OFFICERS_PER_CONTROLLER = 3
OFFICER_CONTROLLERS = 3
CHUNK = 50_000
BENCH_OFFICER = "bench-officer"
__all__ = ["DETAIL_EVENTS", "EXTENSIONS", "Dataset", "copy_rows", "generate"]


@dataclass(frozen=True)
class Dataset:
    """What the benchmarks need to know about the data they run on."""

    cases: int
    open_cases: int
    today: str
    officer: str
    token: str
    detail_reference: str
    controllers: list[str]
    officer_controllers: list[str]
    max_case_id: int
    fingerprint: str = ""
    seconds: float = 0.0

    def as_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Dataset:
        return cls(**json.loads(text))


Extension = Callable[[list[dict[str, Any]]], None]
EXTENSIONS: list[Extension] = []


def extensions() -> list[Extension]:
    from . import satellites  # noqa: F401 - registers the satellite apps' rows

    return EXTENSIONS


def fingerprint() -> str:
    """Changes when the generator does: a stored dataset with another one is rebuilt."""
    names = "".join(f"+{e.__module__}.{e.__qualname__}" for e in extensions())
    return f"v{GENERATOR_VERSION}{names}"


def _people() -> tuple[list[Controller], dict[int, list[int]], Any, str]:
    """Controllers, their officers and the bench officer with an API token."""
    from rest_framework.authtoken.models import Token

    User = get_user_model()
    controllers = [
        Controller.objects.create(
            name=f"Bench Retail {i}",
            slug=f"bench-{i}",
            legal_name=f"Bench Retail {i} Limited",
            dpo_email=f"dpo@bench-{i}.example",
            team_email=f"privacy@bench-{i}.example",
            deadline_rule=deadlines.Rule.DAYS if i % 4 == 3 else deadlines.Rule.CALENDAR_MONTH,
            holiday_region=[deadlines.Region.ENGLAND, deadlines.Region.SCOTLAND][i % 2],
        )
        for i in range(CONTROLLERS)
    ]
    unusable = make_password(None)

    def user(username: str, first: str, last: str) -> Any:
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            password=unusable,
        )

    User.objects.bulk_create(
        [
            user(f"bench-{c.slug}-{k}", FIRST[k], LAST[c.pk % len(LAST)])
            for c in controllers
            for k in range(OFFICERS_PER_CONTROLLER)
        ]
        + [user(BENCH_OFFICER, "Bench", "Officer")]
    )
    ids = dict(User.objects.filter(username__startswith="bench-").values_list("username", "pk"))
    officers = {
        c.pk: [ids[f"bench-{c.slug}-{k}"] for k in range(OFFICERS_PER_CONTROLLER)]
        for c in controllers
    }
    officer = User.objects.get(username=BENCH_OFFICER)
    Membership.objects.bulk_create(
        [Membership(user_id=uid, controller=c) for c in controllers for uid in officers[c.pk]]
        + [
            Membership(user=officer, controller=c, role=Role.OFFICER)
            for c in controllers[:OFFICER_CONTROLLERS]
        ]
    )
    officers[controllers[0].pk].append(officer.pk)
    return controllers, officers, officer, Token.objects.create(user=officer).key


def generate(
    total: int, *, open_cases: int = OPEN_CASES, log: Callable[[str], None] = print
) -> Dataset:
    """Write the dataset into a database without cases and return its description."""
    if Case.objects.exists():
        raise RuntimeError("bench.generate needs a database without cases (see bench.__main__).")
    started = time.perf_counter()
    today = dt.date.today()
    open_cases = min(open_cases, total // 2)
    controllers, officers, officer, token = _people()
    maker = CaseMaker(
        total=total, open_cases=open_cases, today=today, controllers=controllers, officers=officers
    )
    tables = {Case: Table(Case, with_pk=True), CaseEvent: Table(CaseEvent), Pause: Table(Pause)}
    rows = iter(maker)
    written = events = 0
    detail_done = False
    while chunk := list(islice(rows, CHUNK)):
        for n, case in enumerate(chunk, start=written + 1):
            case["id"] = n
        # The case page's case is chosen while its chunk is made; its trail is long.
        detail = "" if detail_done else maker.detail_reference
        with transaction.atomic():
            copy_rows(tables[Case], chunk)
            events += copy_rows(
                tables[CaseEvent],
                (e for c in chunk for e in case_events(c, detail=c["reference"] == detail)),
            )
            copy_rows(tables[Pause], pauses(chunk, today))
            for extension in extensions():
                extension(chunk)
        detail_done = bool(detail)
        written += len(chunk)
        log(f"  {written:,} cases, {events:,} events ({time.perf_counter() - started:.0f} s)")
    if not maker.detail_reference:
        raise RuntimeError("No case was eligible for the case page benchmark.")
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=y, last=n) for y, n in maker.counters.items()]
    )
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent, Pause]):
            cursor.execute(sql)
    return Dataset(
        cases=total,
        open_cases=open_cases,
        today=today.isoformat(),
        officer=officer.username,
        token=token,
        detail_reference=maker.detail_reference,
        controllers=[c.slug for c in controllers],
        officer_controllers=[c.slug for c in controllers[:OFFICER_CONTROLLERS]],
        max_case_id=written,
        fingerprint=fingerprint(),
        seconds=round(time.perf_counter() - started, 1),
    )
