"""The reports' section of the case page: the record for a regulator, and, for the
controller's auditors and admins, who looked at the case (dsar.reports.audit)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ..models import Case
from .audit import case_accesses, may_audit

TEMPLATE = "reports/_record_panel.html"
SHOWN = 20


def panel_context(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    allowed = may_audit(request.user, case.controller)
    return {"may_audit": allowed, "accesses": case_accesses(case, SHOWN) if allowed else []}
