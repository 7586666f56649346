"""The "Identity verification" section of the officer's case page (a dsar CasePanel)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dsar.choices import Status
from dsar.models import Case
from dsar.transitions import can_transition

from . import policies, selectors
from .choices import Method, StepStatus
from .forms import AddStepForm, CloseUnverifiedForm, RequestMoreForm, StepReviewForm
from .services import ASKABLE_STATUSES

TEMPLATE = "identity/panel.html"


def panel_context(request: HttpRequest, case: Case, can_act: bool) -> dict[str, Any]:
    steps = selectors.steps_for_case(case)
    pending = [s for s in steps if s.is_pending]
    policy = policies.policy_for(case)
    rows = [
        {
            "step": step,
            "evidence": list(step.evidence.all()),
            "form": StepReviewForm(step=step)
            if can_act and step.is_pending and case.is_open
            else None,
        }
        for step in steps
    ]
    failed = any(s.status == StepStatus.FAILED for s in steps)
    may_refuse = can_transition(case.status, Status.REFUSED)
    return {
        "rows": rows,
        "policy": policy,
        "documents": policies.accepted_documents(case, policy),
        "needed": [Method(m).label.lower() for m in policies.required_methods(case, policy)],
        # Someone recorded identity on the case itself (the core's action) meanwhile.
        "pending_outside_wait": bool(pending) and case.status != Status.AWAITING_IDENTITY,
        "add_form": AddStepForm() if can_act and case.status in ASKABLE_STATUSES else None,
        "more_form": RequestMoreForm()
        if can_act and pending and case.is_open and case.requester_email
        else None,
        "close_form": CloseUnverifiedForm()
        if can_act and may_refuse and (failed or case.status == Status.AWAITING_IDENTITY)
        else None,
    }
