"""Read-only queries of the data half, shared by its panel, pages, API and services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dsar.models import Case

from .models import (
    ActionRun,
    Approval,
    BundleDocument,
    Collection,
    DownloadLink,
    Redaction,
    RedactionJob,
)


def latest_collection(case: Case) -> Collection | None:
    return case.collections.order_by("-started_at", "-id").first()


def released_collection(case: Case) -> Collection | None:
    return (
        case.collections.filter(status=Collection.Status.RELEASED)
        .order_by("-released_at", "-id")
        .first()
    )


def runs_for(case: Case) -> list[ActionRun]:
    return list(case.action_runs.prefetch_related("steps").order_by("-started_at", "-id"))


def pending_approvals(case: Case) -> list[Approval]:
    return list(case.approvals.filter(status=Approval.Status.PENDING).select_related("prepared_by"))


def live_links(case: Case, audience: str | None = None):
    qs = DownloadLink.objects.filter(
        document__case=case, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("document")
    if audience:
        qs = qs.filter(audience=audience)
    return qs.order_by("-created_at", "-id")


def current_copy(document: BundleDocument) -> RedactionJob | None:
    """The latest ready copy, if it was made from the document's current marks."""
    marks = sorted(m.pk for m in document.redactions.all())
    for job in document.jobs.all():
        if job.status == RedactionJob.Status.READY:
            return job if sorted(job.redaction_ids) == marks else None
    return None


def disclosed_documents(case: Case) -> list[tuple[BundleDocument, RedactionJob | None]]:
    """Documents to include in an export, each with its up-to-date redacted copy or None."""
    documents = case.bundle_documents.filter(include=True).prefetch_related("redactions", "jobs")
    return [(d, current_copy(d)) for d in documents]


def redactions_by_ground(case: Case) -> dict[str, dict[str, Any]]:
    """Marks on the documents disclosed, per exemption: how many and the reasons given."""
    found: dict[str, dict[str, Any]] = {}
    for mark in Redaction.objects.filter(document__case=case, document__include=True):
        entry = found.setdefault(mark.ground, {"count": 0, "reasons": []})
        entry["count"] += 1
        if mark.reason not in entry["reasons"]:
            entry["reasons"].append(mark.reason)
    return found


def pending_copies(case: Case) -> list[str]:
    """Titles of documents to disclose whose redacted copy is missing or out of date."""
    return [d.title for d, copy in disclosed_documents(case) if copy is None]
