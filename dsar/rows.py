"""Rows of the long lists (the queue, a case's timeline), prepared in Python.

One pass per row instead of dozens of template lookups and localised date filters per
row, which were most of the pages' time (see bench/).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .choices import Right, Status
from .formats import person_name, short_date
from .models import Case, CaseEvent
from .queue import DEFAULT_SORT, NOT_STARTED_STATUSES, sorted_queue
from .templatetags.dsar_tags import DueState, due_state_for

# What a row shows, and no more: the wide text columns stay in the database.
QUEUE_FIELDS = (
    "reference",
    "right",
    "status",
    "requester_name",
    "organisation_name",
    "subject_name",
    "received_on",
    "due_date",
    "controller__name",
    "controller__time_zone",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "requester_replied_at",
)


class QueueRow(NamedTuple):
    url: str
    reference: str
    requester: str
    organisation: str
    subject_for: str  # the data subject's name when someone else asked for them
    right: str
    controller: str
    status: str
    assignee: str
    received: str
    due: str
    due_state: DueState
    paused: bool
    not_started: bool
    closed: bool
    replied: bool


def queue_cases(cases: QuerySet[Case], sort: str = DEFAULT_SORT) -> QuerySet[Case]:
    return sorted_queue(cases.only(*QUEUE_FIELDS), sort)


def queue_rows(cases: Iterable[Case]) -> list[QueueRow]:
    # Reverse once; references are URL-safe (DSAR-YYYY-NNNNNN).
    url = reverse("dsar:case_detail", args=["REFERENCE"])
    rows = []
    for case in cases:
        subject = case.subject_name
        rows.append(
            QueueRow(
                url=url.replace("REFERENCE", case.reference),
                reference=case.reference,
                requester=case.requester_name,
                organisation=case.organisation_name,
                subject_for=subject if subject and subject != case.requester_name else "",
                right=Right(case.right).label.split(" (", 1)[0],
                controller=case.controller.name,
                status=Status(case.status).label,
                assignee=person_name(case.assignee) if case.assignee else "",
                received=short_date(case.received_on),
                due=short_date(case.due_date),
                due_state=due_state_for(case),
                paused=case.is_paused,
                not_started=case.status in NOT_STARTED_STATUSES,
                closed=not case.is_open,
                replied=case.requester_replied_at is not None,
            )
        )
    return rows


class TimelineRow(NamedTuple):
    iso: str
    when: str  # in the controller's time zone
    title: str
    actor: str
    from_status: str
    to_status: str
    message: str


STATUS_LABELS = dict(Status.choices)


def _status_label(value: str) -> str:
    return STATUS_LABELS.get(value, value)


def timeline_rows(events: Iterable[CaseEvent], time_zone: str) -> list[TimelineRow]:
    zone = ZoneInfo(time_zone)
    rows = []
    for event in events:
        at = timezone.localtime(event.at, zone)
        rows.append(
            TimelineRow(
                iso=at.isoformat(),
                when=f"{short_date(at.date())}, {at:%H:%M}",
                title=event.kind.replace("_", " ").capitalize(),
                actor=event.actor_label,
                from_status=_status_label(event.from_status) if event.from_status else "",
                to_status=_status_label(event.to_status) if event.to_status else "",
                message=event.message,
            )
        )
    return rows
