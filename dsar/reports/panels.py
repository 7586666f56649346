"""The reports' section of the case page: the record for a regulator (and, for
auditors, who looked at the case)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ..models import Case

TEMPLATE = "reports/_record_panel.html"


def panel_context(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    return {}
