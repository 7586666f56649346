"""The queue's filters, shared by the officer page and the case list API."""

from __future__ import annotations

import re
from datetime import timedelta

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from .choices import OPEN_STATUSES, Right, Status
from .models import Case
from .people.keys import normal_phone
from .queue import QUEUE_VIEW_CHOICES, queue_today, view_conditions

DUE_WINDOWS = [
    ("overdue", "Overdue"),
    ("7", "Due within 7 days"),
    ("30", "Due within 30 days"),
]


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

    class Meta:
        model = Case
        fields = ["q", "status", "right", "controller", "assignee", "due", "show"]

    @property
    def qs(self) -> QuerySet[Case]:
        qs = super().qs
        data = self.form.cleaned_data
        # A search looks through every status (a withdrawn case's reference must be found);
        # browsing without one is work to do, so open cases only.
        if not data.get("status") and not (data.get("q") or "").strip():
            qs = qs.filter(status__in=OPEN_STATUSES)
        return qs

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
        if value.isdigit():
            return qs.filter(assignee_id=int(value))
        return qs.filter(assignee__username=value)

    def due_window(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(due_date__lt=today)
        return qs.filter(due_date__lte=today + timedelta(days=int(value)))
