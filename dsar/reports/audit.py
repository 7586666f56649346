"""``/audit/``: who looked at what, across the cases of the controllers one audits.

Auditors and admins of a controller (and superusers) see its access log; officers work
cases and do not. Searchable by reference, user, kind and dates; exported as CSV, streamed.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..choices import Role
from ..models import Case, Controller, Membership
from .models import AccessKind, AccessLog
from .register import Line, cell

AUDIT_ROLES = (Role.AUDITOR, Role.ADMIN)
CSV_CHUNK = 2000


def audited_controllers(user: AbstractBaseUser) -> QuerySet[Controller]:
    """Controllers whose access log ``user`` may read."""
    if not user.is_authenticated or not user.is_active:
        return Controller.objects.none()
    if user.is_superuser:
        return Controller.objects.all()
    return Controller.objects.filter(memberships__user=user, memberships__role__in=AUDIT_ROLES)


def may_audit(user: AbstractBaseUser, controller: Controller) -> bool:
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, controller=controller, role__in=AUDIT_ROLES
    ).exists()


def case_accesses(case: Case, limit: int = 50) -> list[AccessLog]:
    """The latest reads of one case (the case page's panel, for auditors)."""
    return list(case.accesses.select_related("user").order_by("-at", "-id")[:limit])


class AuditFilterForm(forms.Form):
    q = forms.CharField(
        label="Case reference",
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text="Whole or part, e.g. DSAR-2026-000123",
    )
    user = forms.CharField(label="User", required=False, help_text="Username, whole or part")
    kind = forms.ChoiceField(
        label="What was read", required=False, choices=[("", "Anything"), *AccessKind.choices]
    )
    controller = forms.ChoiceField(label="Controller", required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, controllers: list[Controller], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.controllers = controllers
        self.fields["controller"].choices = [("", "All")] + [(c.slug, c.name) for c in controllers]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The last day must be on or after the first.")
        return data

    def entries(self) -> QuerySet[AccessLog]:
        """The matching reads, newest first; call after is_valid()."""
        data = self.cleaned_data if self.is_bound else {}
        slug = data.get("controller")
        ids = [c.pk for c in self.controllers if not slug or c.slug == slug]
        qs = AccessLog.objects.filter(controller__in=ids).select_related("user", "controller")
        if q := (data.get("q") or "").strip():
            qs = qs.filter(reference__icontains=q)
        if who := (data.get("user") or "").strip():
            qs = qs.filter(Q(user__username__icontains=who))
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            start = dt.datetime.combine(data["date_from"], dt.time.min, zone)
            qs = qs.filter(at__gte=start)
        if data.get("date_to"):
            end = dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, zone)
            qs = qs.filter(at__lt=end)
        return qs.order_by("-at", "-id")


CSV_COLUMNS = ["at", "user", "kind", "controller", "reference", "what"]


def as_csv(entries: QuerySet[AccessLog]) -> Iterator[str]:
    writer = csv.writer(Line())
    yield writer.writerow(CSV_COLUMNS)
    rows = entries.values_list(
        "at", "user__username", "kind", "controller__slug", "reference", "what"
    )
    for at, *rest in rows.iterator(chunk_size=CSV_CHUNK):
        local = timezone.localtime(at).isoformat(timespec="seconds")
        yield writer.writerow([local, *(cell(value) for value in rest)])
