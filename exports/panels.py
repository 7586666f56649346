"""The case page's "Letters and documents" section."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dsar.models import Case

from . import selectors


def documents_panel(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    suggested, others = selectors.letter_kinds_for(case)
    return {
        "documents": list(selectors.case_documents(case)),
        "suggested": suggested,
        "others": others,
    }
