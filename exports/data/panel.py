"""The data half's panels: on the case page "Personal data" (search, review, export,
deliver, act) and "Disclosure" (review, the bundle, and approvals waiting); on the
requester's status page "Your data" (their live download links)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dsar import progress
from dsar.choices import PortabilityDestination, Right
from dsar.models import Case

from . import forms
from .identifiers import case_identifiers, mask
from .models import (
    ActionRight,
    ApprovalAction,
    DataCategory,
    DataSource,
    DownloadLink,
    Export,
    SourceResult,
    SuppressionEntry,
)
from .selectors import latest_collection, live_links, pending_approvals, runs_for
from .services.collection import SEARCHABLE_STATUSES
from .services.delivery import link_path

TEMPLATE = "exports/data/_data_panel.html"
DISCLOSURE_TEMPLATE = "exports/data/_disclosure_panel.html"
STATUS_TEMPLATE = "exports/data/_status_downloads.html"


_SEARCHING = {SourceResult.Status.PENDING, SourceResult.Status.RUNNING}


def _percent(seen: progress.Progress | None) -> int | None:
    return min(99, 100 * seen["done"] // seen["total"]) if seen and seen["total"] else None


def data_panel(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    collection = latest_collection(case)
    results = list(collection.results.select_related("source")) if collection else []
    workable = can_act and case.status in SEARCHABLE_STATUSES
    for result in results:
        result.upload_form = (
            forms.ManualUploadForm(case=case, prefix_id=result.pk)
            if workable
            and collection.status != collection.Status.RELEASED
            and result.source
            and result.source.kind == DataSource.Kind.MANUAL
            else None
        )
    # Only what this case can show is read: every export needs a search, runs need an
    # erasure-type right, suppression and decisions an objection.
    exports = (
        list(
            Export.objects.filter(document__case=case)
            .select_related("document", "collection")
            .prefetch_related("document__download_links")
            .order_by("-document__produced_at", "-document_id")
        )
        if collection
        else []
    )
    building = progress.read_many(
        "export", [e.document_id for e in exports if e.document.status == "pending"]
    )
    for export in exports:
        export.progress = _percent(building.get(export.document_id))
        export.links = [
            {"link": link, "path": link_path(link) if link.is_live else ""}
            for link in export.document.download_links.all()
        ]
        export.link_form = (
            forms.LinkForm(
                document_id=export.document_id,
                initial={
                    "audience": DownloadLink.Audience.RECIPIENT
                    if export.purpose == Export.Purpose.PORTABILITY
                    and case.portability_destination == PortabilityDestination.ORGANISATION
                    else DownloadLink.Audience.REQUESTER,
                    "days": 14,
                },
            )
            if can_act and export.document.is_ready
            else None
        )
    action_right = case.right in ActionRight.values
    objection = case.right == Right.OBJECTION
    runs = runs_for(case) if action_right else []
    for run in runs:
        for step in run.steps.all():
            step.done_form = (
                forms.StepDoneForm(step_id=step.pk)
                if can_act and step.status in {step.Status.MANUAL, step.Status.FAILED}
                else None
            )
    marketing = objection and case.objection_direct_marketing
    automatic = [r for r in results if r.source and r.source.kind == DataSource.Kind.SQL]
    searching = [r for r in automatic if r.status in _SEARCHING]
    sources = DataSource.objects.filter(controller=case.controller, is_active=True).count()
    return {
        "has_map": DataCategory.objects.filter(controller=case.controller).exists(),
        "sources": sources,
        "identifiers": [
            {"kind": i.kind.replace("_", " "), "masked": mask(i)} for i in case_identifiers(case)
        ],
        "collection": collection,
        "results": results,
        "total": sum(r.record_count for r in results),
        # Background work the page updates itself for (static/js/refresh.js).
        "searching": {"done": len(automatic) - len(searching), "of": len(automatic)}
        if searching
        else None,
        "busy": bool(searching) or any(e.document.status == "pending" for e in exports),
        "any_failed": any(r.status == SourceResult.Status.FAILED for r in results),
        "can_search": workable,
        "release_form": forms.NoteForm()
        if workable and collection and collection.status == collection.Status.COLLECTED
        else None,
        "export_form": forms.ExportForm(
            initial={
                "purpose": Export.Purpose.PORTABILITY
                if case.right == Right.PORTABILITY
                else Export.Purpose.ACCESS
            }
        )
        if workable and collection and collection.is_released
        else None,
        "exports": exports,
        "exemptions": list(case.exemptions.select_related("category")),
        "exemption_form": forms.ExemptionForm(case=case) if can_act and case.is_open else None,
        "action_right": action_right,
        "runs": runs,
        "run_form": forms.RunForm(case=case)
        if workable
        and action_right
        and case.right != ActionRight.ERASURE  # erasure: its own page, preview and confirmation
        and not any(r.status == r.Status.RUNNING for r in runs)
        else None,
        "marketing_objection": marketing,
        "other_objection": objection and not marketing,
        "suppressed": (
            SuppressionEntry.objects.filter(case=case, withdrawn_at__isnull=True).count()
            if marketing
            else 0
        ),
        "decisions": list(case.objection_decisions.select_related("decided_by"))
        if objection
        else [],
        "decision_form": forms.ObjectionDecisionForm()
        if can_act and case.is_open and objection
        else None,
    }


def disclosure_panel(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    collection = latest_collection(case)
    waiting = pending_approvals(case)
    for approval in waiting:
        approval.mine = approval.prepared_by_id == request.user.pk
    controller = case.controller
    return {
        "collection": collection,
        "reviewable": collection is not None and collection.status != "collecting",
        "withheld": collection.withholdings.count() if collection else 0,
        "documents": case.bundle_documents.count(),
        "approvals": waiting,
        "switches": [
            (label, on)
            for label, on in (
                (ApprovalAction.RELEASE.label, controller.approve_release),
                ("Issuing access and portability responses", controller.approve_responses),
                (ApprovalAction.ERASURE.label, controller.approve_erasure),
            )
        ],
        "is_erasure": case.right == "erasure",
    }


def status_downloads(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The requester's live download links to exports of ``case``, newest first."""
    return {
        "downloads": [
            {"link": link, "path": link_path(link), "document": link.document}
            for link in live_links(case, DownloadLink.Audience.REQUESTER)
            if link.document.is_ready
        ]
    }
