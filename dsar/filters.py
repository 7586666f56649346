"""The queue's filters, shared by the officer page and the case list API."""

from __future__ import annotations

import re
from datetime import timedelta

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from .choices import OPEN_STATUSES, Channel, Outcome, RefusalGround, Right, Status
from .models import Case, Controller, Pause
from .people.keys import normal_phone
from .queue import QUEUE_VIEW_CHOICES, queue_today, view_conditions
from .reports import conditions as report_conditions

DUE_WINDOWS = [
    ("overdue", "Overdue"),
    ("7", "Due within 7 days"),
    ("30", "Due within 30 days"),
]

# Issue 16: the filters behind the reports' figures (dsar.reports.links). Any of them lifts
# the queue's "open cases only" default: a report counts closed cases too.
REPORT_FILTERS = (
    "received_from",
    "received_to",
    "closed_from",
    "closed_to",
    "channel",
    "timeliness",
    "extended",
    "extension_reason",
    "paused",
    "refusal_ground",
    "outcome",
    "clock",
)
YES = [("yes", "Yes")]


class CaseFilter(django_filters.FilterSet):
    """With no status chosen, only open cases are listed: the queue is work to do."""

    q = django_filters.CharFilter(
        method="search", label="Search reference, name, email, phone or customer number"
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    right = django_filters.ChoiceFilter(choices=Right.choices)
    controller = django_filters.CharFilter(field_name="controller__slug", label="Controller")
    assignee = django_filters.CharFilter(method="by_assignee", label="Assignee")
    due = django_filters.ChoiceFilter(choices=DUE_WINDOWS, method="due_window", label="Due")
    show = django_filters.ChoiceFilter(
        choices=QUEUE_VIEW_CHOICES, method="by_view", label="Show (the queue's counts)"
    )

    # Issue 16: the reports' figures open the queue through these.
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label="Received on or after"
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label="Received on or before"
    )
    closed_from = django_filters.DateFilter(method="closed_between", label="Ended on or after")
    closed_to = django_filters.DateFilter(method="closed_between", label="Ended on or before")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    timeliness = django_filters.ChoiceFilter(
        choices=[("on_time", "Responded on time"), ("late", "Responded late")],
        method="by_timeliness",
        label="Responded on time or late",
    )
    extended = django_filters.ChoiceFilter(choices=YES, method="by_extended", label="Extended")
    extension_reason = django_filters.ChoiceFilter(
        choices=report_conditions.EXTENSION_REASONS,
        method="by_extension_reason",
        label="Extension reason",
    )
    paused = django_filters.ChoiceFilter(choices=YES, method="by_paused", label="Ever paused")
    refusal_ground = django_filters.ChoiceFilter(choices=RefusalGround.choices)
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    clock = django_filters.ChoiceFilter(
        choices=report_conditions.DUE_BUCKETS, method="by_clock", label="How far from due"
    )

    class Meta:
        model = Case
        fields = [
            "q",
            "status",
            "right",
            "controller",
            "assignee",
            "due",
            "show",
            *REPORT_FILTERS,
        ]

    @property
    def qs(self) -> QuerySet[Case]:
        qs = super().qs
        data = self.form.cleaned_data
        # A search looks through every status (a withdrawn case's reference must be found);
        # browsing without one is work to do, so open cases only.
        reported = any(data.get(name) for name in REPORT_FILTERS)
        if not data.get("status") and not (data.get("q") or "").strip() and not reported:
            qs = qs.filter(status__in=OPEN_STATUSES)
        return qs

    # --- issue 16: the reports' conditions (dsar.reports.conditions) -------------------

    @staticmethod
    def _with_closed_day(qs: QuerySet[Case]) -> QuerySet[Case]:
        if "closed_day" in qs.query.annotations:
            return qs
        zones = Controller.objects.values_list("time_zone", flat=True).distinct()
        return qs.annotate(closed_day=report_conditions.closed_day(zones))

    def closed_between(self, qs: QuerySet[Case], name: str, value) -> QuerySet[Case]:
        """The day the case ended (closed, refused or withdrawn), in its controller's zone."""
        lookup = "closed_day__gte" if name == "closed_from" else "closed_day__lte"
        return self._with_closed_day(qs).filter(closed_at__isnull=False, **{lookup: value})

    def by_timeliness(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return self._with_closed_day(qs).filter(report_conditions.TIMELINESS[value]())

    def by_extended(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs.filter(extended=True)

    def by_extension_reason(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs.filter(report_conditions.extension_reason(value))

    def by_paused(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs.filter(Exists(Pause.objects.filter(case=OuterRef("pk"))))

    def by_clock(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs.filter(report_conditions.due_bucket(value, queue_today()))

    def search(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Exact or partial reference, name, email, phone or customer number.

        Looks in the case's lower-case search text (dsar.people.keys.search_text): a
        trigram index serves the LIKE on PostgreSQL, a plain scan on SQLite.
        """
        value = " ".join(value.split()).lower()
        if not value:
            return qs
        phone = normal_phone(value)
        if phone and re.fullmatch(r"[\d\s()+-]+", value):
            value = phone  # "020 7946 0000" finds 02079460000
        return qs.filter(search_text__contains=value)

    def by_view(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        user = self.request.user if self.request else None
        condition = view_conditions(user, queue_today()).get(value)
        return qs.filter(condition, status__in=OPEN_STATUSES) if condition else qs

    def by_assignee(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "none":
            return qs.filter(assignee__isnull=True)
        if value == "me":
            return qs.filter(assignee=self.request.user) if self.request else qs.none()
        # ASCII digits only, and a size an id can have: "²" or "٣" is a digit to Python but
        # not to int() or the database (a 500), so such a value is read as a username.
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return qs.filter(assignee_id=int(value))
        return qs.filter(assignee__username=value)

    def due_window(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(due_date__lt=today)
        return qs.filter(due_date__lte=today + timedelta(days=int(value)))
