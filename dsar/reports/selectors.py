"""The report's figures, each a database aggregate: a fixed number of queries, whatever
the number of cases (no query per case, month or day).

``summary`` returns plain data (dates as ISO strings, rates as fractions) shared by the
reports page, the API (``GET /api/v1/reports/summary/``) and the monthly email. It
holds no personal data about requesters; the workload names officers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from ..choices import OPEN_STATUSES, Channel, RefusalGround, Right, Status
from ..formats import person_name
from ..models import Case, Controller, Pause
from . import conditions as c
from .periods import Period

STATUS_LABELS = dict(Status.choices)
# Short names ("Access", not "Access (a copy of your data)"): a report is read by staff.
RIGHT_LABELS = {value: label.split(" (")[0] for value, label in Right.choices}
CHANNEL_LABELS = dict(Channel.choices)
GROUND_LABELS = dict(RefusalGround.choices)
OPEN_ORDER = [s for s in Status if s in OPEN_STATUSES]


def report_cases(controllers: Sequence[Controller]) -> QuerySet[Case]:
    """Every case of the chosen controllers; another controller's cases never count."""
    return Case.objects.filter(controller__in=[ctrl.pk for ctrl in controllers]).order_by()


def with_closed_day(cases: QuerySet[Case], controllers: Sequence[Controller]) -> QuerySet[Case]:
    return cases.annotate(closed_day=c.closed_day(ctrl.time_zone for ctrl in controllers))


def percentile(histogram: dict[int, int], q: float) -> float | None:
    """The q-th percentile of values given as {value: how many}, interpolated between the
    two nearest ranks (as PostgreSQL's ``percentile_cont``); None when there are none."""
    n = sum(histogram.values())
    if n == 0:
        return None
    position = q * (n - 1)
    low_rank = math.floor(position)

    def value_at(rank: int) -> int:
        seen = 0
        for value in sorted(histogram):
            seen += histogram[value]
            if seen > rank:
                return value
        raise AssertionError("rank beyond the histogram")

    low, high = value_at(low_rank), value_at(min(low_rank + 1, n - 1))
    return round(low + (high - low) * (position - low_rank), 1)


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _received(cases: QuerySet[Case], period: Period) -> dict[str, Any]:
    received = cases.filter(received_on__range=(period.start, period.end))
    by_month = {
        row["month"]: row["n"]
        for row in received.annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    by_month = {(m.date() if isinstance(m, dt.datetime) else m): n for m, n in by_month.items()}
    by_right = dict(received.values_list("right").annotate(n=Count("pk")))
    by_channel = dict(received.values_list("channel").annotate(n=Count("pk")))
    return {
        "total": sum(by_right.values()),
        "by_month": [
            {"month": m.strftime("%Y-%m"), "label": f"{m:%b %Y}", "count": by_month.get(m, 0)}
            for m in period.months()
        ],
        "by_right": [
            {"right": r, "label": RIGHT_LABELS[r], "count": by_right[r]}
            for r in Right.values
            if by_right.get(r)
        ],
        "by_channel": [
            {"channel": ch, "label": CHANNEL_LABELS[ch], "count": by_channel[ch]}
            for ch in Channel.values
            if by_channel.get(ch)
        ],
    }


def _timeliness(cases: QuerySet[Case], period: Period) -> dict[str, Any]:
    """Responded in the range: on time or late, and the days from receipt to response,
    grouped by (right, days) so the percentiles come from a small histogram."""
    rows = (
        cases.filter(c.responded(), closed_day__range=(period.start, period.end))
        .annotate(
            days=ExpressionWrapper(F("closed_day") - F("received_on"), output_field=DurationField())
        )
        .values("right", "days")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(closed_day__lte=F("due_date"))))
    )
    per_right: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"closed": 0, "on_time": 0, "histogram": defaultdict(int)}
    )
    overall: dict[int, int] = defaultdict(int)
    for row in rows:
        days = row["days"].days if isinstance(row["days"], dt.timedelta) else int(row["days"])
        bucket = per_right[row["right"]]
        bucket["closed"] += row["n"]
        bucket["on_time"] += row["on_time"]
        bucket["histogram"][days] += row["n"]
        overall[days] += row["n"]

    def figures(closed: int, on_time: int, histogram: dict[int, int]) -> dict[str, Any]:
        return {
            "closed": closed,
            "on_time": on_time,
            "late": closed - on_time,
            "on_time_rate": rate(on_time, closed),
            "median_days": percentile(histogram, 0.5),
            "p90_days": percentile(histogram, 0.9),
        }

    closed = sum(b["closed"] for b in per_right.values())
    on_time = sum(b["on_time"] for b in per_right.values())
    return {
        **figures(closed, on_time, overall),
        "by_right": [
            {
                "right": r,
                "label": RIGHT_LABELS[r],
                **figures(
                    per_right[r]["closed"], per_right[r]["on_time"], per_right[r]["histogram"]
                ),
            }
            for r in Right.values
            if r in per_right
        ],
    }


def _open_now(cases: QuerySet[Case], today: dt.date) -> dict[str, Any]:
    totals = cases.filter(status__in=sorted(OPEN_STATUSES)).aggregate(
        **{f"status_{s}": Count("pk", filter=Q(status=s)) for s in OPEN_ORDER},
        **{f"due_{key}": Count("pk", filter=c.due_bucket(key, today)) for key, _ in c.DUE_BUCKETS},
    )
    return {
        "total": sum(totals[f"status_{s}"] for s in OPEN_ORDER),
        "by_status": [
            {"status": s.value, "label": STATUS_LABELS[s], "count": totals[f"status_{s}"]}
            for s in OPEN_ORDER
        ],
        "by_due": [
            {"bucket": key, "label": label, "count": totals[f"due_{key}"]}
            for key, label in c.DUE_BUCKETS
        ],
    }


def _received_cohort(cases: QuerySet[Case], period: Period, today: dt.date) -> dict[str, Any]:
    """Of the requests received in the range: extensions (and why) and pauses."""
    received = cases.filter(received_on__range=(period.start, period.end))
    ext = received.aggregate(
        received=Count("pk"),
        total=Count("pk", filter=Q(extended=True)),
        **{key: Count("pk", filter=c.extension_reason(key)) for key, _ in c.EXTENSION_REASONS},
    )
    pause_days = ExpressionWrapper(
        Coalesce("ended_on", Value(today)) - F("started_on"), output_field=DurationField()
    )
    pauses = Pause.objects.filter(case__in=received.values("pk")).aggregate(
        count=Count("pk"), cases=Count("case", distinct=True), span=Sum(pause_days)
    )
    span = pauses["span"] or dt.timedelta(0)
    span_days = span.days if isinstance(span, dt.timedelta) else int(span)
    return {
        "extensions": {
            "count": ext["total"],
            "rate": rate(ext["total"], ext["received"]),
            "by_reason": [
                {
                    "reason": key,
                    "label": label,
                    "count": ext[key],
                    "share": rate(ext[key], ext["total"]),
                }
                for key, label in c.EXTENSION_REASONS
                if ext[key]
            ],
        },
        # Both ends of a pause count (the day we ask and the day the answer arrives).
        "pauses": {
            "count": pauses["count"],
            "cases": pauses["cases"],
            "total_days": span_days + pauses["count"],
        },
    }


def _ended(cases: QuerySet[Case], period: Period) -> dict[str, Any]:
    """Refusals by ground, withdrawals and closures as unverified, by the day they ended."""
    ended = cases.filter(closed_at__isnull=False, closed_day__range=(period.start, period.end))
    totals = ended.aggregate(
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
        **{
            g: Count("pk", filter=Q(status=Status.REFUSED, refusal_ground=g))
            for g in RefusalGround.values
        },
    )
    by_ground = [
        {"ground": g, "label": GROUND_LABELS[g], "count": totals[g]}
        for g in RefusalGround.values
        if totals[g]
    ]
    return {
        "refusals": {"count": sum(r["count"] for r in by_ground), "by_ground": by_ground},
        "withdrawals": totals["withdrawn"],
        "closed_unverified": totals[RefusalGround.IDENTITY_NOT_VERIFIED],
    }


def _workload(cases: QuerySet[Case], period: Period) -> list[dict[str, Any]]:
    """Per assignee: open now, responded in the range, of which late. Unassigned last."""
    in_range = Q(closed_day__range=(period.start, period.end))
    rows = [
        row
        for row in cases.values("assignee").annotate(
            open=Count("pk", filter=Q(status__in=sorted(OPEN_STATUSES))),
            closed=Count("pk", filter=c.responded() & in_range),
            late=Count("pk", filter=c.late() & in_range),
        )
        if row["open"] or row["closed"]
    ]
    users = get_user_model().objects.in_bulk([r["assignee"] for r in rows if r["assignee"]])
    result = [
        {
            "officer": users[r["assignee"]].get_username() if r["assignee"] else None,
            "officer_id": r["assignee"],
            "name": person_name(users[r["assignee"]]) if r["assignee"] else "Unassigned",
            "open": r["open"],
            "closed": r["closed"],
            "late": r["late"],
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: (r["officer_id"] is None, r["name"].lower()))


def summary(*, controllers: Sequence[Controller], period: Period, today: dt.date) -> dict[str, Any]:
    """Every figure of the report for ``controllers`` over ``period``; open cases as of
    ``today``."""
    cases = with_closed_day(report_cases(controllers), controllers)
    cohort = _received_cohort(cases, period, today)
    return {
        "controllers": [ctrl.slug for ctrl in controllers],
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "today": today.isoformat(),
        "received": _received(cases, period),
        "timeliness": _timeliness(cases, period),
        "open_now": _open_now(cases, today),
        **cohort,
        **_ended(cases, period),
        "workload": _workload(cases, period),
    }
