"""A second pair of eyes: one officer prepares, another officer of the controller approves.

Per controller (``Controller.approve_release``, ``approve_responses``, ``approve_erasure``,
all on by default) releasing the data found, issuing an access or portability response and
running an erasure need a second officer. ``approval_prepare`` records what was prepared
(the payload the action will be run with) and an ``approval_prepared`` event; a different
officer's ``approval_approve`` records ``approval_given`` and carries the action out in the
same transaction, so an action that fails leaves the approval waiting. The services of
those actions call ``require_approval`` themselves: a page or API that skipped this module
would still be refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from dsar import selectors as case_selectors
from dsar.errors import CaseActionError
from dsar.formats import person_name
from dsar.models import Case, Controller
from dsar.services import lock_case, record_event

from ..models import Approval, ApprovalAction

User = AbstractBaseUser

SWITCHES = {
    ApprovalAction.RELEASE: "approve_release",
    ApprovalAction.ACCESS_RESPONSE: "approve_responses",
    ApprovalAction.PORTABILITY_RESPONSE: "approve_responses",
    ApprovalAction.ERASURE: "approve_erasure",
}


class SelfApproval(CaseActionError):
    """The officer who prepared an action tried to approve it (HTTP 403)."""


class NotApprover(CaseActionError):
    """Someone who may not act for the controller tried to approve (HTTP 403)."""


def needs_approval(controller: Controller, action: str) -> bool:
    return bool(getattr(controller, SWITCHES[ApprovalAction(action)], True))


def require_approval(case: Case, action: str, approval: Approval | None) -> None:
    """Refuse an action that needs a second officer's approval it has not got."""
    if not needs_approval(case.controller, action):
        return
    if (
        approval is None
        or approval.case_id != case.pk
        or approval.action != action
        or approval.status != Approval.Status.APPROVED
        or approval.decided_by_id is None
        or approval.decided_by_id == approval.prepared_by_id
    ):
        raise CaseActionError(
            f"{ApprovalAction(action).label} needs a second officer's approval: prepare it, "
            "and another officer of the controller approves it."
        )


# Each action: (check it can be prepared now, carry it out once approved). Registered by
# the modules that own the action, so this one imports none of them.
Check = Callable[[Case, dict[str, Any]], str]
Perform = Callable[[Case, dict[str, Any], User, Approval], Any]
ACTIONS: dict[str, tuple[Check, Perform]] = {}


def register(action: str, check: Check, perform: Perform) -> None:
    ACTIONS[action] = (check, perform)


@transaction.atomic
def approval_prepare(*, case: Case, action: str, by: User, payload: dict[str, Any]) -> Approval:
    """Prepare an action for a second officer: checked now, carried out on approval."""
    case = lock_case(case)
    if action not in ApprovalAction.values:
        raise CaseActionError("Choose what to prepare.", field="action")
    if not needs_approval(case.controller, action):
        raise CaseActionError(
            f"{case.controller} does not ask for a second officer here: carry it out directly."
        )
    if case.approvals.filter(action=action, status=Approval.Status.PENDING).exists():
        raise CaseActionError(
            f"{ApprovalAction(action).label} is already waiting for approval: withdraw that "
            "first to prepare it again."
        )
    check, _perform = ACTIONS[action]
    summary = check(case, payload)
    try:
        with transaction.atomic():
            approval = Approval.objects.create(
                case=case, action=action, payload=payload, summary=summary, prepared_by=by
            )
    except IntegrityError:
        raise CaseActionError(f"{ApprovalAction(action).label} is already waiting.") from None
    record_event(
        case,
        "approval_prepared",
        by=by,
        message=f"{ApprovalAction(action).label} prepared for a second officer's approval. "
        f"{summary}".strip(),
        data={"approval_id": approval.pk, "action": action},
    )
    return approval


@transaction.atomic
def approval_approve(*, approval: Approval, by: User) -> Approval:
    """A second officer approves; the action is carried out in the same transaction."""
    case = lock_case(approval.case_id)
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if approval.status != Approval.Status.PENDING:
        raise CaseActionError("This has already been decided.")
    if by.pk == approval.prepared_by_id:
        raise SelfApproval(
            "You prepared this, so you cannot approve it: another officer of "
            f"{case.controller} must."
        )
    if not by.is_active or not case_selectors.can_act(by, case.controller):
        raise NotApprover(f"Only an officer of {case.controller} can approve this.")
    approval.status = Approval.Status.APPROVED
    approval.decided_by, approval.decided_at = by, timezone.now()
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        case,
        "approval_given",
        by=by,
        message=f"{approval.get_action_display()} approved (prepared by "
        f"{person_name(approval.prepared_by)}).",
        data={
            "approval_id": approval.pk,
            "action": approval.action,
            "prepared_by": approval.prepared_by_id,
        },
    )
    _check, perform = ACTIONS[approval.action]
    perform(case, approval.payload, by, approval)
    return approval


@transaction.atomic
def approval_withdraw(*, approval: Approval, by: User) -> Approval:
    """Take back a prepared action (to change it, or because it is no longer wanted)."""
    case = lock_case(approval.case_id)
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if approval.status != Approval.Status.PENDING:
        raise CaseActionError("This has already been decided.")
    approval.status = Approval.Status.WITHDRAWN
    approval.decided_by, approval.decided_at = by, timezone.now()
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        case,
        "approval_withdrawn",
        by=by,
        message=f"{approval.get_action_display()}: withdrawn before approval.",
        data={"approval_id": approval.pk, "action": approval.action},
    )
    return approval
