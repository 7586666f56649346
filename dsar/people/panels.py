"""The person panel on the officer's case page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dsar.models import Case

from .selectors import same_person_cases

TEMPLATE = "officer/_person_panel.html"


def panel_context(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    others = same_person_cases(request.user, case)
    return {
        "others": others,
        "duplicates": [o for o in others if o.possible_duplicate],
        "can_act": can_act,
    }
