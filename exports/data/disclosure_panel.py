"""The case page's "Disclosure" section: review, the bundle, and approvals waiting."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dsar.models import Case

from .approvals import pending
from .collection import latest_collection
from .disclosure import ApprovalAction

TEMPLATE = "exports/_disclosure_panel.html"


def disclosure_panel(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    collection = latest_collection(case)
    waiting = pending(case)
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
