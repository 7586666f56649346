"""The reports (issue 16) against raw SQL aggregates for the same figures.

- the reports page (``/reports/?range=last_12_months``) and the summary API for the
  officer's controllers, against one hand-written ``GROUP BY`` or ``COUNT(*) FILTER``
  statement per figure group (received by month, right and channel; responses by right
  and days; open by status and due bucket; extensions; pauses; refusals, withdrawals and
  unverified; workload by officer), with the same scope and dates;
- (the register CSV against ``COPY`` of its columns, with peak memory: bench/register.py.)

Before timing, the benchmark checks that the summary and the floor count the same
requests received and responded, so the floor cannot drift. On SQLite (the smoke test)
the floor's day arithmetic is SQLite's, with days taken in UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from dsar.choices import CLOCK_RUNNING_STATUSES, OPEN_STATUSES, RefusalGround, Status
from dsar.models import Case, Controller, Pause
from dsar.reports.periods import period_for
from dsar.selectors import controllers_for

from .runner import Context, Row, count_queries, time_pair

RANGE = {"range": "last_12_months"}


def _officer(ctx: Context) -> Any:
    return get_user_model().objects.get(username=ctx.dataset.officer)


def _sql() -> dict[str, str]:
    """The vendor's spelling of a month, the closed day and days between two dates."""
    if connection.vendor == "postgresql":
        day = "(c.closed_at AT TIME ZONE ctl.time_zone)::date"
        return {
            "month": "date_trunc('month', c.received_on)",
            "day": day,
            "diff": f"{day} - c.received_on",
        }
    day = "date(c.closed_at)"
    return {
        "month": "strftime('%%Y-%%m', c.received_on)",
        "day": day,
        "diff": f"CAST(julianday({day}) - julianday(c.received_on) AS INTEGER)",
    }


def floor_figures(controller_ids: list[int], start: dt.date, end: dt.date, today: dt.date) -> dict:
    q = connection.ops.quote_name
    case, ctl, pause = (q(m._meta.db_table) for m in (Case, Controller, Pause))
    s = _sql()
    ids = ", ".join(["%s"] * len(controller_ids))
    base = (
        f"FROM {case} c JOIN {ctl} ctl ON ctl.id = c.controller_id WHERE c.controller_id IN ({ids})"
    )
    received = f"{base} AND c.received_on BETWEEN %s AND %s"
    responded = f"c.status IN ('{Status.CLOSED}', '{Status.REFUSED}') AND c.closed_at IS NOT NULL"
    running = ", ".join(f"'{st}'" for st in sorted(CLOCK_RUNNING_STATUSES))
    open_ = ", ".join(f"'{st}'" for st in sorted(OPEN_STATUSES))
    week = today + dt.timedelta(days=7)
    out: dict[str, Any] = {}
    with connection.cursor() as cur:
        p = [*controller_ids, start, end]
        for key, column in (
            ("month", s["month"]),
            ("right", 'c."right"'),
            ("channel", "c.channel"),
        ):
            cur.execute(f"SELECT {column}, COUNT(*) {received} GROUP BY 1", p)
            out[f"received_{key}"] = cur.fetchall()
        cur.execute(
            f'SELECT c."right", {s["diff"]}, COUNT(*), '
            f"SUM(CASE WHEN {s['day']} <= c.due_date THEN 1 ELSE 0 END) {base} "
            f"AND {responded} AND {s['day']} BETWEEN %s AND %s GROUP BY 1, 2",
            p,
        )
        out["timeliness"] = cur.fetchall()
        cur.execute(
            f"SELECT c.status, SUM(CASE WHEN c.status IN ({running}) AND c.due_date < %s "
            f"THEN 1 ELSE 0 END), SUM(CASE WHEN c.status IN ({running}) AND c.due_date "
            f"BETWEEN %s AND %s THEN 1 ELSE 0 END), COUNT(*) {base} AND c.status IN ({open_}) "
            "GROUP BY 1",
            [today, today, week, *controller_ids],
        )
        out["open"] = cur.fetchall()
        cur.execute(f"SELECT COUNT(*), SUM(CASE WHEN c.extended THEN 1 ELSE 0 END) {received}", p)
        out["extensions"] = cur.fetchall()
        cur.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT pz.case_id) FROM {pause} pz "
            f"JOIN {case} c ON c.id = pz.case_id WHERE c.controller_id IN ({ids}) "
            "AND c.received_on BETWEEN %s AND %s",
            p,
        )
        out["pauses"] = cur.fetchall()
        grounds = ", ".join(
            f"SUM(CASE WHEN c.status = '{Status.REFUSED}' AND c.refusal_ground = '{g}' "
            "THEN 1 ELSE 0 END)"
            for g in RefusalGround.values
        )
        cur.execute(
            f"SELECT SUM(CASE WHEN c.status = '{Status.WITHDRAWN}' THEN 1 ELSE 0 END), {grounds} "
            f"{base} AND c.closed_at IS NOT NULL AND {s['day']} BETWEEN %s AND %s",
            p,
        )
        out["ended"] = cur.fetchall()
        cur.execute(
            f"SELECT c.assignee_id, SUM(CASE WHEN c.status IN ({open_}) THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN {responded} AND {s['day']} BETWEEN %s AND %s THEN 1 ELSE 0 END) "
            f"{base} GROUP BY 1",
            [start, end, *controller_ids],
        )
        out["workload"] = cur.fetchall()
    return out


def reports_summary(ctx: Context) -> list[Row]:
    officer = _officer(ctx)
    controllers = list(controllers_for(officer))
    ids = [c.pk for c in controllers]
    today = controllers[0].today()
    period = period_for("last_12_months", today)
    page, api = Client(), APIClient()
    page.force_login(officer)
    api.force_authenticate(officer)

    def product_page() -> Any:
        response = page.get("/reports/", RANGE)
        assert response.status_code == 200, response.status_code
        return response

    def product_api() -> Any:
        response = api.get("/api/v1/reports/summary/", RANGE)
        assert response.status_code == 200, response.status_code
        return response.json()

    def floor() -> dict:
        return floor_figures(ids, period.start, period.end, today)

    body, raw = product_api(), floor()
    received = sum(n for _, n in raw["received_right"])
    if body["received"]["total"] != received:
        raise AssertionError(f"reports: summary {body['received']['total']} vs floor {received}")
    if connection.vendor == "postgresql":
        responded = sum(row[2] for row in raw["timeliness"])
        if body["timeliness"]["closed"] != responded:
            raise AssertionError(
                f"reports: responded {body['timeliness']['closed']} vs {responded}"
            )
    rows = []
    for name, product in (
        ("reports page (12 months)", product_page),
        ("reports summary API", product_api),
    ):
        samples, floor_samples = time_pair(
            product, floor, repeat=ctx.plan.repeat, warmup=ctx.plan.warmup
        )
        rows.append(
            Row(
                name=name,
                cases=ctx.dataset.cases,
                samples=samples,
                floor="raw SQL aggregates, same figures",
                floor_samples=floor_samples,
                queries=count_queries(product),
                floor_queries=count_queries(floor),
                note=f"{received:,} received in range",
            )
        )
    return rows
