"""The queue's filters, shared by the officer page and the case list API."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import OPEN_STATUSES, Right, Status
from .models import Case

DUE_WINDOWS = [
    ("overdue", "Overdue"),
    ("7", "Due within 7 days"),
    ("30", "Due within 30 days"),
]


class CaseFilter(django_filters.FilterSet):
    """With no status chosen, only open cases are listed: the queue is work to do."""

    q = django_filters.CharFilter(method="search", label="Search reference, name or email")
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    right = django_filters.ChoiceFilter(choices=Right.choices)
    controller = django_filters.CharFilter(field_name="controller__slug", label="Controller")
    assignee = django_filters.CharFilter(method="by_assignee", label="Assignee")
    due = django_filters.ChoiceFilter(choices=DUE_WINDOWS, method="due_window", label="Due")

    class Meta:
        model = Case
        fields = ["q", "status", "right", "controller", "assignee", "due"]

    @property
    def qs(self) -> QuerySet[Case]:
        qs = super().qs
        if not self.form.cleaned_data.get("status"):
            qs = qs.filter(status__in=OPEN_STATUSES)
        return qs

    def search(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(reference__iexact=value)
            | Q(requester_name__icontains=value)
            | Q(subject_name__icontains=value)
            | Q(requester_email__iexact=value)
            | Q(subject_email__iexact=value)
        )

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
