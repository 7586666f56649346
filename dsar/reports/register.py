"""The register: one row per request received in a range, streamed (CSV or JSON).

Rows come from one ``values_list`` query read with ``iterator(chunk_size)`` (a server-side
cursor on PostgreSQL): no model instances, nothing held but the current chunk, so memory
stays flat whatever the number of cases. Cases deleted after their retention period
follow, from ``PurgedCase`` (reference, right, status and dates only), so the register
stays complete.

No personal data by default: the extension's reason is its category (complex, numerous,
both, other), not the officer's words. The personal version (admins only, logged) adds
the requester's and subject's names, emails and organisation, and the reasons as written.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case as When_
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from ..choices import Status
from ..models import Controller, Pause, PurgedCase
from . import conditions as c
from .periods import Period
from .selectors import report_cases, with_closed_day

CHUNK_SIZE = 2000

COLUMNS = [
    "reference",
    "controller",
    "right",
    "channel",
    "status",
    "received_on",
    "clock_started_on",
    "original_due_date",
    "due_date",
    "extended",
    "extension_reason",
    "paused_days",
    "outcome",
    "refusal_ground",
    "closed_on",
    "on_time",
    "purged",
]
PERSONAL_COLUMNS = [
    "requester_name",
    "requester_email",
    "subject_name",
    "subject_email",
    "organisation_name",
    "extension_reason_text",
    "outcome_reasons",
]
_PERSONAL_FIELDS = [
    "requester_name",
    "requester_email",
    "subject_name",
    "subject_email",
    "organisation_name",
    "extension_reason",
    "outcome_reasons",
]


def columns(personal: bool) -> list[str]:
    return COLUMNS + (PERSONAL_COLUMNS if personal else [])


def _reason_category() -> When_:
    return When_(
        *[When(c.extension_reason(key), then=Value(key)) for key, _ in c.EXTENSION_REASONS],
        default=Value(""),
    )


def _paused(today: dt.date) -> tuple[Subquery, Subquery]:
    """Per case: how many pauses, and their span (an open one to today)."""
    pauses = Pause.objects.filter(case=OuterRef("pk")).order_by().values("case")
    span = ExpressionWrapper(
        Coalesce("ended_on", Value(today)) - F("started_on"), output_field=DurationField()
    )
    return (
        Subquery(pauses.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Subquery(pauses.annotate(s=Sum(span)).values("s"), output_field=DurationField()),
    )


def _days(value: Any) -> int:
    if value is None:
        return 0
    return value.days if isinstance(value, dt.timedelta) else int(value) // 86_400_000_000


def case_rows(
    controllers: Sequence[Controller], period: Period, today: dt.date, personal: bool = False
) -> Iterator[dict[str, Any]]:
    """Every case received in ``period`` at ``controllers``, oldest first, then purged ones."""
    count, span = _paused(today)
    cases = (
        with_closed_day(report_cases(controllers), controllers)
        .filter(received_on__range=(period.start, period.end))
        .annotate(
            controller_slug=F("controller__slug"),
            clock_started_on=Greatest(
                "received_on",
                Coalesce("identity_received_on", "received_on"),
                Coalesce("fee_received_on", "received_on"),
            ),
            reason_category=_reason_category(),
            pause_count=count,
            pause_span=span,
        )
        .order_by("received_on", "id")
    )
    fields = [
        "reference",
        "controller_slug",
        "right",
        "channel",
        "status",
        "received_on",
        "clock_started_on",
        "original_due_date",
        "due_date",
        "extended",
        "reason_category",
        "pause_count",
        "pause_span",
        "outcome",
        "refusal_ground",
        "closed_day",
        *(_PERSONAL_FIELDS if personal else []),
    ]
    for values in cases.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        row = dict(zip(fields, values, strict=True))
        yield _case_row(row, personal)
    yield from _purged_rows(controllers, period, personal)


def _outcome(status: str, outcome: str) -> str:
    if status == Status.CLOSED:
        return outcome
    if status in (Status.REFUSED, Status.WITHDRAWN):
        return status
    return ""


def _case_row(row: dict[str, Any], personal: bool) -> dict[str, Any]:
    responded = row["status"] in c.RESPONDED_STATUSES and row["closed_day"] is not None
    paused = row["pause_count"] or 0
    result = {
        "reference": row["reference"],
        "controller": row["controller_slug"],
        "right": row["right"],
        "channel": row["channel"],
        "status": row["status"],
        "received_on": row["received_on"],
        "clock_started_on": row["clock_started_on"],
        "original_due_date": row["original_due_date"],
        "due_date": row["due_date"],
        "extended": row["extended"],
        "extension_reason": row["reason_category"] if row["extended"] else "",
        # Both ends of each pause count.
        "paused_days": _days(row["pause_span"]) + paused,
        "outcome": _outcome(row["status"], row["outcome"]),
        "refusal_ground": row["refusal_ground"],
        "closed_on": row["closed_day"],
        "on_time": (row["closed_day"] <= row["due_date"]) if responded else None,
        "purged": False,
    }
    if personal:
        result |= {
            "requester_name": row["requester_name"],
            "requester_email": row["requester_email"],
            "subject_name": row["subject_name"],
            "subject_email": row["subject_email"],
            "organisation_name": row["organisation_name"],
            "extension_reason_text": row["extension_reason"],
            "outcome_reasons": row["outcome_reasons"],
        }
    return result


def _purged_rows(
    controllers: Sequence[Controller], period: Period, personal: bool
) -> Iterator[dict[str, Any]]:
    zones = {ctrl.pk: ZoneInfo(ctrl.time_zone) for ctrl in controllers}
    slugs = {ctrl.pk: ctrl.slug for ctrl in controllers}
    purged = (
        PurgedCase.objects.filter(
            controller__in=list(zones), received_on__range=(period.start, period.end)
        )
        .order_by("received_on", "id")
        .values_list("reference", "controller_id", "right", "status", "received_on", "closed_at")
    )
    blank = dict.fromkeys(columns(personal), None)
    for reference, controller_id, right, status, received_on, closed_at in purged.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield blank | {
            "reference": reference,
            "controller": slugs[controller_id],
            "right": right,
            "status": status,
            "received_on": received_on,
            "outcome": _outcome(status, ""),
            "closed_on": closed_at.astimezone(zones[controller_id]).date(),
            "purged": True,
        }


# --- formats ---------------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula: such cells get a
# leading ' (as exports.data.bundle does for the subject's data; the core cannot import it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Line:
    """A file-like object csv.writer writes one line into, handed straight back."""

    def write(self, value: str) -> str:
        return value


def as_csv(rows: Iterator[dict[str, Any]], personal: bool) -> Iterator[str]:
    writer = csv.writer(Line())
    names = columns(personal)
    yield writer.writerow(names)
    for row in rows:
        yield writer.writerow([cell(row[name]) for name in names])


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def as_json(rows: Iterator[dict[str, Any]], meta: dict[str, Any], personal: bool) -> Iterator[str]:
    """``{...meta, "columns": [...], "cases": [{...}, ...]}``, one case a line."""
    head = json.dumps({**meta, "personal": personal, "columns": columns(personal)})
    yield head[:-1] + ', "cases": ['
    first = True
    for row in rows:
        line = json.dumps({k: _json_value(v) for k, v in row.items()})
        yield ("\n" if first else ",\n") + line
        first = False
    yield "\n]}\n"
