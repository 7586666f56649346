"""The conditions behind each figure, shared by the reports and the queue's filters.

A figure and the queue link under it use the same condition, so the number on the report
is the length of the list it opens (as ``dsar.queue`` does for the queue's counts).

Definitions (README, "Reports"):

- *responded*: closed (fulfilled, partly, no data held) or refused: the requester got an
  answer that had to be on time. Withdrawn requests owe no answer and are counted apart.
- *closed on*: the day of ``closed_at`` in the case's controller's time zone (deadlines
  end at midnight there), compared with the final due date: on or before it is on time.
- *extension reason*: read from the words the officer gave ("complex", "numerous" or
  both, Art 12(3)'s two grounds); anything else is "other".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Case as When_
from django.db.models import F, Q, When
from django.db.models.expressions import Expression
from django.db.models.functions import TruncDate

from ..choices import CLOCK_RUNNING_STATUSES, Status
from ..queue import DUE_THIS_WEEK_DAYS, NOT_STARTED_STATUSES

RESPONDED_STATUSES = (Status.CLOSED, Status.REFUSED)


def closed_day(time_zones: Iterable[str]) -> Expression:
    """``closed_at`` as a date in each case's controller's time zone (one query, any mix)."""
    zones = sorted(set(time_zones)) or ["Europe/London"]
    if len(zones) == 1:
        return TruncDate("closed_at", tzinfo=ZoneInfo(zones[0]))
    return When_(
        *[
            When(controller__time_zone=zone, then=TruncDate("closed_at", tzinfo=ZoneInfo(zone)))
            for zone in zones
        ]
    )


def responded() -> Q:
    return Q(status__in=RESPONDED_STATUSES, closed_at__isnull=False)


def on_time() -> Q:
    """On a queryset annotated with ``closed_day``."""
    return responded() & Q(closed_day__lte=F("due_date"))


def late() -> Q:
    return responded() & Q(closed_day__gt=F("due_date"))


TIMELINESS = {"on_time": on_time, "late": late}

EXTENSION_REASONS = [
    ("complex", "Complex"),
    ("numerous", "Numerous requests"),
    ("both", "Complex and numerous"),
    ("other", "Other reason"),
]


def extension_reason(key: str) -> Q:
    """The officer's ground where one was chosen; for an extension recorded without one
    (before the choice was asked, or through the API without it), the reason's words."""
    complex_ = Q(extension_reason__icontains="complex")
    numerous = Q(extension_reason__icontains="numerous")
    from_words = {
        "complex": complex_ & ~numerous,
        "numerous": numerous & ~complex_,
        "both": complex_ & numerous,
        "other": ~complex_ & ~numerous,
    }
    chosen = Q(extension_ground=key)  # no ground is "other": words only
    return Q(extended=True) & (chosen | (Q(extension_ground="") & from_words[key]))


# Open cases by how far they are from due. The first two are the queue's own "Overdue" and
# "Due this week" views (dsar.queue.view_conditions); "later" completes the running ones.
DUE_BUCKETS = [
    ("overdue", "Overdue"),
    ("week", f"Due within {DUE_THIS_WEEK_DAYS} days"),
    ("later", "Due later"),
    ("waiting", "Clock stopped (paused)"),
    ("not_started", "Clock not started"),
]


def due_bucket(key: str, today: dt.date) -> Q:
    running = Q(status__in=sorted(CLOCK_RUNNING_STATUSES))
    week_end = today + dt.timedelta(days=DUE_THIS_WEEK_DAYS)
    return {
        "overdue": running & Q(due_date__lt=today),
        "week": running & Q(due_date__gte=today, due_date__lte=week_end),
        "later": running & Q(due_date__gt=week_end),
        "waiting": Q(status=Status.AWAITING_REQUESTER),
        "not_started": Q(status__in=sorted(NOT_STARTED_STATUSES)),
    }[key]
