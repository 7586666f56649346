"""The queue as a day's work: counts that are also filters, sort orders and groups.

Each count and its filter use the same condition (``view_conditions``), so the number at
the top of the queue is always the length of the list it links to.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case as When_
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from .choices import CLOCK_RUNNING_STATUSES, OPEN_STATUSES, Status
from .models import Case

# Cases whose statutory clock has not started: shown apart, below the others.
NOT_STARTED_STATUSES = frozenset({Status.UNCONFIRMED, Status.AWAITING_IDENTITY})

DUE_THIS_WEEK_DAYS = 7


class QueueView(NamedTuple):
    key: str
    label: str
    hint: str


QUEUE_VIEWS = (
    QueueView("overdue", "Overdue", "Clock running, past the due date"),
    QueueView("week", "Due this week", "Clock running, due in the next 7 days"),
    QueueView("replied", "Requester replied", "A message from the requester to read"),
    QueueView("waiting", "Waiting on the requester", "Clock stopped for their answer"),
    QueueView("not_started", "Not started", "Waiting for confirmation or identity"),
    QueueView("unassigned", "Unassigned", "Nobody is working on them"),
    QueueView("mine", "Mine", "Assigned to you"),
)
QUEUE_VIEW_CHOICES = [(v.key, v.label) for v in QUEUE_VIEWS]


def view_conditions(user: AbstractBaseUser | None, today: dt.date) -> dict[str, Q]:
    """The condition behind each count; applied on top of the open cases."""
    running = Q(status__in=sorted(CLOCK_RUNNING_STATUSES))
    return {
        "overdue": running & Q(due_date__lt=today),
        "week": running
        & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_THIS_WEEK_DAYS)),
        "replied": Q(requester_replied_at__isnull=False),
        "waiting": Q(status=Status.AWAITING_REQUESTER),
        "not_started": Q(status__in=sorted(NOT_STARTED_STATUSES)),
        "unassigned": Q(assignee__isnull=True),
        "mine": Q(assignee_id=user.pk) if user is not None and user.pk else Q(pk__in=[]),
    }


def queue_today() -> dt.date:
    return timezone.localdate()


def queue_counts(cases: QuerySet[Case], user: AbstractBaseUser) -> list[dict[str, object]]:
    """One query: how many open cases fall in each view."""
    conditions = view_conditions(user, queue_today())
    totals = (
        cases.filter(status__in=sorted(OPEN_STATUSES))
        .order_by()
        .aggregate(**{key: Count("pk", filter=q) for key, q in conditions.items()})
    )
    return [{"view": v, "count": totals[v.key]} for v in QUEUE_VIEWS]


# Sortable columns: the key in ?sort= and the fields it orders by. "-" reverses.
STATUS_ORDER = [
    Status.UNCONFIRMED,
    Status.AWAITING_IDENTITY,
    Status.IN_PROGRESS,
    Status.AWAITING_REQUESTER,
    Status.READY_FOR_REVIEW,
    Status.CLOSED,
    Status.WITHDRAWN,
    Status.REFUSED,
]
SORTS: dict[str, tuple[str, ...]] = {
    "due": ("due_date",),
    "received": ("received_on",),
    "status": ("status_order",),
    "right": ("right",),
    "assignee": ("assignee__first_name", "assignee__last_name", "assignee__username"),
}
DEFAULT_SORT = "due"


def sort_key(value: str | None) -> str:
    """An allow-listed sort ("due", "-received"...); anything else is the default."""
    value = value or DEFAULT_SORT
    return value if value.lstrip("-") in SORTS else DEFAULT_SORT


def sorted_queue(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    """Not-started cases after the others, then the chosen column, then the reference."""
    sort = sort_key(sort)
    descending = sort.startswith("-")
    fields = SORTS[sort.lstrip("-")]
    cases = cases.annotate(
        not_started=When_(
            When(status__in=sorted(NOT_STARTED_STATUSES), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    if "status_order" in fields:
        cases = cases.annotate(
            status_order=When_(
                *[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
                output_field=IntegerField(),
            )
        )
    # Unassigned cases last either way, on both databases.
    order = [
        F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields
    ]
    return cases.order_by("not_started", *order, "due_date", "id")
