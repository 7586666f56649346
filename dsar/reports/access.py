"""Recording reads in the access log (dsar.reports.models.AccessLog)."""

from __future__ import annotations

from typing import Any

from ..models import Case, Controller
from .models import AccessKind, AccessLog


def record_document_read(*, user: Any, document: Any) -> AccessLog | None:
    """A letter, export or other document of a case opened by an officer or auditor."""
    kind = AccessKind.EXPORT if document.category == "export" else AccessKind.DOCUMENT
    return record_access(
        user=user, kind=kind, case=document.case, object_id=document.pk, what=document.title
    )


def record_access(
    *,
    user: Any,
    kind: AccessKind | str,
    case: Case | None = None,
    controller: Controller | None = None,
    object_id: object = "",
    what: str = "",
) -> AccessLog | None:
    """One row: who (a signed-in user), when, what. Anonymous reads (a requester's own
    status page) are not officers' reads and are not logged here."""
    if not (user and user.is_authenticated):
        return None
    return AccessLog.objects.create(
        user=user,
        kind=kind,
        case=case,
        controller=controller or (case.controller if case else None),
        reference=case.reference if case else "",
        object_id=str(object_id or ""),
        what=what[:300],
    )
