"""State changes of identity verification: one function per action.

Same pattern as dsar.services: keyword-only, one transaction, the case row locked first
(then the step), an event on the case in the same transaction, emails as outbox rows.
Case status only ever changes through dsar.services.

The clock rule: while steps are pending the case waits in `awaiting_identity` and no
time counts. When the last step passes or is waived, the case moves to `in_progress`
through dsar.services.case_identity_received, with the day the evidence that completed
it arrived (the latest evidence date among the passed steps), so the due date is
recomputed from that day. A waived step brings no evidence: waiving says the evidence
was not needed, so a wait for it does not move the start (if nothing else was received,
the start stays the day of the request).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from dsar import services as case_services
from dsar.choices import ActorKind, Channel, RefusalGround, Status
from dsar.errors import CaseActionError
from dsar.models import Case, Controller
from dsar.services import lock_case

from . import notifications, policies
from .choices import DONE_STATUSES, Method, StepStatus
from .models import StatusLinkRevocation, VerificationStep

log = logging.getLogger(__name__)
User = AbstractBaseUser
ASKABLE_STATUSES = frozenset({Status.IN_PROGRESS, Status.AWAITING_IDENTITY})


def lock_step(step: VerificationStep) -> tuple[Case, VerificationStep]:
    """Case first, then the step: the same order as every case service, so no deadlock."""
    case = lock_case(step.case_id)
    fresh = VerificationStep.objects.select_for_update().get(pk=step.pk)
    fresh.case = case
    return case, fresh


def method_label(method: str) -> str:
    return Method(method).label


def _open_steps(case: Case) -> list[VerificationStep]:
    return list(case.verification_steps.filter(status=StepStatus.PENDING))


# --- the confirmation router -----------------------------------------------------------


def _create_policy_steps(
    case: Case, *, by: User | None, methods: list[str]
) -> list[VerificationStep]:
    """The steps for `methods`, with a web request's email link already passed (the
    requester confirmed it), and one event listing them. Returns the pending ones."""
    now, today = timezone.now(), case.controller.today()
    steps = []
    for method in methods:
        step = VerificationStep(case=case, method=method, requested_at=now, requested_by=by)
        if method == Method.EMAIL_OWNERSHIP and case.channel == Channel.WEB and case.confirmed_at:
            step.status = StepStatus.PASSED
            step.reviewed_at = now
            step.evidence_received_on = today
            step.decision_note = "The requester confirmed their email address by the emailed link."
        steps.append(step)
    VerificationStep.objects.bulk_create(steps)
    pending = [s for s in steps if s.is_pending]
    case_services.record_event(
        case,
        "verification_required",
        by=by,
        message="Checks needed: "
        + "; ".join(
            f"{method_label(s.method).lower()} ({s.get_status_display().lower()})" for s in steps
        )
        + ".",
        data={"methods": methods, "pending": [s.method for s in pending]},
    )
    return pending


def route_confirmed_case(case: Case) -> str | None:
    """dsar's confirmation router: create the steps the policy needs for a newly confirmed
    (or officer-logged) case. A web request's email link is passed at once: confirming it
    just proved the address. If anything is left to send, email the requester their status
    link and answer `awaiting_identity`; otherwise None (the case stays in progress).

    Runs inside the core's transaction, with the case row already locked.
    """
    if case.verification_steps.exists():
        return None
    methods = policies.required_methods(case, policies.policy_for(case))
    if not methods:
        return None
    pending = _create_policy_steps(case, by=None, methods=methods)
    if not pending:
        return None
    notifications.identity_request(case, pending)
    return Status.AWAITING_IDENTITY


@transaction.atomic
def steps_from_policy(*, case: Case, by: User | None) -> list[VerificationStep]:
    """For a case waiting for identity with no steps (an officer used the case's own
    "Request identity evidence" action): set up what the policy needs, or an identity
    document where it needs nothing, and email the requester once."""
    case = lock_case(case.pk)
    if case.status != Status.AWAITING_IDENTITY or case.verification_steps.exists():
        return []
    methods = policies.required_methods(case, policies.policy_for(case))
    if case.channel == Channel.WEB and methods == [Method.EMAIL_OWNERSHIP]:
        methods = []  # already proved by the confirmation link: something else was wanted
    pending = _create_policy_steps(case, by=by, methods=methods) if methods else []
    if not pending:
        return [step_request(case=case, method=Method.IDENTITY_DOCUMENT, by=by)]
    notifications.identity_request(case, pending)
    return pending


# --- asking ----------------------------------------------------------------------------


@transaction.atomic
def step_request(*, case: Case, method: str, by: User | None, note: str = "") -> VerificationStep:
    """An officer asks for a check (again, after a failure, or one the policy did not
    need). A case in progress moves to awaiting_identity; the requester is emailed."""
    case = lock_case(case.pk)
    if method not in Method.values:
        raise CaseActionError("Choose what to ask for.", field="method")
    if case.status not in ASKABLE_STATUSES:
        raise CaseActionError(
            f"A case that is {case.get_status_display().lower()} cannot wait for identity: "
            "only a case in progress or already waiting for identity can."
        )
    if case.verification_steps.filter(method=method, status=StepStatus.PENDING).exists():
        raise CaseActionError(
            f"We are already waiting for this: {method_label(method).lower()}.", field="method"
        )
    if method == Method.EMAIL_OWNERSHIP and not case.requester_email:
        raise CaseActionError("The requester gave no email address to confirm.", field="method")
    step = VerificationStep.objects.create(
        case=case, method=method, requested_by=by, request_note=note.strip()
    )
    case_services.record_event(
        case,
        "verification_requested",
        by=by,
        message=f"Asked for: {method_label(method).lower()}. {note.strip()}".strip(),
        data={"step": step.pk, "method": method},
    )
    if case.status == Status.IN_PROGRESS:
        case = case_services.case_request_identity(case=case, by=by, note=note.strip())
    notifications.identity_request(case, _open_steps(case), message=note)
    return step


@transaction.atomic
def evidence_request_more(*, case: Case, by: User, message: str = "") -> Case:
    """Email the requester their status link again, with what is still needed."""
    case = lock_case(case.pk)
    pending = _open_steps(case)
    if not case.is_open or not pending:
        raise CaseActionError("Nothing is waiting for evidence on this case.")
    if not case.requester_email:
        raise CaseActionError("The requester gave no email address: ask them by post.")
    notifications.identity_request(case, pending, message=message, again=True)
    case_services.record_event(
        case,
        "evidence_requested",
        by=by,
        message=message.strip() or "Emailed the requester their status link again.",
        data={"steps": [s.pk for s in pending]},
    )
    return case


# --- deciding --------------------------------------------------------------------------


def _decide(
    step: VerificationStep, status: str, *, by: User | None, note: str, kind: str
) -> VerificationStep:
    if not step.is_pending:
        raise CaseActionError(
            f"This check was already {step.get_status_display().lower()}: reload the page."
        )
    if not step.case.is_open:
        raise CaseActionError("The case is no longer open.")
    step.status = status
    step.reviewed_by = by
    step.reviewed_at = timezone.now()
    step.decision_note = note.strip()
    step.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "decision_note",
            "evidence_received_on",
        ]
    )
    outcome = step.get_status_display().lower()
    case_services.record_event(
        step.case,
        kind,
        by=by,
        actor_kind=None if by else ActorKind.SYSTEM,
        message=f"{method_label(step.method)}: {outcome}. {step.decision_note}".strip(),
        data={
            "step": step.pk,
            "method": step.method,
            "status": status,
            "evidence_received_on": step.evidence_received_on.isoformat()
            if step.evidence_received_on
            else None,
        },
    )
    return step


def _require(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseActionError("Give a reason: it goes on the case record.", field=field)
    return text


def verification_complete(case: Case) -> bool:
    """No step pending, and the latest step of each method passed or was waived."""
    latest: dict[str, VerificationStep] = {}
    for step in case.verification_steps.order_by("requested_at", "id"):
        latest[step.method] = step
    return bool(latest) and all(s.status in DONE_STATUSES for s in latest.values())


def _start_clock_if_complete(case: Case, *, by: User | None) -> Case:
    """The clock rule (module docstring). Only a case waiting for identity moves."""
    if case.status != Status.AWAITING_IDENTITY or not verification_complete(case):
        return case
    dates = [
        s.evidence_received_on
        for s in case.verification_steps.filter(status=StepStatus.PASSED)
        if s.evidence_received_on
    ]
    received_on = max([*dates, case.received_on])
    return case_services.case_identity_received(case=case, by=by, received_on=received_on)


@transaction.atomic
def step_pass(
    *,
    step: VerificationStep,
    by: User | None,
    note: str = "",
    evidence_received_on: dt.date | None = None,
) -> VerificationStep:
    """The evidence is good. `evidence_received_on` (for evidence that came by post or
    phone) defaults to the day the last file was uploaded, else today."""
    case, step = lock_step(step)
    today = case.controller.today()
    if evidence_received_on is not None and not (case.received_on <= evidence_received_on <= today):
        raise CaseActionError(
            "The evidence date must be between the day the request was received and today.",
            field="evidence_received_on",
        )
    step.evidence_received_on = evidence_received_on or step.evidence_received_on or today
    _decide(step, StepStatus.PASSED, by=by, note=note, kind="verification_passed")
    _start_clock_if_complete(case, by=by)
    return step


@transaction.atomic
def step_waive(*, step: VerificationStep, by: User, reason: str) -> VerificationStep:
    """Not needed after all (say why). It brings no evidence date (module docstring)."""
    case, step = lock_step(step)
    reason = _require(reason, "reason")
    _decide(step, StepStatus.WAIVED, by=by, note=reason, kind="verification_waived")
    _start_clock_if_complete(case, by=by)
    return step


@transaction.atomic
def step_fail(
    *, step: VerificationStep, by: User, reason: str, refuse: bool = False
) -> VerificationStep:
    """The evidence does not verify them. With `refuse`, the request is refused as
    identity not verified in the same transaction (both happen, or neither)."""
    case, step = lock_step(step)
    reason = _require(reason, "reason")
    _decide(step, StepStatus.FAILED, by=by, note=reason, kind="verification_failed")
    if refuse:
        case_close_unverified(case=case, by=by, reasons=reason)
    return step


@transaction.atomic
def case_close_unverified(*, case: Case, by: User | None, reasons: str) -> Case:
    """Refuse the request as identity not verified, and tell the requester why."""
    reasons = _require(reasons, "reasons")
    case = case_services.case_refuse(
        case=case, by=by, ground=RefusalGround.IDENTITY_NOT_VERIFIED, reasons=reasons
    )
    notifications.closed_unverified(case)
    return case


# --- the requester's side --------------------------------------------------------------


@transaction.atomic
def email_ownership_confirmed(*, case: Case) -> Case:
    """The requester opened the status link we emailed them: that proves the address.
    Passes a pending email step (and may start the clock); otherwise does nothing."""
    case = lock_case(case.pk)
    steps = list(
        case.verification_steps.select_for_update().filter(
            method=Method.EMAIL_OWNERSHIP, status=StepStatus.PENDING
        )
    )
    if not steps or not case.is_open:
        return case
    for step in steps:
        step.case = case
        step.evidence_received_on = case.controller.today()
        _decide(
            step,
            StepStatus.PASSED,
            by=None,
            note="The requester opened the status link sent to their email address.",
            kind="verification_passed",
        )
    return _start_clock_if_complete(case, by=None)


def send_status_links(*, controller: Controller, email: str) -> int:
    """Email a fresh status link for each of this address's open, confirmed cases at this
    controller. Returns how many (the caller must never show it: no hint a case exists)."""
    cases = list(
        Case.objects.select_related("controller")
        .open()
        .exclude(status=Status.UNCONFIRMED)
        .filter(controller=controller, requester_email__iexact=email.strip())
    )
    for case in cases:
        with transaction.atomic():
            notifications.status_link(case)
            case_services.record_event(
                case,
                "status_link_sent",
                actor_kind=ActorKind.SYSTEM,
                message="A new status link was emailed to the requester at their request.",
            )
    return len(cases)


@transaction.atomic
def status_links_revoke(*, case: Case) -> None:
    """The requester stops every status link made so far (a forwarded or leaked one);
    a new link asked for afterwards opens the page again."""
    StatusLinkRevocation.objects.create(case=case)
    case_services.record_event(
        case,
        "status_links_revoked",
        actor_kind=ActorKind.REQUESTER,
        message="The requester stopped every link to the status page made so far.",
    )
