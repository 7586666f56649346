"""The officer's reads against the raw SQL for the same rows.

- the queue page (first page, soonest due first, filtered to one right) through Django's
  test client with a logged-in session;
- the case list API, the same filter, through DRF's client with the officer's token;
- the case page of a case with 200 events;
- the queue with its counts (issue 15): the first page of open cases and the seven counts
  at the top, against the same page and one raw ``COUNT(*) FILTER`` statement;
- the queue search by part of an email address, across every status, against a raw
  ``LIKE`` on the same search text (trigram-indexed on PostgreSQL).

Each floor is one hand-written query per table read (``connection.cursor``) fetching the
rows the page shows, with the same columns the ORM selects (case, controller, assignee),
the same visibility rule, ORDER BY and LIMIT. Before timing, the benchmark checks that
the product and the floor return the same references, so the floor cannot drift.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dsar.choices import CLOCK_RUNNING_STATUSES, OPEN_STATUSES, Right
from dsar.models import Case, CaseEvent, Controller, Membership
from dsar.queue import queue_today

from .runner import Context, Row, Target, count_queries, time_pair
from .shape import DETAIL_EVENTS

PAGE_SIZE = 50  # the queue's and the API's page size
FILTER = {"right": Right.ACCESS.value}
ROW_REFERENCE = re.compile(r'<th scope="row"[^>]*><a href="[^"]+">(DSAR-\d{4}-\d+)</a></th>')


def list_target(cases: int) -> Target:
    """The issue's: under 20 ms at 100,000 cases, 100 ms at 1,000,000; within 3x."""
    return Target(max_ms=20 if cases <= 100_000 else 100, max_ratio=3)


def _tables() -> dict[str, str]:
    q = connection.ops.quote_name
    return {
        "case": q(Case._meta.db_table),
        "controller": q(Controller._meta.db_table),
        "user": q(get_user_model()._meta.db_table),
        "membership": q(Membership._meta.db_table),
        "event": q(CaseEvent._meta.db_table),
        "right": q("right"),
    }


def _references(cursor_result: tuple[list[str], list[tuple[Any, ...]]]) -> list[str]:
    columns, rows = cursor_result
    column = columns.index("reference")  # the case's: it comes before the joined tables'
    return [row[column] for row in rows]


def queue_rows(
    user_id: int, grouped: bool = False, *, right: str | None = FILTER["right"], search: str = ""
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The floor: the first page of the officer's open access requests, soonest due first
    (``grouped``: as the queue page shows them, cases whose clock has not started last;
    ``right=None``: every right; ``search``: every status whose search text contains it)."""
    t = _tables()
    statuses = sorted(OPEN_STATUSES)
    first = (
        "CASE WHEN c.status IN ('unconfirmed', 'awaiting_identity') THEN 1 ELSE 0 END, "
        if grouped
        else ""
    )
    where, params = [], [user_id]
    if search:
        where.append("c.search_text LIKE %s")
        params.append(f"%{search}%")
    else:
        where.append(f"c.status IN ({', '.join(['%s'] * len(statuses))})")
        params.extend(statuses)
    if right:
        where.append(f"c.{t['right']} = %s")
        params.append(right)
    sql = (
        f"SELECT c.*, ctl.*, u.* FROM {t['case']} c "
        f"JOIN {t['controller']} ctl ON ctl.id = c.controller_id "
        f"LEFT JOIN {t['user']} u ON u.id = c.assignee_id "
        f"WHERE c.controller_id IN (SELECT m.controller_id FROM {t['membership']} m "
        f"WHERE m.user_id = %s) AND {' AND '.join(where)} "
        f"ORDER BY {first}c.due_date, c.id LIMIT {PAGE_SIZE}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [d[0] for d in cursor.description], cursor.fetchall()


def queue_counts_row(user_id: int, today: dt.date) -> tuple[Any, ...]:
    """The floor of the counts at the top of the queue: one statement, seven counts."""
    t = _tables()
    running = "c.status IN ({})".format(", ".join(["%s"] * len(CLOCK_RUNNING_STATUSES)))
    running_params = sorted(CLOCK_RUNNING_STATUSES)
    statuses = sorted(OPEN_STATUSES)
    sql = (
        f"SELECT COUNT(*) FILTER (WHERE {running} AND c.due_date < %s), "
        f"COUNT(*) FILTER (WHERE {running} AND c.due_date BETWEEN %s AND %s), "
        "COUNT(*) FILTER (WHERE c.requester_replied_at IS NOT NULL), "
        "COUNT(*) FILTER (WHERE c.status = 'awaiting_requester'), "
        "COUNT(*) FILTER (WHERE c.status IN ('unconfirmed', 'awaiting_identity')), "
        "COUNT(*) FILTER (WHERE c.assignee_id IS NULL), "
        "COUNT(*) FILTER (WHERE c.assignee_id = %s) "
        f"FROM {t['case']} c WHERE c.controller_id IN (SELECT m.controller_id "
        f"FROM {t['membership']} m WHERE m.user_id = %s) "
        f"AND c.status IN ({', '.join(['%s'] * len(statuses))})"
    )
    week = today + dt.timedelta(days=7)
    params = [*running_params, today, *running_params, today, week, user_id, user_id, *statuses]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def case_with_events(user_id: int, reference: str) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """The floor of the case page: the visible case, then its events with their actors."""
    t = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.*, ctl.*, u.* FROM {t['case']} c "
            f"JOIN {t['controller']} ctl ON ctl.id = c.controller_id "
            f"LEFT JOIN {t['user']} u ON u.id = c.assignee_id "
            f"WHERE c.reference = %s AND c.controller_id IN "
            f"(SELECT m.controller_id FROM {t['membership']} m WHERE m.user_id = %s)",
            [reference, user_id],
        )
        case = cursor.fetchone()
        cursor.execute(
            f"SELECT e.*, u.* FROM {t['event']} e "
            f"LEFT JOIN {t['user']} u ON u.id = e.actor_id "
            "WHERE e.case_id = %s ORDER BY e.at, e.id",
            [case[0]],
        )
        return case, cursor.fetchall()


def _officer(ctx: Context) -> Any:
    return get_user_model().objects.get(username=ctx.dataset.officer)


def _same(product: list[str], floor: list[str], what: str) -> None:
    if product != floor:
        raise AssertionError(
            f"{what}: the product and the floor disagree on the rows "
            f"(product {product[:3]}..., floor {floor[:3]}...)"
        )


def queue_page(ctx: Context) -> list[Row]:
    officer = _officer(ctx)
    client = Client()
    client.force_login(officer)
    url = reverse("dsar:queue")

    def product() -> Any:
        response = client.get(url, FILTER)
        assert response.status_code == 200, response.status_code
        return response

    def floor() -> Any:
        return queue_rows(officer.pk, grouped=True)

    shown = ROW_REFERENCE.findall(product().content.decode())
    _same(shown, _references(floor()), "queue page")
    if not shown:
        raise AssertionError("queue page: no rows shown; the benchmark would measure nothing")
    return [_list_row(ctx, "queue page (?right=access)", product, floor)]


COUNT_PATTERN = re.compile(r'<span class="count">(\d+)</span>')


def queue_with_counts(ctx: Context) -> list[Row]:
    """The queue as an officer opens it: every open case, grouped, with the counts."""
    officer = _officer(ctx)
    client = Client()
    client.force_login(officer)
    url = reverse("dsar:queue")

    def product() -> Any:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    def floor() -> Any:
        return queue_rows(officer.pk, grouped=True, right=None), queue_counts_row(
            officer.pk, queue_today()
        )

    html = product().content.decode()
    page, counts = floor()
    _same(ROW_REFERENCE.findall(html), _references(page), "queue with counts")
    shown = [int(n) for n in COUNT_PATTERN.findall(html)]
    if shown != list(counts):
        raise AssertionError(f"queue counts: the page shows {shown}, the floor {list(counts)}")
    return [_list_row(ctx, "queue with its 7 counts (open cases)", product, floor, target=False)]


def queue_search(ctx: Context) -> list[Row]:
    """Part of one requester's email address, as an officer types it, across every status."""
    officer = _officer(ctx)
    client = Client()
    client.force_login(officer)
    url = reverse("dsar:queue")
    email = Case.objects.get(reference=ctx.dataset.detail_reference).requester_email
    partial = email.split("@")[0][:-6]  # "amelia.smith.12" of "amelia.smith.123.2026@..."

    def product() -> Any:
        response = client.get(url, {"q": partial})
        assert response.status_code == 200, response.status_code
        return response

    def floor() -> Any:
        return queue_rows(officer.pk, grouped=True, right=None, search=partial)

    shown = ROW_REFERENCE.findall(product().content.decode())
    _same(shown, _references(floor()), "queue search")
    if not shown:
        raise AssertionError("queue search: nothing found; the benchmark would measure nothing")
    name = f"queue search, part of an email ({partial!r})"
    return [_list_row(ctx, name, product, floor, target=False)]


def case_list_api(ctx: Context) -> list[Row]:
    officer = _officer(ctx)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ctx.dataset.token}")
    url = reverse("api:case-list")

    def product() -> Any:
        response = client.get(url, FILTER, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, response.status_code
        return response

    def floor() -> Any:
        return queue_rows(officer.pk)

    listed = [item["reference"] for item in product().json()["results"]]
    _same(listed, _references(floor()), "case list API")
    return [_list_row(ctx, "case list API (?right=access)", product, floor)]


def _list_row(ctx: Context, name: str, product: Any, floor: Any, *, target: bool = True) -> Row:
    """A first page of 50 against the raw SQL for the same rows, timed in turns."""
    samples, floor_samples = time_pair(
        product, floor, repeat=ctx.plan.repeat, warmup=ctx.plan.warmup
    )
    return Row(
        name=name,
        cases=ctx.dataset.cases,
        samples=samples,
        floor="raw SQL, same 50 rows",
        floor_samples=floor_samples,
        queries=count_queries(product),
        floor_queries=count_queries(floor),
        target=list_target(ctx.dataset.cases) if target else None,
    )


def case_page(ctx: Context) -> list[Row]:
    officer = _officer(ctx)
    client = Client()
    client.force_login(officer)
    reference = ctx.dataset.detail_reference
    url = reverse("dsar:case_detail", args=[reference])

    def product() -> Any:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    def floor() -> Any:
        return case_with_events(officer.pk, reference)

    _case, events = floor()
    if len(events) != DETAIL_EVENTS:
        raise AssertionError(
            f"case page: {reference} has {len(events)} events, not {DETAIL_EVENTS}"
        )
    html = product().content.decode()
    if html.count('<time datetime="') < DETAIL_EVENTS:
        raise AssertionError("case page: the timeline does not show every event")
    samples, floor_samples = time_pair(
        product, floor, repeat=ctx.plan.repeat, warmup=ctx.plan.warmup
    )
    return [
        Row(
            name=f"case page ({DETAIL_EVENTS} events)",
            cases=ctx.dataset.cases,
            samples=samples,
            floor="raw SQL, case + its events",
            floor_samples=floor_samples,
            queries=count_queries(product),
            floor_queries=count_queries(floor),
        )
    ]
