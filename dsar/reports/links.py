"""Where each figure leads: the queue, filtered to the cases behind it.

The parameters are the queue's own (dsar.filters.CaseFilter), and each uses the same
condition as the figure (dsar.reports.conditions), so the queue's count is the figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from .periods import Period


class QueueLinks:
    def __init__(self, controller: str | None, period: Period) -> None:
        self.base: dict[str, Any] = {"controller": controller} if controller else {}
        self.period = period

    def url(self, **params: Any) -> str:
        query = {**self.base, **{k: v for k, v in params.items() if v not in (None, "")}}
        query = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in query.items()}
        return f"{reverse('dsar:queue')}?{urlencode(query, doseq=True)}"

    def received(self, start: dt.date | None = None, end: dt.date | None = None, **p: Any) -> str:
        return self.url(
            received_from=start or self.period.start, received_to=end or self.period.end, **p
        )

    def ended(self, **params: Any) -> str:
        return self.url(closed_from=self.period.start, closed_to=self.period.end, **params)

    def responded(self, **params: Any) -> str:
        return self.ended(status=["closed", "refused"], **params)


def decorate(data: dict[str, Any], links: QueueLinks) -> dict[str, Any]:
    """The summary with an ``href`` beside every figure (the page's tables and charts)."""
    received = data["received"]
    received["href"] = links.received()
    for row in received["by_month"]:
        month = dt.date.fromisoformat(f"{row['month']}-01")
        row["href"] = links.received(*links.period.clip(month))
    for row in received["by_right"]:
        row["href"] = links.received(right=row["right"])
    for row in received["by_channel"]:
        row["href"] = links.received(channel=row["channel"])

    timeliness = data["timeliness"]
    for row in [timeliness, *timeliness["by_right"]]:
        right = row.get("right")
        row["href"] = links.responded(right=right)
        row["on_time_href"] = links.ended(timeliness="on_time", right=right)
        row["late_href"] = links.ended(timeliness="late", right=right)

    open_now = data["open_now"]
    open_now["href"] = links.url()
    for row in open_now["by_status"]:
        row["href"] = links.url(status=row["status"])
    for row in open_now["by_due"]:
        row["href"] = links.url(clock=row["bucket"])

    extensions = data["extensions"]
    extensions["href"] = links.received(extended="yes")
    for row in extensions["by_reason"]:
        row["href"] = links.received(extension_reason=row["reason"])
    data["pauses"]["href"] = links.received(paused="yes")
    refusals = data["refusals"]
    refusals["href"] = links.ended(status="refused")
    for row in refusals["by_ground"]:
        row["href"] = links.ended(status="refused", refusal_ground=row["ground"])
    data["withdrawals_href"] = links.ended(status="withdrawn")
    data["closed_unverified_href"] = links.ended(
        status="refused", refusal_ground="identity_not_verified"
    )
    for row in data["workload"]:
        who = row["officer_id"] or "none"
        row["open_href"] = links.url(assignee=who)
        row["closed_href"] = links.responded(assignee=who)
        row["late_href"] = links.ended(timeliness="late", assignee=who)
    return data
