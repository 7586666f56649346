"""The case page's "Letters and documents" section."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dsar.models import Case

from . import selectors

TEMPLATE = "exports/letters/_documents_panel.html"


def documents_panel(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    suggested, others = selectors.letter_kinds_for(case)
    documents = list(selectors.case_documents(case))
    return {
        "documents": documents,
        # A PDF still being made: the section refreshes itself (static/js/refresh.js).
        "busy": any(doc.status == doc.Status.PENDING for doc in documents),
        "suggested": suggested,
        "others": others,
    }
